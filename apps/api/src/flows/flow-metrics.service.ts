import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type CsatStats, type DurationStats, type NodeMetrics, ProjectionQueries } from '@tandem/events';
import { DataSource } from 'typeorm';
import { NotFoundError } from '../common/errors';

/** Durations in seconds (the projections count milliseconds). */
export interface SecondsStats {
  count: number;
  avg: number | null;
  p50: number | null;
  p90: number | null;
  max: number | null;
}

/** One node of the designer's metrics overlay. */
export interface NodeMetricsView {
  nodeId: string;
  nodeType: string | null;
  entered: number;
  /** Exits by output port: the traffic on each outgoing edge. */
  exitedByPort: Record<string, number>;
  exited: number;
  /** Bot nodes: share of conversations the bot resolved (resolved / resolved + escalate + no_match). */
  containment: number | null;
  bot: NodeMetrics['bot'] | null;
  escalations: {
    /** Escalations this node caused. */
    total: number;
    byTrigger: Record<string, number>;
    /** Agents' wrap-up reason tags for the escalations this node caused. */
    byReasonTag: Record<string, number>;
    reasonTags: NodeMetrics['reasonTags'];
    /** Escalate nodes: contacts routed, by queue. */
    routedByQueue: Record<string, number>;
  };
  workItems: NodeMetrics['workItems'];
  /** Queue wait (escalate nodes). */
  waitSeconds: SecondsStats;
  /** Agents' handle time (escalate nodes). */
  handleSeconds: SecondsStats;
  /** Time spent in the node per visit. */
  stepSeconds: SecondsStats;
  abandoned: number;
  csat: CsatStats;
}

export interface FlowMetricsView {
  flowId: string;
  version: number;
  /** Newest event counted: how fresh the numbers are. */
  lastEventAt: string | null;
  totals: {
    contacts: number;
    ended: number;
    byOutcome: Record<string, number>;
    contained: number;
    containment: number | null;
    escalations: number;
    abandoned: number;
    abandonment: number | null;
    avgDurationSeconds: number | null;
    csat: CsatStats;
  };
  nodes: NodeMetricsView[];
}

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
