/**
 * Parallels and joins: each parallel's branches meet at one join of its own without escaping to an end
 * or back to the fork, share no node, and are entered only from the fork; every join belongs to a
 * parallel. The parallels that pass become the plan's `parallels` (branches, join, join mode).
 */
import { diagnostic, type Diagnostic } from '../diagnostics';
import { type PortSpec } from '../nodes/types';
import { type PlanParallel } from '../plan';
import { type Compilation, quote } from './compilation';

/** Reports parallels whose branches do not meet at one join of their own, and joins without a parallel; returns the parallels that pass, by fork id. */
export function checkParallels(compilation: Compilation): Record<string, PlanParallel> {
  const parallelIds = [...compilation.compiled.values()].filter((c) => c.definition.type === 'parallel').map((c) => c.node.id).sort();
  // Results that did not depend on the parallels being resolved around them (`clean`) are memoized
  // with their diagnostics; each parallel's diagnostics are reported once, from its own resolution,
  // so they do not depend on the order in which parallels are met.
  type Resolution = { join: string | null; diagnostics: Diagnostic[]; members: Set<string> };
  const resolved = new Map<string, Resolution>();
  const joinsSeen = new Set<string>();

  /** `members`: the nodes of the fork's branches, nested forks included, up to and including its join. */
  const resolve = (parallelId: string, inProgress: Set<string>): Resolution & { clean: boolean } => {
    const memo = resolved.get(parallelId);
    if (memo) return { ...memo, clean: true };
    // A fork reached again from inside its own branches: its branches loop without joining; the
    // fork's own resolution reports it.
    if (inProgress.has(parallelId)) return { join: null, diagnostics: [], members: new Set(), clean: false };
    inProgress.add(parallelId);
    let clean = true;
    const compiled = compilation.compiled.get(parallelId)!;
    const reached: { port: PortSpec; joins: Set<string>; escapes: Set<string>; indeterminate: boolean; nodes: Set<string> }[] = [];
    for (const port of compiled.ports ?? []) {
      const entry = compilation.edgesFrom.get(parallelId)?.get(port.id)?.[0];
      const seen = new Set<string>();
      const branch = { port, joins: new Set<string>(), escapes: new Set<string>(), indeterminate: entry === undefined, nodes: seen };
      reached.push(branch);
      if (entry === undefined) continue;
      const queue = [entry];
      while (queue.length > 0) {
        const id = queue.pop()!;
        if (seen.has(id)) continue;
        seen.add(id);
        const node = compilation.compiled.get(id);
        if (!node) {
          branch.indeterminate = true;
          continue;
        }
        const type = node.definition.type;
        if (type === 'join') {
          branch.joins.add(id);
          joinsSeen.add(id);
        } else if (id === parallelId || type === 'end') {
          branch.escapes.add(id);
        } else if (type === 'parallel') {
          const inner = resolve(id, inProgress);
          if (!inner.clean) clean = false;
          if (inner.join === null) branch.indeterminate = true;
          else {
            for (const member of inner.members) seen.add(member);
            queue.push(...compilation.sortedSuccessors(inner.join));
          }
        } else {
          queue.push(...compilation.sortedSuccessors(id));
        }
      }
    }
    inProgress.delete(parallelId);

    const diagnostics: Diagnostic[] = [];
    let failed = false;
    for (const branch of reached) {
      for (const escape of [...branch.escapes].sort()) {
        failed = true;
        diagnostics.push(
          diagnostic(
            'FLOW_PARALLEL_BRANCH_ESCAPES',
            escape === parallelId
              ? `The ${quote(branch.port.label)} branch of the ${quote(compiled.name)} parallel loops back to it before reaching a join`
              : `The ${quote(branch.port.label)} branch of the ${quote(compiled.name)} parallel can reach the end node ${quote(compilation.nodeName(compilation.nodesById.get(escape)!))} without meeting the other branches at a join`,
            { nodeId: parallelId, path: ['branches', branch.port.id] },
          ),
        );
      }
      if (!branch.indeterminate && branch.joins.size === 0 && branch.escapes.size === 0) {
        failed = true;
        diagnostics.push(
          diagnostic('FLOW_PARALLEL_NO_JOIN', `The ${quote(branch.port.label)} branch of the ${quote(compiled.name)} parallel never reaches a join node`, {
            nodeId: parallelId,
            path: ['branches', branch.port.id],
          }),
        );
      }
    }
    const joins = new Set(reached.flatMap((b) => [...b.joins]));
    if (joins.size > 1) {
      failed = true;
      diagnostics.push(
        diagnostic(
          'FLOW_PARALLEL_MULTIPLE_JOINS',
          `The branches of the ${quote(compiled.name)} parallel meet at different joins (${compilation.names([...joins].sort())}); they must all meet at one`,
          { nodeId: parallelId },
        ),
      );
    }
    const join = !failed && joins.size === 1 && !reached.some((b) => b.indeterminate) ? [...joins][0]! : null;
    // Nodes are separate per branch: a node two branches share would run twice, concurrently.
    const owner = new Map<string, string>();
    const shared = new Set<string>();
    for (const branch of reached) {
      for (const id of branch.nodes) {
        if (id === parallelId || branch.joins.has(id) || branch.escapes.has(id)) continue;
        const first = owner.get(id);
        if (first !== undefined && first !== branch.port.id) shared.add(id);
        else owner.set(id, branch.port.id);
      }
    }
    if (shared.size > 0) {
      diagnostics.push(
        diagnostic(
          'FLOW_PARALLEL_BRANCHES_SHARE_NODES',
          `Several branches of the ${quote(compiled.name)} parallel go through ${compilation.names([...shared].sort())}, which would then run once per branch at the same time; give each branch its own steps`,
          { nodeId: parallelId },
        ),
      );
    }
    const members = new Set<string>();
    if (join !== null && shared.size === 0) {
      for (const branch of reached) for (const id of branch.nodes) members.add(id);
      members.delete(parallelId);
    }
    const result = { join: shared.size === 0 ? join : null, diagnostics, members };
    if (clean) resolved.set(parallelId, result);
    return { ...result, clean };
  };

  const parallels: Record<string, PlanParallel> = {};
  const owners = new Map<string, string[]>();
  for (const id of parallelIds) {
    const { join, diagnostics, members } = resolve(id, new Set());
    compilation.diagnostics.push(...diagnostics);
    if (join === null) continue;
    // Only the fork may lead into its branches: a connection from elsewhere would run branch steps
    // outside the parallel, and the join would wait for branches that never started.
    for (const edge of compilation.document.edges) {
      if (members.has(edge.target) && edge.source !== id && !members.has(edge.source) && compilation.nodesById.has(edge.source)) {
        compilation.report(
          'FLOW_PARALLEL_ENTERED_FROM_OUTSIDE',
          `A connection from ${quote(compilation.nodeName(compilation.nodesById.get(edge.source)!))} leads into a branch of the ${quote(compilation.compiled.get(id)!.name)} parallel; only the parallel may start its branches`,
          { nodeId: edge.target, edgeId: edge.id },
        );
      }
    }
    owners.set(join, [...(owners.get(join) ?? []), id]);
    const compiled = compilation.compiled.get(id)!;
    parallels[id] = {
      branches: (compiled.ports ?? []).map((port) => ({ port: port.id, entry: compilation.edgesFrom.get(id)!.get(port.id)![0]! })),
      join,
      mode: (compilation.compiled.get(join)?.config.mode as PlanParallel['mode'] | undefined) ?? 'all',
    };
  }
  for (const [join, parallelsOfJoin] of owners) {
    if (parallelsOfJoin.length > 1) {
      compilation.report('FLOW_JOIN_SHARED', `The ${quote(compilation.nodeName(compilation.nodesById.get(join)!))} join is where ${compilation.names(parallelsOfJoin)} all meet; give each parallel its own join`, {
        nodeId: join,
      });
    }
  }
  for (const compiled of compilation.compiled.values()) {
    if (compiled.definition.type === 'join' && !joinsSeen.has(compiled.node.id)) {
      compilation.report('FLOW_JOIN_WITHOUT_PARALLEL', `No parallel's branches meet at the ${quote(compiled.name)} join; remove it or connect it after a parallel`, {
        nodeId: compiled.node.id,
      });
    }
  }
  return parallels;
}
