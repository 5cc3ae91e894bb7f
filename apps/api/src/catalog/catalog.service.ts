import { Injectable } from '@nestjs/common';
import { expressionEnvironment, type NodeCatalogEntry, nodeCatalog, variableTypeSchema } from '@tandem/flow';
import { type CalendarView, CalendarsService } from './calendars.service';
import { type CustomActivityView, CustomActivitiesService } from './custom-activities.service';
import { type QueueView, QueuesService } from './queues.service';

/** The CEL environment as the designer's expression editor needs it (autocompletion, hints). */
export interface ExpressionEnvironmentView {
  language: 'cel';
  variables: { name: string; description: string; fields: { name: string; type: string; description: string }[] }[];
  flowVariables: { name: 'ctx'; description: string; types: string[] };
}

/** Everything the designer needs to draw a flow, in one response. */
export interface CatalogView {
  nodeTypes: NodeCatalogEntry[];
  expressions: ExpressionEnvironmentView;
  queues: QueueView[];
  activities: CustomActivityView[];
  calendars: CalendarView[];
}

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
