/**
 * Where the compiler's diagnostics go in the designer: on a node, on an edge, on a field of the
 * inspector (by config path, with the characters of an expression), or on the flow itself.
 */
import type { Diagnostic } from '@tandem/flow';

/** Counts a node or edge shows as a badge. */
export interface IssueCount {
  errors: number;
  warnings: number;
  /** The first message, for a tooltip. */
  first: string;
}

export interface DiagnosticIndex {
  byNode: ReadonlyMap<string, Diagnostic[]>;
  byEdge: ReadonlyMap<string, Diagnostic[]>;
  /** Diagnostics with a config path, by `nodeId` and {@link fieldKey} of the path. */
  byField: ReadonlyMap<string, Diagnostic[]>;
  /** Diagnostics of the flow itself (no node, no edge). */
  flow: Diagnostic[];
  errors: number;
  warnings: number;
}

/** A stable key of a config path: `rules.0.condition`. */
export function fieldKey(path: readonly (string | number)[]): string {
  return path.map(String).join('.');
}

const push = <K, V>(map: Map<K, V[]>, key: K, value: V) => {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
};

/** Groups diagnostics by where they belong. */
export function indexDiagnostics(diagnostics: readonly Diagnostic[]): DiagnosticIndex {
  const byNode = new Map<string, Diagnostic[]>();
  const byEdge = new Map<string, Diagnostic[]>();
  const byField = new Map<string, Diagnostic[]>();
  const flow: Diagnostic[] = [];
  let errors = 0;
  let warnings = 0;
  for (const d of diagnostics) {
    if (d.severity === 'error') errors++;
    else warnings++;
    if (d.edgeId) push(byEdge, d.edgeId, d);
    if (d.nodeId) {
      push(byNode, d.nodeId, d);
      if (d.path?.length) push(byField, `${d.nodeId}\u0000${fieldKey(d.path)}`, d);
    }
    if (!d.nodeId && !d.edgeId) flow.push(d);
  }
  return { byNode, byEdge, byField, flow, errors, warnings };
}

/** The diagnostics pinned on one field of a node's config (exactly that path). */
export function fieldDiagnostics(index: DiagnosticIndex, nodeId: string, path: readonly (string | number)[]): Diagnostic[] {
  return index.byField.get(`${nodeId}\u0000${fieldKey(path)}`) ?? [];
}

/** Badge counts per node or edge id. */
export function issueCounts(groups: ReadonlyMap<string, Diagnostic[]>): Record<string, IssueCount> {
  const counts: Record<string, IssueCount> = {};
  for (const [id, list] of groups) {
    const errors = list.filter((d) => d.severity === 'error').length;
    counts[id] = { errors, warnings: list.length - errors, first: (list.find((d) => d.severity === 'error') ?? list[0])?.message ?? '' };
  }
  return counts;
}

/**
 * Diagnostics may come back for a document that was edited since it was sent. Keep only those whose
 * node and edge still exist, so nothing is pinned on a node that is gone.
 */
export function relevantDiagnostics(diagnostics: readonly Diagnostic[], nodeIds: ReadonlySet<string>, edgeIds: ReadonlySet<string>): Diagnostic[] {
  return diagnostics.filter((d) => (!d.nodeId || nodeIds.has(d.nodeId)) && (!d.edgeId || edgeIds.has(d.edgeId)));
}

/** Errors first, then by node, for the problems panel. */
export function sortForProblemsPanel(diagnostics: readonly Diagnostic[], labelOf: (nodeId: string) => string): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1) ||
      labelOf(a.nodeId ?? '').localeCompare(labelOf(b.nodeId ?? '')) ||
      a.message.localeCompare(b.message),
  );
}
