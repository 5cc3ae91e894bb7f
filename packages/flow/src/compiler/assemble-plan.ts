/**
 * Plan assembly: the reachable nodes with their exits resolved to node ids, the variables, parallels
 * and loops, normalized (sorted keys) and content-hashed. Runs only on a document without errors.
 */
import { canonicalize, sha256Hex } from '../hash';
import { type Plan, type PlanGuarantees, type PlanLoop, type PlanNode, type PlanParallel, type PlanVariable } from '../plan';
import { type Compilation } from './compilation';

/** The plan of a document that compiled without errors. */
export function buildPlan(
  compilation: Compilation,
  start: string,
  reachable: Set<string>,
  variables: PlanVariable[],
  parallels: Record<string, PlanParallel>,
  loops: PlanLoop[],
  guarantees: PlanGuarantees,
): Plan {
  const nodes: Record<string, PlanNode> = {};
  for (const id of [...reachable].sort()) {
    const compiled = compilation.compiled.get(id)!;
    const next: Record<string, string> = {};
    for (const port of [...(compiled.ports ?? [])].sort((a, b) => (a.id < b.id ? -1 : 1))) {
      next[port.id] = compilation.edgesFrom.get(id)!.get(port.id)![0]!;
    }
    nodes[id] = {
      id,
      type: compiled.definition.type,
      typeVersion: compiled.definition.typeVersion,
      label: compiled.name,
      config: compiled.config,
      next,
      expressions: compiled.expressions,
      waits: compiled.definition.waits,
      ...(compiled.loop ? { loop: compiled.loop } : {}),
    };
  }
  const reachableParallels = Object.fromEntries(Object.entries(parallels).filter(([id]) => reachable.has(id)));
  const unhashed = {
    schemaVersion: 1 as const,
    flowId: compilation.document.id,
    name: compilation.document.name,
    channels: [...new Set(compilation.document.channels)].sort(),
    variables,
    start,
    nodes,
    parallels: reachableParallels,
    loops,
    // Only the steps of the plan honour the hatch (an unreachable one is left out with its node).
    guarantees: { ...guarantees, escalation: { ...guarantees.escalation, nodes: guarantees.escalation.nodes.filter((id) => reachable.has(id)) } },
  };
  // Sorting keys both defines the hash input and normalizes the plan, so equal plans serialize
  // equally (planHash recomputes exactly this).
  const plan = canonicalize(unhashed);
  return { ...plan, hash: sha256Hex(JSON.stringify(plan)) };
}
