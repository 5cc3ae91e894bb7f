import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createStaticResolver, type FlowResolver, type Plan, planOutcomes, type SubflowInfo } from '@tandem/flow';
import type { DataSource } from 'typeorm';
import { CalendarsService } from '../catalog/calendars.service';
import { CustomActivitiesService } from '../catalog/custom-activities.service';
import { QueuesService } from '../catalog/queues.service';

/**
 * Builds the resolver the compiler checks references against — queues, custom activities, subflows
 * (the newest published version of every flow) and calendars — by prefetching them, so compilation
 * itself stays synchronous and pure. The one place that knows where each comes from: queues and the
 * skills of their agents from routing, activities and calendars from the catalog, subflows from the
 * published versions.
 */
@Injectable()
export class FlowResolverService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queues: QueuesService,
    private readonly activities: CustomActivitiesService,
    private readonly calendars: CalendarsService,
  ) {}

  async load(): Promise<FlowResolver> {
    const [queues, activities, calendars, subflows] = await Promise.all([this.queues.forResolver(), this.activities.list(), this.calendars.list(), this.subflows()]);
    return createStaticResolver({
      queues,
      activities: activities.map((a) => ({ name: a.name, description: a.description, inputSchema: a.inputSchema, outputSchema: a.outputSchema })),
      calendars: calendars.map((c) => ({ name: c.name, calendar: c.calendar })),
      subflows,
    });
  }

  /** Every flow's newest published version, as a callable subflow: its outcomes and inputs. */
  private async subflows(): Promise<SubflowInfo[]> {
    const rows: { id: string; name: string; plan: Plan }[] = await this.dataSource.query(
      `SELECT DISTINCT ON (v.flow_id) v.flow_id AS id, f.name, v.plan
         FROM flow_versions v JOIN flows f ON f.id = v.flow_id
        ORDER BY v.flow_id, v.version DESC`,
    );
    return rows.map((r) => ({ id: r.id, name: r.name, outcomes: planOutcomes(r.plan), inputs: r.plan.variables.map((v) => ({ name: v.name, type: v.type })) }));
  }
}
