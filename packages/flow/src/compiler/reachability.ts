/**
 * Where contacts enter and where they can go: exactly one start node, accepting only the flow's
 * channels, and every node reachable from it (the plan keeps only the reachable ones).
 */
import { type Compilation, quote } from './compilation';
import { type PlanGuarantees } from '../plan';
import { reachableFrom } from './graph';

/** The id of the flow's one start node, or undefined (reported) when there is none or several. */
export function checkStart(compilation: Compilation): string | undefined {
  const starts = [...compilation.nodesById.values()].filter((n) => n.type === 'start');
  if (starts.length === 0) {
    compilation.report('FLOW_NO_START', 'The flow has no start node: add one where contacts enter');
    return undefined;
  }
  if (starts.length > 1) {
    for (const start of starts) {
      compilation.report('FLOW_MULTIPLE_STARTS', `The flow has ${starts.length} start nodes; keep exactly one`, { nodeId: start.id });
    }
    return undefined;
  }
  const start = starts[0]!;
  const compiled = compilation.compiled.get(start.id);
  const channels = (compiled?.config.channels as string[] | undefined) ?? [];
  channels.forEach((channel, i) => {
    if (!compilation.document.channels.includes(channel as never)) {
      compilation.report('FLOW_CHANNEL_NOT_DECLARED', `The start accepts "${channel}", but the flow only declares ${compilation.document.channels.join(', ')}`, {
        nodeId: start.id,
        path: ['channels', i],
      });
    }
  });
  return start.id;
}

/**
 * The nodes reachable from the start — through the connections, and from a step that honours the
 * escape hatch to its target; every other node is reported as never running.
 */
export function checkReachability(compilation: Compilation, start: string, guarantees: PlanGuarantees): Set<string> {
  const { target, nodes } = guarantees.escalation;
  const hatch = new Set(nodes);
  const successors = (id: string): string[] => (target !== undefined && hatch.has(id) ? [...compilation.successors(id), target] : compilation.successors(id));
  const reachable = reachableFrom(start, successors);
  for (const node of compilation.nodesById.values()) {
    if (!reachable.has(node.id)) {
      compilation.report('FLOW_NODE_UNREACHABLE', `No path from the start leads to the ${quote(compilation.nodeName(node))} node, so it never runs`, { nodeId: node.id });
    }
  }
  return reachable;
}
