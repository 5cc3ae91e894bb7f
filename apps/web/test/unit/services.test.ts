/**
 * The services that run outside React — draft sync (debounced validation through the API, autosave
 * with optimistic concurrency, offline) and the test-chat simulation — with a scripted API client.
 */
import { ApiError, type ApiClient, ApiUnreachableError } from '../../src/api/client';
import { startDraftSync } from '../../src/services/draft-sync';
import { createSimulation } from '../../src/services/simulation';
import { createDesignerStore } from '../../src/store/designer-store';
import { createSessionStore } from '../../src/store/session-store';
import { smallFlow, testCatalog, testContact, testHandoff } from './fixtures';

class MemoryStorage {
  private data = new Map<string, string>();
  getItem = (k: string) => this.data.get(k) ?? null;
  setItem = (k: string, v: string) => void this.data.set(k, v);
  removeItem = (k: string) => void this.data.delete(k);
}

beforeAll(() => {
  (globalThis as { localStorage?: unknown }).localStorage = new MemoryStorage();
});
/** Stops what a test started (a polling simulation), even when the test fails. */
let afterTest: (() => void) | null = null;
afterEach(() => {
  afterTest?.();
  afterTest = null;
  jest.useRealTimers();
});

const flush = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

function setup(api: Partial<ApiClient>) {
  const designer = createDesignerStore();
  designer.getState().setCatalog(testCatalog());
  designer.getState().loadFlow(smallFlow(), { revision: 1, latestVersion: null });
  const session = createSessionStore();
  return { designer, session, api: api as ApiClient };
}

describe('draft sync', () => {
  it('validates once after a burst of edits and pins the result for that edit', async () => {
    jest.useFakeTimers();
    const validate = jest.fn(async () => ({ valid: false, planHash: null, diagnostics: [{ code: 'FLOW_NODE_UNREACHABLE' as const, severity: 'warning' as const, message: 'x', nodeId: 'done' }] }));
    const saveDraft = jest.fn(async (_id: string, revision: number) => ({ revision: revision + 1, latestVersion: null }) as never);
    const { designer, session, api } = setup({ validate, saveDraft });
    const sync = startDraftSync(designer, session, api, { validateDelayMs: 400, saveDelayMs: 1500 });
    afterTest = () => sync.stop();
    await flush();
    validate.mockClear();
    for (const name of ['a', 'ab', 'abc']) {
      designer.getState().updateFlowMeta({ name });
      jest.advanceTimersByTime(100);
    }
    expect(validate).not.toHaveBeenCalled();
    jest.advanceTimersByTime(400);
    await flush();
    expect(validate).toHaveBeenCalledTimes(1);
    expect((validate.mock.calls[0] as unknown[])[1]).toMatchObject({ name: 'abc' });
    expect(designer.getState().nodeIssues.done?.warnings).toBe(1);
    expect(designer.getState().diagnosticsStamp).toBe(designer.getState().editStamp);

    jest.advanceTimersByTime(1500);
    await flush();
    expect(saveDraft).toHaveBeenCalledWith('small', 1, expect.objectContaining({ name: 'abc' }));
    expect(designer.getState().revision).toBe(2);
    expect(designer.getState().saveState).toBe('saved');
  });

  it('goes offline when the API is unreachable, keeps the edit locally, and saves when it is back', async () => {
    jest.useFakeTimers();
    let up = false;
    const saveDraft = jest.fn(async () => {
      if (!up) throw new ApiUnreachableError('http://api', new TypeError('fetch failed'));
      return { revision: 2, latestVersion: null } as never;
    });
    const validate = jest.fn(async () => ({ valid: true, planHash: 'h', diagnostics: [] }));
    const { designer, session, api } = setup({ validate, saveDraft });
    const sync = startDraftSync(designer, session, api, { saveDelayMs: 10, validateDelayMs: 10, retryMs: 1000 });
    afterTest = () => sync.stop();
    designer.getState().updateNodeLabel('done', 'Typed offline');
    jest.advanceTimersByTime(20);
    await flush();
    expect(designer.getState().saveState).toBe('offline');
    expect(session.getState().apiStatus).toBe('unreachable');
    expect(localStorage.getItem('tandem.draft.small')).toContain('Typed offline');
    up = true;
    jest.advanceTimersByTime(1000);
    await flush();
    expect(designer.getState().saveState).toBe('saved');
    expect(session.getState().apiStatus).toBe('ok');
  });

  it('reports a conflict when someone else saved meanwhile, and stops saving over it', async () => {
    jest.useFakeTimers();
    const saveDraft = jest.fn(async () => {
      throw new ApiError(409, 'stale_revision', 'stale', { currentRevision: 5 });
    });
    const { designer, session, api } = setup({ validate: jest.fn(async () => ({ valid: true, planHash: 'h', diagnostics: [] })), saveDraft });
    const sync = startDraftSync(designer, session, api, { saveDelayMs: 10, validateDelayMs: 10 });
    afterTest = () => sync.stop();
    designer.getState().updateFlowMeta({ name: 'mine' });
    jest.advanceTimersByTime(20);
    await flush();
    expect(designer.getState().saveState).toBe('conflict');
    designer.getState().updateFlowMeta({ name: 'mine again' });
    jest.advanceTimersByTime(20);
    await flush();
    expect(saveDraft).toHaveBeenCalledTimes(1);
  });
});

describe('simulation', () => {
  it('starts a contact of the draft, paints the path as steps come in, and shows the handoff', async () => {
    const at = '2026-01-01T09:00:00.000Z';
    const states = [
      testContact({ handledBy: 'bot', path: ['start', 'triage'], steps: ['triage'], transcript: [{ at, from: 'customer', text: 'I want a human' }] }),
      testContact({
        handledBy: 'queue',
        path: ['start', 'triage', 'vip-end'],
        steps: ['vip-end'],
        transcript: [
          { at, from: 'customer', text: 'I want a human' },
          { at, from: 'customer', text: 'please' },
          { at, from: 'bot', text: 'Connecting you to an agent.' },
        ],
        workItem: { id: 'w1', nodeId: 'vip-end', queue: 'billing', visit: 1 },
        handoff: testHandoff({ summary: 'wants a human', trigger: { kind: 'human_request', reason: 'asked for a human', evidence: [] } }),
      }),
    ];
    let call = 0;
    const startContact = jest.fn(async () => ({ contactId: 'c1', workflowId: 'contact-c1', flowId: 'small', flowVersion: 0, created: true }));
    const contact = jest.fn(async () => states[Math.min(call++, states.length - 1)]!);
    const sendMessage = jest.fn(async () => ({ handledBy: 'queue' as const, steps: ['vip-end'], messages: [{ from: 'bot' as const, text: 'Connecting you to an agent.' }] }));
    const { designer, api } = setup({ startContact, contact, sendMessage });
    const beforeStart = jest.fn(async () => undefined);
    const sim = createSimulation(api, designer, { pollMs: 5, beforeStart });
    afterTest = () => sim.dispose();
    await sim.start('small', { channel: 'chat', customer: { id: 'cust', tier: 'vip' }, firstMessage: 'I want a human' });
    expect(beforeStart).toHaveBeenCalled();
    expect(startContact).toHaveBeenCalledWith(expect.objectContaining({ flowId: 'small', draft: true, firstMessage: 'I want a human' }));
    const overlay = designer.getState().overlay;
    expect(overlay.kind === 'simulation' && overlay.path.current).toEqual(['triage']);
    await sim.send('please');
    const s = sim.store.getState();
    expect(s.workItem?.queue).toBe('billing');
    expect(s.handledBy).toBe('queue');
    expect(s.handoff).toMatchObject({ summary: 'wants a human' });
    expect(s.transcript.map((m) => m.text)).toEqual(['I want a human', 'please', 'Connecting you to an agent.']);
    const after = designer.getState().overlay;
    expect(after.kind === 'simulation' && after.path.edgesTaken).toEqual({ e1: 1, e2: 1 });
    sim.reset();
    expect(designer.getState().overlay.kind).toBe('none');
    sim.dispose();
  });

  it('explains why a test cannot start', async () => {
    const { designer, api } = setup({ startContact: jest.fn(async () => Promise.reject(new ApiError(409, 'flow_invalid', 'the draft does not compile'))) });
    const sim = createSimulation(api, designer, { pollMs: 5 });
    afterTest = () => sim.dispose();
    await sim.start('small', { channel: 'chat', customer: { id: 'x' } });
    expect(sim.store.getState()).toMatchObject({ status: 'error', error: 'the draft does not compile' });
  });
});
