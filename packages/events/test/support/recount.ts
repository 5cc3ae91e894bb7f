import type { DataSource } from 'typeorm';
import { ProjectionQueries } from '../../src';

/**
 * The projections' numbers recounted straight from stored events with SQL — an implementation
 * independent of the projector — and the same numbers read through ProjectionQueries, in one shape so
 * a test can compare them with toEqual.
 *
 * `source` is a SQL query yielding one column `payload` (the event JSON) per stored event; duplicates
 * (the same event id twice) are removed here, as consumers do.
 */
export interface Snapshot {
  version: { started: number; ended: Record<string, number>; contained: number; escalated: number; csat: Record<string, number> };
  nodes: Record<
    string,
    {
      entered: number;
      exited: Record<string, number>;
      botTurns: number;
      escalationsCaused: Record<string, number>;
      escalationsRouted: Record<string, number>;
      offered: number;
      completed: Record<string, number>;
      wait: { count: number; sumMs: number; maxMs: number | null };
      handle: { count: number; sumMs: number; maxMs: number | null };
      step: { count: number; sumMs: number; maxMs: number | null };
      reasonTags: Record<string, number>;
      csat: Record<string, number>;
    }
  >;
}

type Node = Snapshot['nodes'][string];
const emptyNode = (): Node => ({
  entered: 0,
  exited: {},
  botTurns: 0,
  escalationsCaused: {},
  escalationsRouted: {},
  offered: 0,
  completed: {},
  wait: { count: 0, sumMs: 0, maxMs: null },
  handle: { count: 0, sumMs: 0, maxMs: null },
  step: { count: 0, sumMs: 0, maxMs: null },
  reasonTags: {},
  csat: {},
});

export async function recountFromDatabase(dataSource: DataSource, source: string, flowId: string, flowVersion: number): Promise<Snapshot> {
  const q = async <T>(select: string): Promise<T[]> =>
    await dataSource.query<T[]>(
      `WITH raw AS (${source}),
            e AS (SELECT DISTINCT ON (payload::jsonb->>'id') payload::jsonb AS e FROM raw ORDER BY payload::jsonb->>'id'),
            f AS (SELECT e FROM e WHERE e->>'flowid' = $1 AND (e->>'flowversion')::int = $2 AND e->>'simulation' IS NULL)
       ${select}`,
      [flowId, flowVersion],
    );
  const kv = <K extends string>(rows: { k: K; n: string }[]) => Object.fromEntries(rows.map((r) => [r.k, Number(r.n)]));

  const snapshot: Snapshot = {
    version: {
      started: Number((await q<{ n: string }>(`SELECT count(*) AS n FROM f WHERE e->>'type' = 'tandem.contact.started.v1'`))[0]!.n),
      ended: kv(await q(`SELECT e->'data'->>'outcome' AS k, count(*) AS n FROM f WHERE e->>'type' = 'tandem.contact.ended.v1' GROUP BY 1`)),
      contained: Number(
        (await q<{ n: string }>(`SELECT count(*) AS n FROM f WHERE e->>'type' = 'tandem.contact.ended.v1' AND e->'data'->>'outcome' = 'resolved_by_bot' AND (e->'data'->>'escalations')::int = 0`))[0]!.n,
      ),
      escalated: Number((await q<{ n: string }>(`SELECT count(*) AS n FROM f WHERE e->>'type' = 'tandem.contact.ended.v1' AND (e->'data'->>'escalations')::int > 0`))[0]!.n),
      csat: kv(await q(`SELECT e->'data'->>'score' AS k, count(*) AS n FROM f WHERE e->>'type' = 'tandem.feedback.csat.v1' GROUP BY 1`)),
    },
    nodes: {},
  };
  const node = (id: string) => (snapshot.nodes[id] ??= emptyNode());
  for (const r of await q<{ node: string; n: string }>(`SELECT e->>'nodeid' AS node, count(*) AS n FROM f WHERE e->>'type' = 'tandem.step.entered.v1' GROUP BY 1`)) node(r.node).entered = Number(r.n);
  for (const r of await q<{ node: string; k: string; n: string }>(`SELECT e->>'nodeid' AS node, e->'data'->>'port' AS k, count(*) AS n FROM f WHERE e->>'type' = 'tandem.step.exited.v1' GROUP BY 1, 2`))
    node(r.node).exited[r.k] = Number(r.n);
  for (const r of await q<{ node: string; n: string }>(`SELECT e->>'nodeid' AS node, count(*) AS n FROM f WHERE e->>'type' = 'tandem.bot.turn.v1' GROUP BY 1`)) node(r.node).botTurns = Number(r.n);
  for (const r of await q<{ node: string; k: string; n: string }>(
    `SELECT e->'data'->>'causeNodeId' AS node, coalesce(e->'data'->'trigger'->>'kind', 'none') AS k, count(*) AS n FROM f WHERE e->>'type' = 'tandem.contact.escalated.v1' GROUP BY 1, 2`,
  ))
    node(r.node).escalationsCaused[r.k] = Number(r.n);
  for (const r of await q<{ node: string; k: string; n: string }>(`SELECT e->>'nodeid' AS node, e->'data'->>'queue' AS k, count(*) AS n FROM f WHERE e->>'type' = 'tandem.contact.escalated.v1' GROUP BY 1, 2`))
    node(r.node).escalationsRouted[r.k] = Number(r.n);
  for (const r of await q<{ node: string; n: string }>(`SELECT e->>'nodeid' AS node, count(*) AS n FROM f WHERE e->>'type' = 'tandem.workitem.offered.v1' GROUP BY 1`)) node(r.node).offered = Number(r.n);
  for (const r of await q<{ node: string; k: string; n: string }>(`SELECT e->>'nodeid' AS node, e->'data'->>'outcome' AS k, count(*) AS n FROM f WHERE e->>'type' = 'tandem.workitem.completed.v1' GROUP BY 1, 2`))
    node(r.node).completed[r.k] = Number(r.n);
  const durations = async (type: string, field: string, into: 'wait' | 'handle' | 'step', extra = '') => {
    for (const r of await q<{ node: string; c: string; s: string; m: string }>(
      `SELECT e->>'nodeid' AS node, count(*) AS c, sum((e->'data'->>'${field}')::bigint) AS s, max((e->'data'->>'${field}')::bigint) AS m FROM f WHERE e->>'type' = '${type}' ${extra} GROUP BY 1`,
    ))
      node(r.node)[into] = { count: Number(r.c), sumMs: Number(r.s), maxMs: Number(r.m) };
  };
  await durations('tandem.workitem.accepted.v1', 'waitMs', 'wait');
  await durations('tandem.workitem.completed.v1', 'handleMs', 'handle', `AND e->'data' ? 'agentId'`);
  await durations('tandem.step.exited.v1', 'durationMs', 'step');
  for (const r of await q<{ node: string; k: string; n: string }>(
    `SELECT e->>'nodeid' AS node, coalesce(e->'data'->>'trigger', 'none') || '/' || tag AS k, count(*) AS n
       FROM f, LATERAL (SELECT DISTINCT t AS tag FROM jsonb_array_elements_text(e->'data'->'tags') AS t) tags
      WHERE e->>'type' = 'tandem.feedback.escalation-tagged.v1' GROUP BY 1, 2`,
  ))
    node(r.node).reasonTags[r.k] = Number(r.n);
  for (const r of await q<{ node: string; k: string; n: string }>(`SELECT e->>'nodeid' AS node, e->'data'->>'score' AS k, count(*) AS n FROM f WHERE e->>'type' = 'tandem.feedback.csat.v1' GROUP BY 1, 2`))
    node(r.node).csat[r.k] = Number(r.n);
  return snapshot;
}

/** The same numbers as the projections serve them. */
export async function projectedSnapshot(dataSource: DataSource, flowId: string, flowVersion: number): Promise<Snapshot> {
  const queries = new ProjectionQueries(dataSource);
  const v = await queries.versionMetrics(flowId, flowVersion);
  const snapshot: Snapshot = {
    version: { started: v.contacts.started, ended: v.contacts.byOutcome, contained: v.contacts.contained, escalated: v.contacts.escalated, csat: v.csat.distribution },
    nodes: {},
  };
  const d = (s: { count: number; sumMs: number; maxMs: number | null }) => ({ count: s.count, sumMs: s.sumMs, maxMs: s.maxMs });
  for (const n of await queries.nodeMetrics(flowId, flowVersion)) {
    snapshot.nodes[n.nodeId] = {
      entered: n.entered,
      exited: n.exited,
      botTurns: n.bot?.turns ?? 0,
      escalationsCaused: n.escalationsCaused,
      escalationsRouted: n.escalationsRouted,
      offered: n.workItems.offered,
      completed: n.workItems.completed,
      wait: d(n.waitTime),
      handle: d(n.handleTime),
      step: d(n.stepTime),
      reasonTags: Object.fromEntries(n.reasonTags.map((t) => [`${t.trigger}/${t.tag}`, t.count])),
      csat: n.csat.distribution,
    };
  }
  return snapshot;
}
