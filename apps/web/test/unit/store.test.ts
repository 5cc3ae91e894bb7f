import { createDesignerStore } from '../../src/store/designer-store';
import { selectors } from '../../src/store/designer-store';
import { smallFlow, testCatalog } from './fixtures';

function setup() {
  let clock = 0;
  const store = createDesignerStore({ now: () => clock });
  store.getState().setCatalog(testCatalog());
  store.getState().loadFlow(smallFlow(), { revision: 3, latestVersion: 1 });
  return { store, s: () => store.getState(), tick: (ms: number) => (clock += ms) };
}

describe('designer store actions', () => {
  it('loadFlow shows the document and starts a clean history', () => {
    const { s } = setup();
    expect(s().nodes).toHaveLength(4);
    expect(s().revision).toBe(3);
    expect(s().saveState).toBe('saved');
    expect(selectors.canUndo(s())).toBe(false);
    expect(s().document()).toEqual(smallFlow());
  });

  it('addNodeByType adds the newest version with a starting config, selected alone, as one undo step', () => {
    const { s } = setup();
    const id = s().addNodeByType('decision', { x: 900, y: 0 })!;
    const node = s().nodes.find((n) => n.id === id)!;
    expect(id).toBe('decision');
    expect(node).toMatchObject({ type: 'logic', selected: true, data: { nodeType: 'decision', typeVersion: 1, label: 'Decision' } });
    expect((node.data.config.rules as unknown[]).length).toBe(1);
    expect([...s().selectedIds]).toEqual([id]);
    expect(s().saveState).toBe('unsaved');
    s().undo();
    expect(s().nodes.some((n) => n.id === id)).toBe(false);
    s().redo();
    expect(s().nodes.some((n) => n.id === id)).toBe(true);
    expect(s().addNodeByType('teleport')).toBeNull();
    expect(s().notice?.tone).toBe('error');
  });

  it('connect follows the connection rules and explains a refusal', () => {
    const { s } = setup();
    const bot = s().addNodeByType('bot')!;
    expect(s().connect({ source: 'triage', sourceHandle: 'default', target: bot })).toBe(true);
    expect(s().edges.filter((e) => e.source === 'triage' && e.sourceHandle === 'default').map((e) => e.target)).toEqual([bot]);
    expect(s().connect({ source: bot, sourceHandle: 'resolved', target: 'start' })).toBe(false);
    expect(s().notice?.text).toMatch(/start/);
  });

  it('updateNodeConfig coalesces typing into one undo step and re-derives exits', () => {
    const { s, tick } = setup();
    const config = (condition: string) => ({ rules: [{ id: 'vip', condition }, { id: 'angry', condition: 'nlu.sentiment < -0.5' }] });
    s().updateNodeConfig('triage', config('c'));
    tick(200);
    s().updateNodeConfig('triage', config('cu'));
    tick(200);
    s().updateNodeConfig('triage', config('cus'));
    expect(s().checkConnection({ source: 'triage', sourceHandle: 'angry', target: 'done' }).ok).toBe(true);
    s().undo();
    expect(s().nodes.find((n) => n.id === 'triage')!.data.config).toEqual(smallFlow().nodes[1]!.config);
    expect(selectors.canUndo(s())).toBe(false);
  });

  it('onNodesChange: a drag is one undo step, selection is not an edit, removal takes the connections along', () => {
    const { s, tick } = setup();
    const stamp = s().editStamp;
    s().onNodesChange([{ type: 'select', id: 'triage', selected: true }]);
    expect(s().editStamp).toBe(stamp);
    expect(selectors.selectedNode(s())?.id).toBe('triage');
    for (let x = 310; x <= 400; x += 30) {
      s().onNodesChange([{ type: 'position', id: 'triage', position: { x, y: 0 }, dragging: true }]);
      tick(16);
    }
    s().onNodesChange([{ type: 'position', id: 'triage', dragging: false }]);
    expect(s().nodes.find((n) => n.id === 'triage')!.position.x).toBe(400);
    s().onNodesChange([{ type: 'remove', id: 'triage' }]);
    expect(s().edges.map((e) => e.id)).toEqual([]);
    s().onEdgesChange([{ type: 'remove', id: 'e1' }]); // React Flow sends these too; already gone
    s().undo();
    expect(s().edges).toHaveLength(3);
    s().undo();
    expect(s().nodes.find((n) => n.id === 'triage')!.position.x).toBe(300);
  });

  it('deleting a step as React Flow does (its connections first, then the step) is one undo step that brings both back', () => {
    const { s } = setup();
    s().onNodesChange([{ type: 'select', id: 'triage', selected: true }]);
    const connections = s().edges.filter((e) => e.source === 'triage' || e.target === 'triage').map((e) => e.id);
    expect(connections.length).toBeGreaterThan(0);
    s().onEdgesChange(connections.map((id) => ({ type: 'remove' as const, id })));
    s().onNodesChange([{ type: 'remove', id: 'triage' }]);
    expect(s().nodes.some((n) => n.id === 'triage')).toBe(false);
    s().undo();
    expect(s().nodes.some((n) => n.id === 'triage')).toBe(true);
    expect(s().edges.map((e) => e.id)).toEqual(expect.arrayContaining(connections));
    expect(s().document()).toEqual(smallFlow());
    // A connection removed on its own is its own undo step.
    s().onEdgesChange([{ type: 'remove', id: connections[0]! }]);
    s().undo();
    expect(s().edges.map((e) => e.id)).toContain(connections[0]);
  });

  it('copy / paste and duplicate give fresh ids and keep the inner connections', () => {
    const { s } = setup();
    s().selectNodes(['triage', 'done']);
    expect(s().copy()?.nodes).toHaveLength(2);
    const pasted = s().paste();
    expect(pasted).toEqual(['triage-2', 'done-2']);
    expect(s().edges.some((e) => e.source === 'triage-2' && e.target === 'done-2')).toBe(true);
    expect([...s().selectedIds]).toEqual(pasted);
    const again = s().paste();
    expect(again).toEqual(['triage-3', 'done-3']);
    expect(s().nodes.find((n) => n.id === 'triage-3')!.position.x).toBeGreaterThan(s().nodes.find((n) => n.id === 'triage-2')!.position.x);
    s().selectNodes(['start']);
    expect(s().duplicateSelection()).toEqual(['start-2']);
  });

  it('deleteSelection removes selected nodes and edges; selectAll selects every node', () => {
    const { s } = setup();
    s().selectAll();
    expect(s().selectedIds.size).toBe(4);
    s().selectNodes(['done']);
    s().deleteSelection();
    expect(s().nodes.map((n) => n.id)).toEqual(['start', 'triage', 'vip-end']);
    expect(s().edges.map((e) => e.id)).toEqual(['e1', 'e2']);
  });

  it('applyDiagnostics pins diagnostics on nodes and edges, dropping those of deleted nodes', () => {
    const { s } = setup();
    s().applyDiagnostics(
      [
        { code: 'FLOW_EXPR_TYPE', severity: 'error', message: 'no such field', nodeId: 'triage', path: ['rules', 0, 'condition'], range: { start: 0, end: 3 } },
        { code: 'FLOW_NODE_UNREACHABLE', severity: 'warning', message: 'unreachable', nodeId: 'ghost' },
        { code: 'FLOW_EDGE_UNKNOWN_PORT', severity: 'error', message: 'bad exit', edgeId: 'e2' },
      ],
      s().editStamp,
    );
    expect(s().nodeIssues).toEqual({ triage: { errors: 1, warnings: 0, first: 'no such field' } });
    expect(s().edgeIssues.e2?.errors).toBe(1);
    expect(s().diagnostics).toHaveLength(2);
    expect(s().diagnosticsStamp).toBe(s().editStamp);
  });

  it('autoLayout moves nodes with the engine as one undo step', async () => {
    const { s } = setup();
    const engine = { layout: async (g: { children?: { id: string }[] }) => ({ ...g, children: (g.children ?? []).map((c, i) => ({ ...c, x: i * 100, y: 7 })) }) };
    await s().autoLayout(engine as never);
    expect(s().nodes.map((n) => n.position)).toEqual([0, 100, 200, 300].map((x) => ({ x, y: 7 })));
    s().undo();
    expect(s().nodes.map((n) => n.position.x)).toEqual([0, 300, 600, 600]);
  });

  it('updateFlowMeta and markSaved track the save state against later edits', () => {
    const { s } = setup();
    s().updateFlowMeta({ name: 'Renamed' });
    const savedStamp = s().editStamp;
    s().setSaveState('saving');
    s().updateFlowMeta({ description: 'typed while saving' });
    s().markSaved(4, savedStamp);
    expect(s().revision).toBe(4);
    expect(s().saveState).toBe('unsaved');
    s().markSaved(5, s().editStamp, 2);
    expect([s().saveState, s().latestVersion]).toEqual(['saved', 2]);
    expect(s().document()!.name).toBe('Renamed');
  });

  it('focusNode selects the node and asks the canvas to show it', () => {
    const { s } = setup();
    s().focusNode('done');
    expect([...s().selectedIds]).toEqual(['done']);
    expect(s().focusRequest?.nodeId).toBe('done');
    s().focusNode('nope');
    expect(s().focusRequest?.nodeId).toBe('done');
  });
});
