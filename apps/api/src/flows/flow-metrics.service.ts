import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FlowMetricsView, SecondsStats } from '@tandem/api-contract';
import { type DurationStats, ProjectionQueries } from '@tandem/events';
import { DataSource } from 'typeorm';
import { NotFoundError } from '../common/errors';

const seconds = (ms: number | null) => (ms === null ? null : Math.round(ms) / 1000);
const toSeconds = (d: DurationStats): SecondsStats => ({ count: d.count, avg: seconds(d.avgMs), p50: seconds(d.p50Ms), p90: seconds(d.p90Ms), max: seconds(d.maxMs) });
const total = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);

/** Per-version and per-node numbers from the event projections (`@tandem/events`), for the designer's Watch overlay. */
@Injectable()
export class FlowMetricsService {
  constructor(
    private readonly queries: ProjectionQueries,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async metrics(flowId: string, version: number): Promise<FlowMetricsView> {
    const exists = await this.dataSource.query<unknown[]>(`SELECT 1 FROM flow_versions WHERE flow_id = $1 AND version = $2`, [flowId, version]);
    if (!exists.length) throw new NotFoundError('flow version', `${flowId}@${version}`);
    const [v, nodes] = await Promise.all([this.queries.versionMetrics(flowId, version), this.queries.nodeMetrics(flowId, version)]);
    return {
      flowId,
      version,
      lastEventAt: v.lastEventAt,
      totals: {
        contacts: v.contacts.started,
        ended: v.contacts.ended,
        byOutcome: v.contacts.byOutcome,
        contained: v.contacts.contained,
        containment: v.contacts.containmentRate,
        escalations: v.contacts.escalated,
        abandoned: v.contacts.abandoned,
        abandonment: v.contacts.abandonmentRate,
        avgDurationSeconds: seconds(v.contacts.avgDurationMs),
        csat: v.csat,
      },
      nodes: nodes.map((n) => ({
        nodeId: n.nodeId,
        nodeType: n.nodeType ?? null,
        entered: n.entered,
        exitedByPort: n.exited,
        exited: n.exitedTotal,
        errors: n.errors,
        containment: n.bot?.containment.rate ?? null,
        bot: n.bot ?? null,
        escalations: {
          total: total(n.escalationsCaused),
          byTrigger: n.escalationsCaused,
          byReasonTag: n.reasonTags.reduce<Record<string, number>>((acc, t) => ({ ...acc, [t.tag]: (acc[t.tag] ?? 0) + t.count }), {}),
          reasonTags: n.reasonTags,
          routedByQueue: n.escalationsRouted,
        },
        workItems: n.workItems,
        waitSeconds: toSeconds(n.waitTime),
        handleSeconds: toSeconds(n.handleTime),
        stepSeconds: toSeconds(n.stepTime),
        abandoned: n.abandoned,
        csat: n.csat,
      })),
    };
  }
}
