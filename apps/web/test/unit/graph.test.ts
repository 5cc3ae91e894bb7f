import { flowDocumentSchema } from '@tandem/flow';
import { containmentInWords, moodInWords, triggerInWords } from '../../src/graph/words';
import { copySelection, parseFragment, pasteFragment } from '../../src/graph/clipboard';
import { checkConnection, connectEdges, danglingEdges, unconnectedPorts } from '../../src/graph/connection';
import { fieldDiagnostics, indexDiagnostics, issueCounts, relevantDiagnostics } from '../../src/graph/diagnostics';
import type { FlowDiff, NodeMetricsView } from '@tandem/api-contract';
import { buildDiffView, REMOVED_PREFIX } from '../../src/graph/diff';
import { categoryOf, documentToGraph, graphToDocument, uniqueNodeId } from '../../src/graph/document';
import { createHistory, record, redo, undo } from '../../src/graph/history';
import { applyPositions, positionsFromElk, toElkGraph } from '../../src/graph/layout';
import { metricsBadge, metricsOverlay, pathOverlay } from '../../src/graph/overlays';
import { portContextFrom, portsForNode } from '../../src/graph/ports';
import { exampleFlow, smallFlow } from './fixtures';

describe('document ⇄ canvas', () => {
  it.each(['ai-first-human-backup', 'human-first-ai-assist', 'parallel-ai-and-human', 'after-hours', 'overflow-on-queue-wait'])('round-trips the %s example losslessly', (name) => {
    const doc = flowDocumentSchema.parse(exampleFlow(name));
    const { meta, nodes, edges } = documentToGraph(doc);
    expect(graphToDocument(meta, nodes, edges)).toEqual(doc);
  });

  it('draws each node with its category component and its exits as source handles', () => {
    const { nodes, edges } = documentToGraph(smallFlow());
    expect(nodes.find((n) => n.id === 'triage')?.type).toBe('logic');
    expect(nodes.find((n) => n.id === 'start')?.type).toBe('flow');
    expect(edges.find((e) => e.id === 'e2')).toMatchObject({ source: 'triage', sourceHandle: 'vip', target: 'vip-end', targetHandle: 'in' });
  });

  it('rounds sub-pixel positions so a nudge is not a change of behaviour', () => {
    const { meta, nodes, edges } = documentToGraph(smallFlow());
    nodes[0]!.position = { x: 10.04999, y: -3.333333 };
    expect(graphToDocument(meta, nodes, edges).nodes[0]!.position).toEqual({ x: 10, y: -3.3 });
  });

  it('makes readable unique ids', () => {
    expect(uniqueNodeId('bot', new Set())).toBe('bot');
    expect(uniqueNodeId('bot', new Set(['bot', 'bot-2']))).toBe('bot-3');
    expect(uniqueNodeId('My step!', new Set())).toBe('My-step-');
    expect(categoryOf('unknown', 1)).toBe('flow');
  });
});

describe('ports', () => {
  it('derives a decision’s exits from its rules, plus Otherwise', () => {
    expect(portsForNode({ nodeType: 'decision', typeVersion: 1, config: { rules: [{ id: 'vip', label: 'VIP', condition: 'true' }, { id: 'angry', condition: 'true' }] } }).map((p) => [p.id, p.label])).toEqual([
      ['vip', 'VIP'],
      ['angry', 'angry'],
      ['default', 'Otherwise'],
    ]);
  });

  it('keeps exits of a half-typed config instead of dropping them', () => {
    const ports = portsForNode({ nodeType: 'decision', typeVersion: 1, config: { rules: [{ id: 'vip', condition: '' }, { label: 'no id yet' }] } });
    expect(ports.map((p) => p.id)).toEqual(['vip', 'default']);
  });

  it('gives a subflow one exit per outcome of the called flow, and version 2 an error exit too', () => {
    const context = portContextFrom(null, 'caller', [{ id: 'verify', outcomes: ['resolved_by_bot', 'abandoned'] }]);
    expect(portsForNode({ nodeType: 'subflow', typeVersion: 1, config: { flowId: 'verify' } }, context).map((p) => p.id)).toEqual(['resolved_by_bot', 'abandoned']);
    expect(portsForNode({ nodeType: 'subflow', typeVersion: 2, config: { flowId: 'verify' } }, context).map((p) => p.id)).toEqual(['resolved_by_bot', 'abandoned', 'error']);
  });

  it('gives fixed exits for fixed types and none for unknown types', () => {
    expect(portsForNode({ nodeType: 'bot', typeVersion: 1, config: {} }).map((p) => p.id)).toEqual(['resolved', 'escalate', 'no_match']);
    expect(portsForNode({ nodeType: 'end', typeVersion: 1, config: { outcome: 'abandoned' } })).toEqual([]);
    expect(portsForNode({ nodeType: 'teleport', typeVersion: 1, config: {} })).toEqual([]);
  });
});

describe('connection rules', () => {
  const { nodes, edges } = documentToGraph(smallFlow());

  it('refuses connections into the start, from exits that do not exist, and duplicates', () => {
    expect(checkConnection({ source: 'triage', sourceHandle: 'vip', target: 'start' }, nodes, edges)).toEqual({ ok: false, reason: expect.stringMatching(/start/) });
    expect(checkConnection({ source: 'triage', sourceHandle: 'gold', target: 'done' }, nodes, edges)).toEqual({ ok: false, reason: expect.stringMatching(/exits/) });
    expect(checkConnection({ source: 'triage', sourceHandle: 'vip', target: 'vip-end' }, nodes, edges)).toEqual({ ok: false, reason: expect.stringMatching(/already connected/) });
    expect(checkConnection({ source: 'triage', sourceHandle: 'vip', target: null }, nodes, edges).ok).toBe(false);
  });

  it('re-wires an exit that is already connected: one connection per exit', () => {
    const next = connectEdges({ source: 'triage', sourceHandle: 'vip', target: 'done' }, nodes, edges)!;
    expect(next.filter((e) => e.source === 'triage' && e.sourceHandle === 'vip')).toEqual([expect.objectContaining({ target: 'done' })]);
    expect(next).toHaveLength(edges.length);
  });

  it('lists exits still to wire and connections whose exit disappeared', () => {
    const renamed = nodes.map((n) => (n.id === 'triage' ? { ...n, data: { ...n.data, config: { rules: [{ id: 'gold', condition: 'true' }] } } } : n));
    expect(danglingEdges(renamed, edges).map((e) => e.id)).toEqual(['e2']);
    expect(unconnectedPorts(renamed.find((n) => n.id === 'triage')!, edges)).toEqual(['gold']);
  });
});

describe('undo history', () => {
  it('undoes and redoes in order, and a new change clears redo', () => {
    let h = createHistory<string>();
    h = record(h, 'a', { now: 0 });
    h = record(h, 'b', { now: 5000 });
    const u1 = undo(h, 'c')!;
    expect(u1.state).toBe('b');
    const u2 = undo(u1.history, 'b')!;
    expect(u2.state).toBe('a');
    expect(undo(u2.history, 'a')).toBeNull();
    const r = redo(u2.history, 'a')!;
    expect(r.state).toBe('b');
    expect(record(r.history, 'b', { now: 9000 }).future).toHaveLength(0);
  });

  it('coalesces a burst of changes with the same key into one step, not across keys or pauses', () => {
    let h = createHistory<number>();
    h = record(h, 0, { key: 'label', now: 1000 });
    h = record(h, 1, { key: 'label', now: 1500 });
    h = record(h, 2, { key: 'label', now: 2400 });
    expect(h.past).toEqual([0]);
    h = record(h, 3, { key: 'label', now: 5000 });
    h = record(h, 4, { key: 'other', now: 5100 });
    expect(h.past).toEqual([0, 3, 4]);
  });

  it('keeps at most `limit` steps', () => {
    let h = createHistory<number>(3);
    for (let i = 0; i < 10; i++) h = record(h, i, { now: i * 10_000 });
    expect(h.past).toEqual([7, 8, 9]);
  });
});

describe('copy / paste', () => {
  const { nodes, edges } = documentToGraph(smallFlow());

  it('copies the selection with only the connections inside it', () => {
    const fragment = copySelection(nodes, edges, new Set(['triage', 'done']))!;
    expect(fragment.nodes.map((n) => n.id)).toEqual(['triage', 'done']);
    expect(fragment.edges).toEqual([{ source: 'triage', sourcePort: 'default', target: 'done' }]);
    expect(copySelection(nodes, edges, new Set())).toBeNull();
  });

  it('pastes with fresh ids, remapped connections, offset positions and independent configs', () => {
    const fragment = parseFragment(JSON.stringify(copySelection(nodes, edges, new Set(['triage', 'done']))))!;
    const pasted = pasteFragment(fragment, new Set(nodes.map((n) => n.id)), categoryOf, { x: 50, y: 60 });
    expect(pasted.nodes.map((n) => n.id)).toEqual(['triage-2', 'done-2']);
    expect(pasted.edges).toEqual([expect.objectContaining({ source: 'triage-2', sourceHandle: 'default', target: 'done-2' })]);
    expect(pasted.nodes[0]!.position).toEqual({ x: 350, y: 60 });
    expect(pasted.nodes.every((n) => n.selected)).toBe(true);
    (pasted.nodes[0]!.data.config.rules as { id: string }[])[0]!.id = 'changed';
    expect((nodes[1]!.data.config.rules as { id: string }[])[0]!.id).toBe('vip');
  });

  it('ignores clipboard text that is not a fragment', () => {
    expect(parseFragment('hello')).toBeNull();
    expect(parseFragment('{"format":"other"}')).toBeNull();
  });
});

describe('diagnostics', () => {
  const diagnostics = [
    { code: 'FLOW_PORT_UNCONNECTED' as const, severity: 'error' as const, message: 'exit not connected', nodeId: 'triage', path: ['ports', 'vip'] },
    { code: 'FLOW_EXPR_TYPE' as const, severity: 'error' as const, message: 'no field tierr', nodeId: 'triage', path: ['rules', 0, 'condition'], range: { start: 9, end: 14 } },
    { code: 'FLOW_NODE_UNREACHABLE' as const, severity: 'warning' as const, message: 'unreachable', nodeId: 'gone' },
    { code: 'FLOW_EDGE_UNKNOWN_PORT' as const, severity: 'error' as const, message: 'bad exit', edgeId: 'e2' },
    { code: 'FLOW_NO_START' as const, severity: 'error' as const, message: 'no start' },
  ];

  it('indexes by node, edge, field and flow', () => {
    const index = indexDiagnostics(diagnostics);
    expect(index.byNode.get('triage')).toHaveLength(2);
    expect(index.byEdge.get('e2')).toHaveLength(1);
    expect(fieldDiagnostics(index, 'triage', ['rules', 0, 'condition'])).toEqual([diagnostics[1]]);
    expect(index.flow).toEqual([diagnostics[4]]);
    expect([index.errors, index.warnings]).toEqual([4, 1]);
    expect(issueCounts(index.byNode)).toEqual({ triage: { errors: 2, warnings: 0, first: 'exit not connected' }, gone: { errors: 0, warnings: 1, first: 'unreachable' } });
  });

  it('drops diagnostics of nodes and edges deleted since validation started', () => {
    expect(relevantDiagnostics(diagnostics, new Set(['triage']), new Set(['e1'])).map((d) => d.code)).toEqual(['FLOW_PORT_UNCONNECTED', 'FLOW_EXPR_TYPE', 'FLOW_NO_START']);
  });
});

describe('visual diff', () => {
  it('marks added, changed, moved and removed nodes and edges, ghosts removed ones', () => {
    const from = smallFlow();
    const to = smallFlow();
    to.nodes = to.nodes.filter((n) => n.id !== 'vip-end');
    to.nodes.push({ id: 'agent', type: 'escalate', typeVersion: 1, position: { x: 600, y: -100 }, config: { queue: 'billing' } });
    to.nodes[1]!.config = { rules: [{ id: 'vip', condition: 'customer.tier == "gold"' }] };
    to.nodes[0]!.position = { x: -50, y: 0 };
    to.edges = [to.edges[0]!, to.edges[2]!, { id: 'e4', source: 'triage', sourcePort: 'vip', target: 'agent' }];
    const diff: FlowDiff = {
      flowId: 'small', from: 1, to: 2, identical: false, flow: [],
      nodes: { added: [{ id: 'agent', type: 'escalate' }], removed: [{ id: 'vip-end', type: 'end' }], changed: [{ id: 'triage', type: 'decision', changes: [{ path: 'config.rules.0.condition', from: 'a', to: 'b' }] }], moved: ['start'] },
      edges: { added: [{ id: 'e4', source: 'triage', sourcePort: 'vip', target: 'agent' }], removed: [{ id: 'e2', source: 'triage', sourcePort: 'vip', target: 'vip-end' }], changed: [] },
    };
    const view = buildDiffView(from, to, diff);
    expect(view.nodeStatus).toEqual({ start: 'moved', triage: 'changed', done: 'unchanged', agent: 'added', [`${REMOVED_PREFIX}vip-end`]: 'removed' });
    expect(view.edgeStatus).toEqual({ e1: 'unchanged', e3: 'unchanged', e4: 'added', [`${REMOVED_PREFIX}e2`]: 'removed' });
    expect(view.edges.find((e) => e.id === `${REMOVED_PREFIX}e2`)).toMatchObject({ source: 'triage', target: `${REMOVED_PREFIX}vip-end` });
    expect(view.nodes.find((n) => n.id === `${REMOVED_PREFIX}vip-end`)?.position).toEqual({ x: 600, y: -100 });
    expect(view.changes.triage).toHaveLength(1);
    expect(view.summary).toMatchObject({ added: 1, removed: 1, changed: 1, moved: 1 });
  });
});

describe('auto-layout input and output', () => {
  it('gives ELK one port per exit, in order, and edges between ports', () => {
    const { nodes, edges } = documentToGraph(smallFlow());
    const graph = toElkGraph(nodes, edges);
    const triage = graph.children!.find((c) => c.id === 'triage')!;
    expect(triage.ports!.map((p) => p.id)).toEqual(['triage::in', 'triage::out::vip', 'triage::out::default']);
    expect(graph.edges!.find((e) => e.id === 'e2')).toMatchObject({ sources: ['triage::out::vip'], targets: ['vip-end::in'] });
  });

  it('lays out the example flow left to right with real ELK, without overlaps', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ELK = require('elkjs/lib/elk.bundled.js');
    const { nodes, edges } = documentToGraph(exampleFlow());
    const laidOut = await new ELK().layout(toElkGraph(nodes, edges));
    const positions = positionsFromElk(laidOut);
    const moved = applyPositions(nodes, positions);
    const start = positions.get('start')!;
    expect(moved.every((n) => n.position.x >= start.x)).toBe(true);
    const boxes = laidOut.children.map((c: { x: number; y: number; width: number; height: number }) => c);
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i];
        const b = boxes[j];
        const overlap = a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
        expect(overlap).toBe(false);
      }
  });
});

describe('overlays', () => {
  const { edges } = documentToGraph(smallFlow());

  it('turns the contact’s path into the steps and connections taken', () => {
    const path = pathOverlay(['start', 'triage', 'vip-end'], ['vip-end'], edges);
    expect(path.edgesTaken).toEqual({ e1: 1, e2: 1 });
    expect(path.visited).toEqual({ start: 1, triage: 1, 'vip-end': 1 });
    expect(path.current).toEqual(['vip-end']);
  });

  it('marks no connection between interleaved parallel branches, and counts loops', () => {
    const loop = [...edges, { id: 'back', source: 'vip-end', sourceHandle: 'x', target: 'triage', targetHandle: 'in' }];
    const path = pathOverlay(['start', 'triage', 'vip-end', 'triage', 'done'], [], loop);
    expect(path.edgesTaken).toEqual({ e1: 1, e2: 1, back: 1, e3: 1 });
    expect(path.visited.triage).toBe(2);
    expect(pathOverlay(['start', 'done'], [], edges).edgesTaken).toEqual({});
  });

  /** One node's numbers as the API sends them: nothing happened but what is given. */
  const node = (nodeId: string, fields: Partial<NodeMetricsView>): NodeMetricsView => {
    const seconds = { count: 0, avg: null, p50: null, p90: null, max: null };
    const csat = { count: 0, sum: 0, average: null, distribution: {} };
    return {
      nodeId,
      nodeType: null,
      entered: 0,
      exitedByPort: {},
      errors: { total: 0, byPort: {} },
      exited: 0,
      containment: null,
      bot: null,
      escalations: { total: 0, byTrigger: {}, byReasonTag: {}, reasonTags: [], routedByQueue: {} },
      workItems: { offered: 0, accepted: 0, completed: {} },
      waitSeconds: seconds,
      handleSeconds: seconds,
      stepSeconds: seconds,
      abandoned: 0,
      csat,
      ...fields,
    };
  };

  it('computes heat, edge traffic and badges from the metrics of a version', () => {
    const totals = { contacts: 400, ended: 400, byOutcome: {}, contained: 0, containment: null, escalations: 3, abandoned: 0, abandonment: null, avgDurationSeconds: null, csat: { count: 0, sum: 0, average: null, distribution: {} } };
    const overlay = metricsOverlay(
      {
        flowId: 'small',
        version: 1,
        lastEventAt: null,
        totals,
        nodes: [
          node('start', { entered: 400, exitedByPort: { next: 400 } }),
          node('triage', {
            entered: 100,
            exitedByPort: { vip: 25, default: 75 },
            escalations: { total: 3, byTrigger: { complaint: 3 }, byReasonTag: {}, reasonTags: [], routedByQueue: {} },
            containment: 0.8,
            waitSeconds: { count: 3, avg: 100, p50: 95, p90: 120, max: 130 },
          }),
        ],
      },
      edges,
    );
    expect(overlay.heat).toEqual({ start: 1, triage: 0.5 });
    expect(overlay.edgeTraffic).toEqual({ e1: 400, e2: 25, e3: 75 });
    expect(metricsBadge(overlay.byNode.triage)).toEqual(['100 in', '80% by bot', '3 to agents', 'wait 2m']);
    expect(metricsBadge(undefined)).toEqual([]);
  });
});

describe('numbers in words (issue 20, observation 9)', () => {
  it('says a customer\'s mood, not a score', () => {
    expect(moodInWords({ history: [0], current: 0, direction: 'stable' })).toBe('calm, steady');
    expect(moodInWords({ history: [-0.2, -0.6], current: -0.6, direction: 'worsening' })).toBe('upset, getting worse');
    expect(moodInWords({ history: [0.3], current: 0.3, direction: 'improving' })).toBe('content, getting better');
  });

  it('counts a bot\'s containment against the conversations that left it, and says how many are still with it', () => {
    expect(containmentInWords({ entered: 20, exitedByPort: { resolved: 6, escalate: 10, no_match: 2 }, containment: 6 / 18 })).toBe(
      'the bot resolved 6 of the 18 conversations that left it (33 %); 2 still with it',
    );
    expect(containmentInWords({ entered: 3, exitedByPort: {}, containment: null })).toBeNull();
    expect(containmentInWords({ entered: 2, exitedByPort: {}, containment: 0 })).toBe('the bot resolved 0 of the 0 conversations that left it; 2 still with it');
  });

  it('names an escalation without a trigger for what it is', () => {
    expect(triggerInWords('none')).toBe('no trigger (the flow sent it on)');
    expect(triggerInWords('legal_threat')).toBe('legal threat');
  });
});
