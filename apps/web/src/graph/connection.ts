/**
 * Connection rules of the canvas: what the designer may draw. They mirror the compiler's structural
 * rules that can be decided from one connection (nothing into a start, exits that exist, one
 * connection per exit), so a mistake is refused while drawing with a reason, not only reported later.
 */
import { edgeIdFor } from './document';
import { hasInput, type PortContext, portsForNode } from './ports';
import { type DesignerEdge, type DesignerNode, INPUT_HANDLE } from './types';

/** A connection being drawn: from a node's exit to another node. */
export interface ConnectionAttempt {
  source: string | null;
  sourceHandle?: string | null;
  target: string | null;
}

export type ConnectionVerdict =
  /** `replaces`: the edge already leaving this exit, which the new connection takes the place of. */
  | { ok: true; replaces?: DesignerEdge }
  | { ok: false; reason: string };

/**
 * Whether a connection may be drawn, and why not. Connecting an exit that is already connected is
 * allowed and replaces the old connection (one connection per exit, as the compiler requires).
 */
export function checkConnection(attempt: ConnectionAttempt, nodes: readonly DesignerNode[], edges: readonly DesignerEdge[], context?: PortContext): ConnectionVerdict {
  const source = nodes.find((n) => n.id === attempt.source);
  const target = nodes.find((n) => n.id === attempt.target);
  if (!source || !target) return { ok: false, reason: 'Connect an exit to another step.' };
  if (!hasInput(target.data.nodeType, target.data.typeVersion)) {
    return { ok: false, reason: 'Nothing can lead into the start: connect to the first step after it.' };
  }
  const port = attempt.sourceHandle;
  const ports = portsForNode(source.data, context);
  if (!port || !ports.some((p) => p.id === port)) return { ok: false, reason: 'Drag from one of the step’s exits.' };
  const existing = edges.find((e) => e.source === source.id && e.sourceHandle === port);
  if (existing?.target === target.id) return { ok: false, reason: 'These steps are already connected through this exit.' };
  return existing ? { ok: true, replaces: existing } : { ok: true };
}

/**
 * The edges after connecting: the new edge added, the one it replaces (same exit) removed.
 * Returns `null` when the connection is refused.
 */
export function connectEdges(attempt: ConnectionAttempt, nodes: readonly DesignerNode[], edges: readonly DesignerEdge[], context?: PortContext): DesignerEdge[] | null {
  const verdict = checkConnection(attempt, nodes, edges, context);
  if (!verdict.ok) return null;
  const sourcePort = attempt.sourceHandle as string;
  const source = attempt.source as string;
  const target = attempt.target as string;
  const taken = new Set(edges.map((e) => e.id));
  let id = edgeIdFor(source, sourcePort, target);
  for (let i = 2; taken.has(id) && id !== verdict.replaces?.id; i++) id = `${edgeIdFor(source, sourcePort, target)}#${i}`;
  const kept = verdict.replaces ? edges.filter((e) => e.id !== verdict.replaces?.id) : [...edges];
  return [...kept, { id, source, sourceHandle: sourcePort, target, targetHandle: INPUT_HANDLE }];
}

/**
 * Edges whose exit no longer exists on their node (a decision rule was renamed or deleted). The
 * canvas keeps them, drawn as broken, and the compiler reports them; this lists them for the UI.
 */
export function danglingEdges(nodes: readonly DesignerNode[], edges: readonly DesignerEdge[], context?: PortContext): DesignerEdge[] {
  const portsByNode = new Map(nodes.map((n) => [n.id, new Set(portsForNode(n.data, context).map((p) => p.id))]));
  return edges.filter((e) => !portsByNode.get(e.source)?.has(e.sourceHandle ?? ''));
}

/** Exits of a node with nothing connected: what the designer still has to wire. */
export function unconnectedPorts(node: DesignerNode, edges: readonly DesignerEdge[], context?: PortContext): string[] {
  const used = new Set(edges.filter((e) => e.source === node.id).map((e) => e.sourceHandle));
  return portsForNode(node.data, context)
    .map((p) => p.id)
    .filter((id) => !used.has(id));
}
