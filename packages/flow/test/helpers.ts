import { type FlowDocumentInput, type FlowNodeInput } from '../src';

/** An edge as `[source, port, target]`; its id is derived. */
export type EdgeTuple = [string, string, string];

/** A document from nodes and edge tuples, with a single `chat` channel unless told otherwise. */
export function flowDoc(nodes: FlowNodeInput[], edges: EdgeTuple[], extra: Partial<FlowDocumentInput> = {}): FlowDocumentInput {
  return {
    id: 'test-flow',
    name: 'Test flow',
    channels: ['chat'],
    nodes,
    edges: edges.map(([source, sourcePort, target]) => ({ id: `${source}.${sourcePort}->${target}`, source, sourcePort, target })),
    ...extra,
  };
}

export const start = (id = 'start'): FlowNodeInput => ({ id, type: 'start', config: {} });
export const end = (id = 'end', outcome = 'resolved_by_bot'): FlowNodeInput => ({ id, type: 'end', config: { outcome } });
export const message = (id: string, text = 'Hello {{customer.name}}'): FlowNodeInput => ({ id, type: 'message', config: { text } });
export const decision = (id: string, rules: { id: string; condition: string }[]): FlowNodeInput => ({ id, type: 'decision', config: { rules } });
export const wait = (id: string, extra: Record<string, unknown> = {}): FlowNodeInput => ({ id, type: 'wait', config: { mode: 'reply', timeoutSeconds: 60, ...extra } });

/** start → (nodes in order through their `next` port) → end. */
export function linear(...middle: FlowNodeInput[]): FlowDocumentInput {
  const nodes = [start(), ...middle, end()];
  const edges: EdgeTuple[] = [];
  for (let i = 0; i < nodes.length - 1; i++) edges.push([nodes[i]!.id, 'next', nodes[i + 1]!.id]);
  return flowDoc(nodes, edges);
}

export function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
