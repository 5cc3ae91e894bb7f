/**
 * Overlays drawn on the canvas from runtime data: the path a test conversation took (Simulate), and
 * per-node metrics as badges and a heat map (Watch). Pure: they turn API payloads into per-node and
 * per-edge values the canvas paints.
 */
import type { DesignerEdge } from './types';

// ---- Simulate: the path taken ------------------------------------------------------------------

export interface PathOverlay {
  /** Nodes visited, with how many times. */
  visited: Record<string, number>;
  /** Edges taken, with how many times. */
  edgesTaken: Record<string, number>;
  /** The nodes the contact is at now (several inside a parallel). */
  current: string[];
  /** Node ids in the order they were entered. */
  order: string[];
}

/**
 * The path a contact took on the canvas, from the API's `path` (every node entered, in order) and
 * `steps` (the nodes it is at now): visited nodes, and the edges taken — the edge from each entry to
 * the next one. Inside a parallel, branches interleave in `path`; consecutive entries of different
 * branches have no edge between them and mark none. `exits` (node → port), when known, picks the edge
 * where a node has several exits to the same target.
 */
export function pathOverlay(path: readonly string[], current: readonly string[], edges: readonly DesignerEdge[], exits: Readonly<Record<number, string>> = {}): PathOverlay {
  const visited: Record<string, number> = {};
  const edgesTaken: Record<string, number> = {};
  for (const id of path) visited[id] = (visited[id] ?? 0) + 1;
  for (let i = 0; i + 1 < path.length; i++) {
    const from = path[i] as string;
    const to = path[i + 1] as string;
    const port = exits[i];
    const edge = edges.find((e) => e.source === from && e.target === to && (!port || e.sourceHandle === port)) ?? edges.find((e) => e.source === from && e.target === to);
    if (edge) edgesTaken[edge.id] = (edgesTaken[edge.id] ?? 0) + 1;
  }
  return { visited, edgesTaken, current: [...current], order: [...path] };
}

// ---- Watch: per-node metrics --------------------------------------------------------------------

/** Seconds statistics as the projections report them. */
export interface DurationStats {
  avg?: number | null;
  p50?: number | null;
  p90?: number | null;
  count?: number;
}

/** What the projections know about one node of one flow version. */
export interface NodeMetrics {
  nodeId: string;
  entered: number;
  exitedByPort?: Record<string, number>;
  escalations?: { total?: number; byTrigger?: Record<string, number>; byReasonTag?: Record<string, number> };
  /** Share of contacts through this node that the bot resolved without a person, 0 … 1. */
  containment?: number | null;
  waitSeconds?: DurationStats | null;
  handleSeconds?: DurationStats | null;
}

/** `GET /v1/flows/:id/versions/:v/metrics`: nodes as a list or keyed by node id. */
export interface FlowMetricsPayload {
  flowId?: string;
  version?: number;
  from?: string;
  to?: string;
  totals?: { contacts?: number; containment?: number | null; escalations?: number };
  nodes: NodeMetrics[] | Record<string, Omit<NodeMetrics, 'nodeId'> & { nodeId?: string }>;
}

export interface MetricsOverlay {
  byNode: Record<string, NodeMetrics>;
  /** 0 … 1: how much traffic a node sees relative to the busiest node (square-root scaled). */
  heat: Record<string, number>;
  /** Contacts that went through each edge (from its exit's count). */
  edgeTraffic: Record<string, number>;
  maxEntered: number;
}

/** Normalises the metrics payload and computes the heat and edge traffic the canvas paints. */
export function metricsOverlay(payload: FlowMetricsPayload, edges: readonly DesignerEdge[]): MetricsOverlay {
  const list: NodeMetrics[] = Array.isArray(payload.nodes)
    ? payload.nodes
    : Object.entries(payload.nodes).map(([nodeId, m]) => ({ ...m, nodeId: m.nodeId ?? nodeId }));
  const byNode: Record<string, NodeMetrics> = {};
  for (const m of list) byNode[m.nodeId] = m;
  const maxEntered = Math.max(0, ...list.map((m) => m.entered ?? 0));
  const heat: Record<string, number> = {};
  // Square root: a node with a tenth of the traffic still shows, the busiest do not drown the rest.
  for (const m of list) heat[m.nodeId] = maxEntered > 0 ? Math.sqrt((m.entered ?? 0) / maxEntered) : 0;
  const edgeTraffic: Record<string, number> = {};
  for (const e of edges) {
    const count = byNode[e.source]?.exitedByPort?.[e.sourceHandle ?? ''];
    if (count !== undefined) edgeTraffic[e.id] = count;
  }
  return { byNode, heat, edgeTraffic, maxEntered };
}

/** The few words a badge shows for a node: entered, containment or escalations, wait time. */
export function metricsBadge(m: NodeMetrics | undefined): string[] {
  if (!m) return [];
  const parts = [`${formatCount(m.entered)} in`];
  if (m.containment !== undefined && m.containment !== null) parts.push(`${Math.round(m.containment * 100)}% by bot`);
  const escalations = m.escalations?.total ?? sum(m.escalations?.byTrigger);
  if (escalations > 0) parts.push(`${formatCount(escalations)} to agents`);
  const wait = m.waitSeconds?.p50 ?? m.waitSeconds?.avg;
  if (wait !== undefined && wait !== null) parts.push(`wait ${formatDuration(wait)}`);
  return parts;
}

const sum = (r: Record<string, number> | undefined) => Object.values(r ?? {}).reduce((a, b) => a + b, 0);

export function formatCount(n: number): string {
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(1)}M`;
  if (n >= 10_000) return `${Math.round(n / 1000)}k`;
  if (n >= 1000) return `${(n / 1000).toFixed(1)}k`;
  return String(n);
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)}s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)}m`;
  return `${(seconds / 3600).toFixed(1)}h`;
}
