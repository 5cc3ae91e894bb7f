import { type FlowDocument, flowDocumentSchema } from '@tandem/flow';
import { diffFlows, valueChanges } from './flow-diff';

const base: FlowDocument = flowDocumentSchema.parse({
  id: 'support',
  name: 'Support',
  channels: ['chat'],
  nodes: [
    { id: 'start', type: 'start', config: {} },
    { id: 'route', type: 'decision', label: 'VIP?', config: { rules: [{ id: 'vip', condition: 'customer.tier == "vip"' }] } },
    { id: 'done', type: 'end', config: { outcome: 'resolved_by_bot' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourcePort: 'next', target: 'route' },
    { id: 'e2', source: 'route', sourcePort: 'default', target: 'done' },
  ],
});

const edit = (fn: (d: FlowDocument) => void): FlowDocument => {
  const copy = structuredClone(base);
  fn(copy);
  return copy;
};

describe('diffFlows', () => {
  it('finds nothing between a document and itself, whatever the order of nodes and edges', () => {
    const shuffled = edit((d) => {
      d.nodes.reverse();
      d.edges.reverse();
    });
    expect(diffFlows(base, shuffled)).toMatchObject({ identical: true, flow: [] });
  });

  it('reports tests added, removed and edited, one change per test', () => {
    const test = (id: string, name: string) => ({ id, name, customer: { id: 'c', tier: 'standard', authenticated: false, attributes: {} }, firstMessage: 'hi', turns: [], expect: { at: 'route' } });
    const before = edit((d) => {
      d.tests = [test('kept', 'Kept'), test('edited', 'Before'), test('removed', 'Removed')];
    });
    const after = edit((d) => {
      d.tests = [test('edited', 'After'), test('kept', 'Kept'), test('added', 'Added')];
    });
    const diff = diffFlows(before, after);
    expect(diff.identical).toBe(false);
    expect(diff.flow).toEqual([
      { path: 'tests.added', to: test('added', 'Added') },
      { path: 'tests.edited', from: test('edited', 'Before'), to: test('edited', 'After') },
      { path: 'tests.removed', from: test('removed', 'Removed') },
    ]);
  });

  it('reports added, removed and changed nodes with the config paths that changed', () => {
    const next = edit((d) => {
      d.nodes = d.nodes.filter((n) => n.id !== 'done');
      d.nodes.push({ id: 'agent', type: 'escalate', typeVersion: 1, position: { x: 1, y: 1 }, config: { queue: 'billing' } });
      (d.nodes[1]!.config as { rules: { condition: string }[] }).rules[0]!.condition = 'customer.tier == "gold"';
      d.nodes[1]!.label = 'Gold?';
    });
    const diff = diffFlows(base, next);
    expect(diff.identical).toBe(false);
    expect(diff.nodes.added).toEqual([{ id: 'agent', type: 'escalate' }]);
    expect(diff.nodes.removed).toEqual([{ id: 'done', type: 'end' }]);
    expect(diff.nodes.changed).toEqual([
      {
        id: 'route',
        type: 'decision',
        label: 'Gold?',
        changes: [
          { path: 'config.rules.0.condition', from: 'customer.tier == "vip"', to: 'customer.tier == "gold"' },
          { path: 'label', from: 'VIP?', to: 'Gold?' },
        ],
      },
    ]);
  });

  it('separates nodes that only moved on the canvas', () => {
    const diff = diffFlows(base, edit((d) => (d.nodes[0]!.position = { x: 50, y: 60 })));
    expect(diff.nodes.changed).toEqual([]);
    expect(diff.nodes.moved).toEqual(['start']);
    expect(diff.identical).toBe(false);
  });

  it('reports re-wired, added and removed edges, and flow-level changes', () => {
    const next = edit((d) => {
      d.name = 'Support v2';
      d.channels = ['chat', 'email'];
      d.edges[1]!.target = 'start';
      d.edges.push({ id: 'e3', source: 'route', sourcePort: 'vip', target: 'done' });
      d.edges.shift();
    });
    const diff = diffFlows(base, next);
    expect(diff.flow.map((c) => c.path)).toEqual(['name', 'channels']);
    expect(diff.edges.added.map((e) => e.id)).toEqual(['e3']);
    expect(diff.edges.removed.map((e) => e.id)).toEqual(['e1']);
    expect(diff.edges.changed).toEqual([{ id: 'e2', from: base.edges[1], to: { ...base.edges[1], target: 'start' } }]);
  });
});

describe('valueChanges', () => {
  it('walks objects and arrays down to the leaves', () => {
    expect(valueChanges({ a: [1, 2], b: { c: 'x' } }, { a: [1, 3, 4], b: { c: 'x', d: true } })).toEqual([
      { path: 'a.1', from: 2, to: 3 },
      { path: 'a.2', from: undefined, to: 4 },
      { path: 'b.d', from: undefined, to: true },
    ]);
  });
});
