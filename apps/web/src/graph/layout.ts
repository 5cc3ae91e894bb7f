/**
 * Auto-layout with ELK's layered algorithm (Sugiyama), left to right, with each node's exits as fixed
 * ports in their on-screen order so edges leave from the right handle and rarely cross. The ELK
 * graph is built and read back by pure functions; the layout engine is passed in.
 */
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
import { type PortContext, portsForNode } from './ports';
import type { DesignerEdge, DesignerNode } from './types';

/** The part of an ELK instance the layout needs (elkjs's `ELK#layout`). */
export interface LayoutEngine {
  layout(graph: ElkNode): Promise<ElkNode>;
}

/** Size of a node before the canvas has measured it: what the node component draws. */
export function estimatedNodeSize(portCount: number): { width: number; height: number } {
  return { width: 240, height: 58 + Math.max(1, portCount) * 22 };
}

const LAYOUT_OPTIONS: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.layered.spacing.nodeNodeBetweenLayers': '90',
  'elk.spacing.nodeNode': '40',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.layered.crossingMinimization.strategy': 'LAYER_SWEEP',
  'elk.edgeRouting': 'SPLINES',
  'elk.portConstraints': 'FIXED_ORDER',
  // Parts of a flow that are not connected yet are laid out side by side instead of overlapping.
  'elk.separateConnectedComponents': 'true',
};

/**
 * The ELK graph of the canvas: one ELK node per node (its measured or estimated size), one port per
 * exit on its right side in order, one input port on its left, and the edges between ports.
 */
export function toElkGraph(nodes: readonly DesignerNode[], edges: readonly DesignerEdge[], context?: PortContext): ElkNode {
  const portIds = new Set<string>();
  const children: ElkNode[] = nodes.map((n) => {
    const ports = portsForNode(n.data, context);
    const size = estimatedNodeSize(ports.length);
    const width = n.measured?.width ?? n.width ?? size.width;
    const height = n.measured?.height ?? n.height ?? size.height;
    const elkPorts = [
      { id: `${n.id}::in`, layoutOptions: { 'elk.port.side': 'WEST', 'elk.port.index': '0' } },
      ...ports.map((p, i) => ({ id: `${n.id}::out::${p.id}`, layoutOptions: { 'elk.port.side': 'EAST', 'elk.port.index': String(i) } })),
    ];
    for (const p of elkPorts) portIds.add(p.id);
    return { id: n.id, width, height, ports: elkPorts, layoutOptions: { 'elk.portConstraints': 'FIXED_ORDER' } };
  });
  const elkEdges: ElkExtendedEdge[] = edges.flatMap((e) => {
    const source = `${e.source}::out::${e.sourceHandle ?? ''}`;
    const target = `${e.target}::in`;
    // An edge from an exit that no longer exists still pulls its nodes together, from the node itself.
    return [{ id: e.id, sources: [portIds.has(source) ? source : e.source], targets: [portIds.has(target) ? target : e.target] }];
  });
  return { id: 'root', layoutOptions: LAYOUT_OPTIONS, children, edges: elkEdges };
}

/** Node positions from a laid-out ELK graph (top-left corners, as React Flow positions nodes). */
export function positionsFromElk(graph: ElkNode): Map<string, { x: number; y: number }> {
  return new Map((graph.children ?? []).map((c) => [c.id, { x: Math.round(c.x ?? 0), y: Math.round(c.y ?? 0) }]));
}

/** The nodes moved to their laid-out positions; nodes ELK did not place keep theirs. */
export function applyPositions(nodes: readonly DesignerNode[], positions: ReadonlyMap<string, { x: number; y: number }>): DesignerNode[] {
  return nodes.map((n) => {
    const p = positions.get(n.id);
    return p && (p.x !== n.position.x || p.y !== n.position.y) ? { ...n, position: p } : n;
  });
}

/** Lays the graph out with the given engine and returns the moved nodes. */
export async function layoutGraph(engine: LayoutEngine, nodes: readonly DesignerNode[], edges: readonly DesignerEdge[], context?: PortContext): Promise<DesignerNode[]> {
  const laidOut = await engine.layout(toElkGraph(nodes, edges, context));
  return applyPositions(nodes, positionsFromElk(laidOut));
}
