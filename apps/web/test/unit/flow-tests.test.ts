/**
 * The Tests tab's model and service: new tests and turns, expectations as form rows and back (nothing
 * the form does not edit is lost), tests kept through the canvas round trip and undo, and a run that
 * stores results and lights the path on the canvas.
 */
import type { FlowTestResult, FlowTestRun } from '@tandem/api-contract';
import { EXAMPLE_FLOWS, flowDocumentSchema, flowTestSchema, flowTestTurnSchema, type FlowTestExpectations } from '@tandem/flow';
import type { ApiClient } from '../../src/api/client';
import { documentToGraph, graphToDocument } from '../../src/graph/document';
import { expectationRows, newFlowTest, newTurn, parseValue, rowsToExpectations, TURN_KINDS } from '../../src/graph/flow-tests';
import { createFlowTests } from '../../src/services/flow-tests';
import { createDesignerStore } from '../../src/store/designer-store';
import { exampleFlow, smallFlow } from './fixtures';

describe('flow tests in the designer: the model', () => {
  it('makes new tests with ids not taken, valid as they are', () => {
    const first = newFlowTest([]);
    const second = newFlowTest([first, { ...first, id: 'test-3' }]);
    expect([first.id, second.id]).toEqual(['test-1', 'test-4']);
    expect(flowTestSchema.safeParse({ ...first, turns: [{ kind: 'customer', text: 'hi' }] }).success).toBe(true);
  });

  it('offers every kind of turn, each valid once its text is typed', () => {
    for (const { kind } of TURN_KINDS) {
      const turn = newTurn(kind);
      expect(flowTestTurnSchema.safeParse('text' in turn ? { ...turn, text: 'hello' } : turn).success).toBe(true);
    }
  });

  it.each(EXAMPLE_FLOWS)('turns the expectations of the %s example into rows and back, unchanged', (name) => {
    const { tests } = flowDocumentSchema.parse(exampleFlow(name));
    const all = tests.flatMap((t) => [t.afterStart, t.expect, ...t.turns.map((turn) => turn.expect)]).filter((e): e is FlowTestExpectations => e !== undefined);
    expect(all.length).toBeGreaterThan(0);
    for (const expectations of all) expect(rowsToExpectations(expectationRows(expectations), expectations)).toEqual(expectations);
  });

  it('leaves out rows not filled in yet, and keeps what the form does not edit', () => {
    const keep: FlowTestExpectations = { handoff: { trigger: 'complaint', entities: [{ type: 'order_number' }], topics: ['billing'] } };
    const rows = [...expectationRows(keep), { kind: 'says' as const, value: '  ' }, { kind: 'visited' as const }, { kind: 'exit' as const, node: 'triage' }, { kind: 'variable' as const, name: 'count', value: '3' }];
    expect(rowsToExpectations(rows, keep)).toEqual({ handoff: { trigger: 'complaint', entities: [{ type: 'order_number' }], topics: ['billing'] }, variables: { count: 3 } });
    expect(rowsToExpectations([{ kind: 'trigger', value: 'none' }])).toEqual({ handoff: { trigger: null } });
  });

  it('reads a variable’s value as JSON when it is JSON, else as text', () => {
    expect([parseValue('3'), parseValue('true'), parseValue('"3"'), parseValue('[1,2]'), parseValue('hello')]).toEqual([3, true, '3', [1, 2], 'hello']);
  });

  it('keeps the tests through the canvas round trip, and undo takes an edit of a test back', () => {
    const doc = { ...smallFlow(), tests: [{ ...newFlowTest([]), turns: [{ kind: 'customer' as const, text: 'hi' }] }] };
    const { meta, nodes, edges } = documentToGraph(doc);
    expect(graphToDocument(meta, nodes, edges)).toEqual(doc);

    const store = createDesignerStore();
    store.getState().loadFlow(doc, { revision: 1, latestVersion: null });
    store.getState().updateFlowMeta({ tests: [{ ...doc.tests[0]!, name: 'Renamed' }] }, 'tests:test-1:name');
    expect(store.getState().document()!.tests[0]!.name).toBe('Renamed');
    store.getState().undo();
    expect(store.getState().document()!.tests[0]!.name).toBe('Test 1');
  });
});

describe('flow tests in the designer: running them', () => {
  const result = (testId: string, status: FlowTestResult['status'], path: string[]): FlowTestResult => ({
    testId,
    name: testId,
    status,
    reason: null,
    failure: status === 'failed' ? { turn: 1, label: 'customer: “hi”', message: 'expected: says “Hello” — but said nothing' } : null,
    contactId: 'c',
    durationMs: 10,
    turns: [],
    path,
    outcome: null,
    transcript: [],
  });

  it('saves the draft first, keeps each result, and lights the path of the first failing test', async () => {
    const designer = createDesignerStore();
    const doc = { ...smallFlow(), tests: [newFlowTest([]), { ...newFlowTest([]), id: 'test-2' }] };
    designer.getState().loadFlow(doc, { revision: 1, latestVersion: null });
    const order: string[] = [];
    const run: FlowTestRun = {
      flowId: 'small',
      version: 'draft',
      planHash: 'h',
      startedAt: '2026-12-07T10:00:00.000Z',
      durationMs: 1200,
      passed: false,
      summary: { total: 2, passed: 1, failed: 1, errors: 0, skipped: 0 },
      tests: [result('test-1', 'passed', ['start', 'triage', 'done']), result('test-2', 'failed', ['start', 'triage', 'vip-end'])],
    };
    const runTests = jest.fn(async () => {
      order.push('run');
      return run;
    });
    const tests = createFlowTests({ runTests } as unknown as ApiClient, designer, { beforeRun: async () => void order.push('save') });
    await tests.run('small');
    expect(order).toEqual(['save', 'run']);
    expect(runTests).toHaveBeenCalledWith('small', {});
    expect(Object.keys(tests.store.getState().results)).toEqual(['test-1', 'test-2']);
    expect(tests.store.getState()).toMatchObject({ shown: 'test-2', lastRun: { passed: false }, running: new Set() });
    const overlay = designer.getState().overlay;
    expect(overlay.kind === 'simulation' && overlay.path.visited).toEqual({ start: 1, triage: 1, 'vip-end': 1 });

    await tests.run('small', ['test-1']);
    expect(runTests).toHaveBeenLastCalledWith('small', { tests: ['test-1'] });
    tests.forget('test-2');
    expect(Object.keys(tests.store.getState().results)).toEqual(['test-1']);
  });

  it('says why a run could not happen', async () => {
    const designer = createDesignerStore();
    designer.getState().loadFlow({ ...smallFlow(), tests: [newFlowTest([])] }, { revision: 1, latestVersion: null });
    const tests = createFlowTests({ runTests: async () => Promise.reject(new Error('the draft does not compile')) } as unknown as ApiClient, designer);
    await tests.run('small');
    expect(tests.store.getState()).toMatchObject({ error: 'the draft does not compile', running: new Set() });
  });
});
