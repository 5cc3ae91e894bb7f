/**
 * Loops: every cycle must wait for someone (a customer, an agent or a timer) and be bounded by a
 * node's visit limit, and the exits taken at the limits must lead out of it. The bounded cycles become
 * the plan's loops.
 */
import { type PlanLoop } from '../plan';
import { type Compilation, quote } from './compilation';
import { cyclicComponents } from './graph';

/** Reports cycles that never wait, have no limit or whose limit exits stay inside; returns every cycle among the reachable nodes as a plan loop. */
export function checkCycles(compilation: Compilation, reachable: Set<string>): PlanLoop[] {
  const ids = [...compilation.nodesById.keys()].sort();
  const waits = (id: string): boolean => compilation.compiled.get(id)?.definition.waits ?? true;
  const bounded = (id: string): boolean => compilation.compiled.get(id)?.loop !== undefined;
  // A node whose type or config is broken is already reported; treating it as waiting and bounded
  // keeps it from producing loop diagnostics of its own.
  const known = (id: string): boolean => compilation.compiled.has(id);

  for (const component of cyclicComponents(ids, compilation.successors, (id) => known(id) && !waits(id))) {
    compilation.report(
      'FLOW_CYCLE_WITHOUT_WAIT',
      `The loop through ${compilation.names(component)} never waits for the customer, an agent or a timer, so it would spin forever; route it through a bot, wait, escalate or survey node`,
      { nodeId: component[0]! },
    );
  }
  for (const component of cyclicComponents(ids, compilation.successors, (id) => known(id) && !bounded(id))) {
    compilation.report(
      'FLOW_CYCLE_UNBOUNDED',
      `The loop through ${compilation.names(component)} has no limit; set "maxVisits" on one of its nodes (e.g. allow the customer 3 tries)`,
      { nodeId: component[0]! },
    );
  }

  // Once its limit is reached a node no longer runs: the interpreter leaves through its loop exit.
  // With every limit reached, only those exits remain; if they still close a loop, the contact would
  // circle forever (and without waiting, since exhausted nodes do not run).
  const exitTarget = (id: string): string | undefined => {
    const loop = compilation.compiled.get(id)?.loop;
    return loop ? compilation.edgesFrom.get(id)?.get(loop.exitPort)?.[0] : undefined;
  };
  const afterLimits = (id: string): string[] => {
    if (!bounded(id)) return compilation.successors(id);
    const target = exitTarget(id);
    return target === undefined ? [] : [target];
  };
  for (const component of cyclicComponents(ids, afterLimits, known)) {
    const members = new Set(component);
    for (const id of component) {
      const target = exitTarget(id);
      if (target === undefined || !members.has(target)) continue;
      const compiled = compilation.compiled.get(id)!;
      compilation.report(
        'FLOW_LOOP_EXIT_INSIDE_LOOP',
        `When the ${quote(compiled.name)} step reaches its limit of ${compiled.loop!.maxVisits} visits it leaves through ${quote(compilation.portLabel(id, compiled.loop!.exitPort))}, which leads back into the loop; choose an exit that leaves it`,
        { nodeId: id, path: ['onMaxVisits'] },
      );
    }
  }

  return cyclicComponents(ids, compilation.successors, (id) => reachable.has(id))
    .map((nodes) => {
      const boundedBy = nodes.filter(bounded);
      return {
        nodes,
        via: nodes.filter((id) => compilation.compiled.get(id)?.definition.waits === true),
        bound: Math.min(...boundedBy.map((id) => compilation.compiled.get(id)!.loop!.maxVisits), Number.MAX_SAFE_INTEGER),
        boundedBy,
      };
    })
    .sort((a, b) => (a.nodes[0]! < b.nodes[0]! ? -1 : 1));
}
