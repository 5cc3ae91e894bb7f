/**
 * A valid flow of about `size` nodes for the render benchmark: a binary tree of decisions whose
 * leaves send a message and end, laid out by depth. Valid, so no diagnostic badges skew the numbers.
 */
import { flowGuaranteesSchema, type FlowDocument } from '@tandem/flow';

export function generateFlow(id: string, size: number): FlowDocument {
  // 1 start + D decisions + (D + 1) leaves × (message + end) = 3D + 3 nodes.
  const decisions = Math.max(1, Math.round((size - 3) / 3));
  const nodes: FlowDocument['nodes'] = [{ id: 'start', type: 'start', typeVersion: 1, position: { x: 0, y: 0 }, label: 'Contact arrives', config: {} }];
  const edges: FlowDocument['edges'] = [];
  let leafRow = 0;
  let counter = 0;
  // Builds the subtree with `count` decisions under `parent.port`; returns the y of its root.
  const build = (count: number, depth: number, parent: string, port: string): number => {
    if (count === 0) {
      const n = counter++;
      const y = leafRow++ * 110;
      nodes.push({ id: `say-${n}`, type: 'message', typeVersion: 1, position: { x: (depth + 1) * 300, y }, label: `Answer ${n}`, config: { text: `Thanks {{customer.name}}, here is answer ${n}.` } });
      nodes.push({ id: `end-${n}`, type: 'end', typeVersion: 1, position: { x: (depth + 2) * 300, y }, label: `Done ${n}`, config: { outcome: 'resolved_by_bot' } });
      edges.push({ id: `e-${parent}-${port}`, source: parent, sourcePort: port, target: `say-${n}` });
      edges.push({ id: `e-say-${n}`, source: `say-${n}`, sourcePort: 'next', target: `end-${n}` });
      return y;
    }
    const id = `decide-${counter++}`;
    const left = Math.floor((count - 1) / 2);
    nodes.push({ id, type: 'decision', typeVersion: 1, position: { x: (depth + 1) * 300, y: 0 }, label: `Check ${id}`, config: { rules: [{ id: 'yes', label: 'VIP', condition: 'customer.tier == "vip"' }] } });
    edges.push({ id: `e-${parent}-${port}`, source: parent, sourcePort: port, target: id });
    const a = build(left, depth + 1, id, 'yes');
    const b = build(count - 1 - left, depth + 1, id, 'default');
    const node = nodes.find((n) => n.id === id) as FlowDocument['nodes'][number];
    node.position = { x: node.position.x, y: Math.round((a + b) / 2) };
    return node.position.y;
  };
  const rootY = build(decisions, 0, 'start', 'next');
  // Level with the first decision, as a layout would place it.
  (nodes[0] as FlowDocument['nodes'][number]).position = { x: 0, y: rootY };
  return { schemaVersion: 1, id, name: `Generated ${nodes.length} nodes`, description: 'Render benchmark', channels: ['chat'], variables: [], nodes, edges, guarantees: flowGuaranteesSchema.parse({}), tests: [] };
}
