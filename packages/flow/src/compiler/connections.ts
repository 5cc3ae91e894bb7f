/**
 * The connections between nodes: each leaves a real exit of a real node and leads to a real node (never
 * into the start), every exit leads to exactly one node. What passes becomes `compilation.edgesFrom`,
 * the graph the later passes walk.
 */
import { getNodeDefinition } from '../nodes';
import { type Compilation, quote } from './compilation';

/** Checks every connection and records the valid ones in `compilation.edgesFrom`. */
export function checkEdges(compilation: Compilation): void {
  const edgeIdCounts = new Map<string, number>();
  for (const edge of compilation.document.edges) edgeIdCounts.set(edge.id, (edgeIdCounts.get(edge.id) ?? 0) + 1);

  for (const edge of compilation.document.edges) {
    if ((edgeIdCounts.get(edge.id) ?? 0) > 1) {
      compilation.report('FLOW_DUPLICATE_EDGE_ID', `${edgeIdCounts.get(edge.id)} connections have the id "${edge.id}"; ids must be unique`, { edgeId: edge.id });
    }
    const source = compilation.nodesById.get(edge.source);
    const target = compilation.nodesById.get(edge.target);
    if (!source) {
      compilation.report('FLOW_EDGE_UNKNOWN_SOURCE', `A connection leaves from "${edge.source}", which is not a node of this flow`, { edgeId: edge.id });
    }
    if (!target) {
      compilation.report('FLOW_EDGE_UNKNOWN_TARGET', `A connection leads to "${edge.target}", which is not a node of this flow`, {
        edgeId: edge.id,
        ...(source ? { nodeId: source.id } : {}),
      });
    }
    if (!source || !target) continue;

    const targetDefinition = getNodeDefinition(target.type, target.typeVersion);
    if (targetDefinition && !targetDefinition.hasInput) {
      compilation.report('FLOW_EDGE_INTO_START', `A connection from ${quote(compilation.nodeName(source))} leads into the start node; nothing may connect into the start`, {
        edgeId: edge.id,
        nodeId: target.id,
      });
      continue;
    }

    const compiledSource = compilation.compiled.get(source.id);
    const ports = compiledSource?.ports;
    if (ports && !ports.some((p) => p.id === edge.sourcePort)) {
      compilation.report(
        'FLOW_EDGE_UNKNOWN_PORT',
        ports.length === 0
          ? `A connection leaves the ${quote(compilation.nodeName(source))} node, which has no exits`
          : `A connection leaves the ${quote(compilation.nodeName(source))} node from "${edge.sourcePort}", which is not one of its exits (${ports.map((p) => p.id).join(', ')})`,
        { edgeId: edge.id, nodeId: source.id },
      );
      continue;
    }
    let byPort = compilation.edgesFrom.get(source.id);
    if (!byPort) compilation.edgesFrom.set(source.id, (byPort = new Map<string, string[]>()));
    const targets = byPort.get(edge.sourcePort) ?? [];
    targets.push(target.id);
    byPort.set(edge.sourcePort, targets);
  }

  for (const [sourceId, byPort] of compilation.edgesFrom) {
    for (const [port, targets] of byPort) {
      if (targets.length > 1) {
        const source = compilation.nodesById.get(sourceId)!;
        for (const edge of compilation.document.edges.filter((e) => e.source === sourceId && e.sourcePort === port)) {
          compilation.report(
            'FLOW_PORT_MULTIPLE_EDGES',
            `The ${quote(compilation.nodeName(source))} node's ${quote(compilation.portLabel(sourceId, port))} exit has ${targets.length} connections; an exit leads to one node (use a parallel node to do several things at once)`,
            { nodeId: sourceId, edgeId: edge.id, path: ['ports', port] },
          );
        }
      }
    }
  }
}

/** Every exit of every valid node is connected. */
export function checkPorts(compilation: Compilation): void {
  for (const compiled of compilation.compiled.values()) {
    for (const port of compiled.ports ?? []) {
      if (!compilation.edgesFrom.get(compiled.node.id)?.get(port.id)?.length) {
        compilation.report('FLOW_PORT_UNCONNECTED', `The ${quote(compiled.name)} step's ${quote(port.label)} exit is not connected to anything`, {
          nodeId: compiled.node.id,
          path: ['ports', port.id],
        });
      }
    }
  }
}
