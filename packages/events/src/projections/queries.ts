import type { DataSource } from 'typeorm';
import { DURATION_BUCKETS_MS, METRIC, OVERFLOW_BUCKET, VERSION_LEVEL } from './metrics';

/** A duration metric: exact count, sum, average and max; median and p90 estimated from the histogram. */
export interface DurationStats {
  count: number;
  sumMs: number;
  avgMs: number | null;
  maxMs: number | null;
  /** Estimated by linear interpolation within the histogram bucket, capped at the max. */
  p50Ms: number | null;
  p90Ms: number | null;
  /** Non-empty buckets: upper bound in ms (null for the open last bucket) and count. */
  histogram: { leMs: number | null; count: number }[];
}

export interface CsatStats {
  count: number;
  sum: number;
  average: number | null;
  /** Count per score, "1" … "5". */
  distribution: Record<string, number>;
}

/** What the designer's metrics overlay shows on one node of one flow version. */
export interface NodeMetrics {
  nodeId: string;
  /** Catalog type, as reported by step.entered (undefined for a node only referenced as a cause). */
  nodeType?: string;
  entered: number;
  /** Exits by output port. */
  exited: Record<string, number>;
  exitedTotal: number;
  /**
   * Visits on which the step could not do its work (an expression failed at run time, say) and took its
   * defined way out instead, by the port it left by.
   */
  errors: { total: number; byPort: Record<string, number> };
  /** Time spent in the node per visit. */
  stepTime: DurationStats;
  /** For bot nodes: turns, NLU averages and containment. */
  bot?: {
    turns: number;
    answered: number;
    avgConfidence: number | null;
    avgSentiment: number | null;
    intents: Record<string, number>;
    triggersDetected: Record<string, number>;
    /** Exits by `resolved` (the bot resolved it) vs `escalate` vs `no_match`; rate = resolved / all three. */
    containment: { resolved: number; escalated: number; noMatch: number; rate: number | null };
  };
  /** Escalations this node caused, by trigger kind (`none`: unconditional). */
  escalationsCaused: Record<string, number>;
  /** For escalate nodes: contacts routed, by queue. */
  escalationsRouted: Record<string, number>;
  workItems: { offered: number; accepted: number; completed: Record<string, number> };
  /** Queue wait (creation → acceptance), at the escalate node. */
  waitTime: DurationStats;
  /** Handle time (acceptance → completion), at the escalate node. */
  handleTime: DurationStats;
  /** Contacts that left this node by its `abandoned` port (abandoned in the queue). */
  abandoned: number;
  /** Agents' wrap-up reason tags for escalations this node caused, most frequent first. */
  reasonTags: { trigger: string; tag: string; count: number }[];
  csat: CsatStats;
}

/** A flow version as a whole. */
export interface VersionMetrics {
  flowId: string;
  flowVersion: number;
  contacts: {
    started: number;
    ended: number;
    byOutcome: Record<string, number>;
    /** Ended resolved by the bot with no escalation. */
    contained: number;
    /** Ended after at least one escalation to a human. */
    escalated: number;
    /** contained / ended. */
    containmentRate: number | null;
    abandoned: number;
    /** abandoned / ended. */
    abandonmentRate: number | null;
    avgDurationMs: number | null;
  };
  csat: CsatStats;
  /** Time of the newest event counted (how fresh the numbers are). */
  lastEventAt: string | null;
}

interface CounterRow {
  node_id: string;
  metric: string;
  dimension: string;
  dimension2: string;
  value: string;
}

/**
 * Reads the projections. What the API serves to the designer's metrics overlay (per node) and to
 * dashboards (per version).
 *
 * @example
 * const queries = new ProjectionQueries(dataSource);
 * const nodes = await queries.nodeMetrics('billing', 3); // one entry per node that saw traffic
 */
export class ProjectionQueries {
  constructor(private readonly dataSource: DataSource) {}

  /** The versions of a flow that have counted events, newest first. */
  async versions(flowId: string): Promise<{ flowVersion: number; contactsStarted: number; lastEventAt: string | null }[]> {
    const rows = await this.dataSource.query<{ flow_version: number; metric: string; value: string }[]>(
      `SELECT "flow_version", "metric", "value" FROM "events"."projection_counters"
        WHERE "flow_id" = $1 AND "node_id" = '' AND "metric" IN ($2, $3)`,
      [flowId, METRIC.contactsStarted, METRIC.lastEventAt],
    );
    const byVersion = new Map<number, { flowVersion: number; contactsStarted: number; lastEventAt: string | null }>();
    for (const r of rows) {
      const entry = byVersion.get(r.flow_version) ?? { flowVersion: r.flow_version, contactsStarted: 0, lastEventAt: null };
      if (r.metric === METRIC.contactsStarted) entry.contactsStarted = Number(r.value);
      else entry.lastEventAt = new Date(Number(r.value)).toISOString();
      byVersion.set(r.flow_version, entry);
    }
    return [...byVersion.values()].sort((a, b) => b.flowVersion - a.flowVersion);
  }

  /** The version-level numbers (null-free: a version without events gives zeros). */
  async versionMetrics(flowId: string, flowVersion: number): Promise<VersionMetrics> {
    const rows = await this.counters(flowId, flowVersion, VERSION_LEVEL);
    const c = new Counters(rows);
    const byOutcome = c.by(METRIC.contactsEnded);
    const ended = sum(byOutcome);
    const contained = c.total(METRIC.contactsContained);
    const abandoned = byOutcome.abandoned ?? 0;
    const durationSum = c.total(METRIC.contactDurationSum);
    const lastAt = c.total(METRIC.lastEventAt);
    return {
      flowId,
      flowVersion,
      contacts: {
        started: c.total(METRIC.contactsStarted),
        ended,
        byOutcome,
        contained,
        escalated: c.total(METRIC.contactsEscalated),
        containmentRate: ratio(contained, ended),
        abandoned,
        abandonmentRate: ratio(abandoned, ended),
        avgDurationMs: ratio(durationSum, ended),
      },
      csat: csatOf(c.by(METRIC.csat)),
      lastEventAt: lastAt ? new Date(lastAt).toISOString() : null,
    };
  }

  /** Metrics of every node of a version that saw any event, by node id. */
  async nodeMetrics(flowId: string, flowVersion: number): Promise<NodeMetrics[]> {
    const rows = await this.dataSource.query<CounterRow[]>(
      `SELECT "node_id", "metric", "dimension", "dimension2", "value" FROM "events"."projection_counters"
        WHERE "flow_id" = $1 AND "flow_version" = $2 AND "node_id" <> ''`,
      [flowId, flowVersion],
    );
    const byNode = new Map<string, CounterRow[]>();
    for (const r of rows) {
      const list = byNode.get(r.node_id) ?? [];
      list.push(r);
      byNode.set(r.node_id, list);
    }
    return [...byNode.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([nodeId, list]) => nodeMetricsOf(nodeId, list));
  }

  /** Metrics of one node (zeros when it saw nothing yet). */
  async nodeMetricsFor(flowId: string, flowVersion: number, nodeId: string): Promise<NodeMetrics> {
    if (nodeId === VERSION_LEVEL) throw new Error('nodeMetricsFor: nodeId must not be empty');
    return nodeMetricsOf(nodeId, await this.counters(flowId, flowVersion, nodeId));
  }

  private async counters(flowId: string, flowVersion: number, nodeId: string): Promise<CounterRow[]> {
    return await this.dataSource.query<CounterRow[]>(
      `SELECT "node_id", "metric", "dimension", "dimension2", "value" FROM "events"."projection_counters"
        WHERE "flow_id" = $1 AND "flow_version" = $2 AND "node_id" = $3`,
      [flowId, flowVersion, nodeId],
    );
  }
}

class Counters {
  private readonly map = new Map<string, CounterRow[]>();
  constructor(rows: CounterRow[]) {
    for (const r of rows) {
      const list = this.map.get(r.metric) ?? [];
      list.push(r);
      this.map.set(r.metric, list);
    }
  }
  total(metric: string): number {
    return (this.map.get(metric) ?? []).reduce((s, r) => s + Number(r.value), 0);
  }
  by(metric: string): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of this.map.get(metric) ?? []) out[r.dimension] = (out[r.dimension] ?? 0) + Number(r.value);
    return out;
  }
  rows(metric: string): CounterRow[] {
    return this.map.get(metric) ?? [];
  }
}

function nodeMetricsOf(nodeId: string, rows: CounterRow[]): NodeMetrics {
  const c = new Counters(rows);
  const exited = c.by(METRIC.exited);
  const types = Object.entries(c.by(METRIC.nodeType)).sort((a, b) => b[1] - a[1]);
  const nodeType = types[0]?.[0];
  const turns = c.total(METRIC.botTurns);
  const metrics: NodeMetrics = {
    nodeId,
    nodeType,
    entered: c.total(METRIC.entered),
    exited,
    exitedTotal: sum(exited),
    errors: { total: c.total(METRIC.stepErrors), byPort: c.by(METRIC.stepErrors) },
    stepTime: durationOf(c, METRIC.stepDuration),
    escalationsCaused: c.by(METRIC.escalationCaused),
    escalationsRouted: c.by(METRIC.escalationRouted),
    workItems: { offered: c.total(METRIC.workItemOffered), accepted: c.total(METRIC.workItemAccepted), completed: c.by(METRIC.workItemCompleted) },
    waitTime: durationOf(c, METRIC.waitTime),
    handleTime: durationOf(c, METRIC.handleTime),
    abandoned: exited.abandoned ?? 0,
    reasonTags: c
      .rows(METRIC.reasonTag)
      .map((r) => ({ trigger: r.dimension, tag: r.dimension2, count: Number(r.value) }))
      .sort((a, b) => b.count - a.count || (a.tag < b.tag ? -1 : 1)),
    csat: csatOf(c.by(METRIC.csat)),
  };
  if (nodeType === 'bot' || turns > 0) {
    const resolved = exited.resolved ?? 0;
    const escalated = exited.escalate ?? 0;
    const noMatch = exited.no_match ?? 0;
    metrics.bot = {
      turns,
      answered: c.total(METRIC.botAnswered),
      avgConfidence: turns ? c.total(METRIC.botConfidenceSum) / 1000 / turns : null,
      avgSentiment: turns ? c.total(METRIC.botSentimentSum) / 1000 / turns : null,
      intents: c.by(METRIC.botIntent),
      triggersDetected: c.by(METRIC.botTriggerDetected),
      containment: { resolved, escalated, noMatch, rate: ratio(resolved, resolved + escalated + noMatch) },
    };
  }
  return metrics;
}

function durationOf(c: Counters, metric: string): DurationStats {
  const buckets = c.by(metric);
  const histogram = [...DURATION_BUCKETS_MS.map((le) => ({ key: String(le), leMs: le })), { key: OVERFLOW_BUCKET, leMs: null }]
    .map(({ key, leMs }) => ({ leMs, count: buckets[key] ?? 0 }))
    .filter((b) => b.count > 0);
  const count = sum(buckets);
  const sumMs = c.total(`${metric}.sum_ms`);
  const maxMs = count ? c.total(`${metric}.max`) : null;
  return {
    count,
    sumMs,
    avgMs: ratio(sumMs, count),
    maxMs,
    p50Ms: quantile(histogram, count, 0.5, maxMs),
    p90Ms: quantile(histogram, count, 0.9, maxMs),
    histogram,
  };
}

function quantile(histogram: DurationStats['histogram'], count: number, q: number, maxMs: number | null): number | null {
  if (!count || maxMs === null) return null;
  const rank = q * count;
  let seen = 0;
  for (const bucket of histogram) {
    if (seen + bucket.count >= rank) {
      const index = bucket.leMs === null ? DURATION_BUCKETS_MS.length : DURATION_BUCKETS_MS.indexOf(bucket.leMs);
      const lower = index > 0 ? DURATION_BUCKETS_MS[index - 1]! : 0;
      const upper = Math.min(bucket.leMs ?? maxMs, maxMs);
      const estimate = lower + ((rank - seen) / bucket.count) * Math.max(upper - lower, 0);
      return Math.round(Math.min(estimate, maxMs));
    }
    seen += bucket.count;
  }
  return maxMs;
}

function csatOf(distribution: Record<string, number>): CsatStats {
  const count = sum(distribution);
  const total = Object.entries(distribution).reduce((s, [score, n]) => s + Number(score) * n, 0);
  return { count, sum: total, average: ratio(total, count), distribution };
}

function sum(record: Record<string, number>): number {
  return Object.values(record).reduce((s, n) => s + n, 0);
}

function ratio(a: number, b: number): number | null {
  return b ? a / b : null;
}

