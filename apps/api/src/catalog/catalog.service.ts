import { Injectable } from '@nestjs/common';
import type { CatalogView, ExpressionEnvironmentView } from '@tandem/api-contract';
import { expressionEnvironment, type NodeCatalogEntry, nodeCatalog, variableTypeSchema } from '@tandem/flow';
import { CalendarsService } from './calendars.service';
import { CustomActivitiesService } from './custom-activities.service';
import { QueuesService } from './queues.service';

/**
 * The designer's catalog: node types with their config JSON Schemas and ports and the expression
 * environment (both from `@tandem/flow`, the same definitions the compiler uses), plus what lives in
 * the database — queues, custom activities, calendars.
 */
@Injectable()
export class CatalogService {
  private readonly nodeTypeList = nodeCatalog();

  constructor(
    private readonly queues: QueuesService,
    private readonly activities: CustomActivitiesService,
    private readonly calendars: CalendarsService,
  ) {}

  nodeTypes(): NodeCatalogEntry[] {
    return this.nodeTypeList;
  }

  expressions(): ExpressionEnvironmentView {
    return {
      language: 'cel',
      variables: expressionEnvironment.map((v) => ({ name: v.name, description: v.description, fields: v.fields.map((f) => ({ ...f })) })),
      flowVariables: {
        name: 'ctx',
        description: "The flow's declared variables: `ctx.<name>`, typed as declared.",
        types: [...variableTypeSchema.options],
      },
    };
  }

  async all(): Promise<CatalogView> {
    const [queues, activities, calendars] = await Promise.all([this.queues.list(), this.activities.list(), this.calendars.list()]);
    return { nodeTypes: this.nodeTypes(), expressions: this.expressions(), queues, activities, calendars };
  }
}
