/**
 * Overlays drawn on the canvas from runtime data: the path a test conversation took (Simulate), and
 * per-node metrics as badges and a heat map (Watch). Pure: they turn API payloads into per-node and
 * per-edge values the canvas paints.
 */
import type { FlowMetricsView, NodeMetricsView } from '@tandem/api-contract';
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

export interface MetricsOverlay {
  byNode: Record<string, NodeMetricsView>;
  /** 0 … 1: how much traffic a node sees relative to the busiest node (square-root scaled). */
  heat: Record<string, number>;
  /** Contacts that went through each edge (from its exit's count). */
  edgeTraffic: Record<string, number>;
  maxEntered: number;
}

/** The heat and edge traffic the canvas paints, from `GET /v1/flows/:id/versions/:v/metrics`. */
export function metricsOverlay(payload: FlowMetricsView, edges: readonly DesignerEdge[]): MetricsOverlay {
  const byNode: Record<string, NodeMetricsView> = {};
  for (const m of payload.nodes) byNode[m.nodeId] = m;
  const maxEntered = Math.max(0, ...payload.nodes.map((m) => m.entered));
  const heat: Record<string, number> = {};
  // Square root: a node with a tenth of the traffic still shows, the busiest do not drown the rest.
  for (const m of payload.nodes) heat[m.nodeId] = maxEntered > 0 ? Math.sqrt(m.entered / maxEntered) : 0;
  const edgeTraffic: Record<string, number> = {};
  for (const e of edges) {
    const count = byNode[e.source]?.exitedByPort[e.sourceHandle ?? ''];
    if (count !== undefined) edgeTraffic[e.id] = count;
  }
  return { byNode, heat, edgeTraffic, maxEntered };
}

/** The few words a badge shows for a node: entered, containment or escalations, wait time. */
export function metricsBadge(m: NodeMetricsView | undefined): string[] {
  if (!m) return [];
  const parts = [`${formatCount(m.entered)} in`];
  if (m.containment !== null) parts.push(`${Math.round(m.containment * 100)}% by bot`);
  if (m.escalations.total > 0) parts.push(`${formatCount(m.escalations.total)} to agents`);
  const wait = m.waitSeconds.p50 ?? m.waitSeconds.avg;
  if (wait !== null) parts.push(`wait ${formatDuration(wait)}`);
  return parts;
}

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
