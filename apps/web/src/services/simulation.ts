/**
 * A test conversation against the draft, on the real runtime: the API starts a contact of the saved
 * draft, each message goes through the workflow, and the contact's state (steps, transcript, handoff,
 * work item) is polled while it runs, so the canvas highlights the path live.
 */
import type { StoreApi } from 'zustand/vanilla';
import { createStore } from 'zustand/vanilla';
import type { ContactView, HandledBy, StartContactRequest } from '@tandem/api-contract';
import type { HandoffPackage, TranscriptEntry } from '@tandem/contracts';
import { type ApiClient, describeError } from '../api/client';
import { pathOverlay } from '../graph/overlays';
import type { DesignerState } from '../store/designer-store';

export type SimulationStatus = 'idle' | 'starting' | 'running' | 'ended' | 'error';

/** A message of the test chat: the contact's transcript, and what the customer typed before it shows there. */
export type ChatMessage = Pick<TranscriptEntry, 'from' | 'text'> & Partial<Pick<TranscriptEntry, 'at' | 'nodeId'>>;

export interface SimulationState {
  status: SimulationStatus;
  contactId: string | null;
  transcript: ChatMessage[];
  /** Every node entered, in order, and the nodes the contact is at now. */
  path: string[];
  steps: string[];
  handledBy: HandledBy | null;
  handoff: HandoffPackage | null;
  workItem: ContactView['workItem'];
  outcome: string | null;
  error: string | null;
  sending: boolean;
}

export type SimulationSetup = Pick<StartContactRequest, 'channel' | 'customer' | 'firstMessage'>;

const INITIAL: SimulationState = { status: 'idle', contactId: null, transcript: [], path: [], steps: [], handledBy: null, handoff: null, workItem: null, outcome: null, error: null, sending: false };

const ENDED = new Set<ContactView['status']>(['completed', 'failed', 'cancelled', 'terminated', 'timed_out']);

/** Merges the transcript so a message is shown once, whether it came from a reply or from polling. */
function mergeTranscript(current: ChatMessage[], incoming: ChatMessage[]): ChatMessage[] {
  if (!incoming.length) return current;
  return incoming.length >= current.length ? incoming : current;
}

export function createSimulation(api: ApiClient, designer: StoreApi<DesignerState>, options: { pollMs?: number; beforeStart?: () => Promise<void> } = {}) {
  const store = createStore<SimulationState>()(() => ({ ...INITIAL }));
  const pollMs = options.pollMs ?? 700;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let generation = 0;

  const paintPath = (path: string[], steps: string[]) => {
    designer.getState().setOverlay({ kind: 'simulation', path: pathOverlay(path, steps, designer.getState().edges) });
  };

  const applyState = (state: ContactView) => {
    const { path, steps } = state;
    const ended = Boolean(state.outcome) || state.handledBy === 'ended' || ENDED.has(state.status);
    store.setState((s) => ({
      path,
      steps: ended ? [] : steps,
      handledBy: state.handledBy,
      transcript: mergeTranscript(s.transcript, state.transcript),
      handoff: state.handoff ?? s.handoff,
      workItem: state.workItem ?? s.workItem,
      outcome: state.outcome,
      status: ended ? 'ended' : s.status === 'starting' ? 'running' : s.status,
    }));
    paintPath(path, ended ? [] : steps);
    return ended;
  };

  const poll = (run: number) => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const { contactId } = store.getState();
      if (!contactId || run !== generation) return;
      try {
        const ended = applyState(await api.contact(contactId));
        if (!ended && run === generation) poll(run);
      } catch (e) {
        if (run === generation) {
          store.setState({ error: describeError(e) });
          poll(run);
        }
      }
    }, pollMs);
  };

  return {
    store,
    async start(flowId: string, setup: SimulationSetup) {
      const run = ++generation;
      store.setState({ ...INITIAL, status: 'starting', transcript: setup.firstMessage ? [{ from: 'customer', text: setup.firstMessage }] : [] });
      try {
        await options.beforeStart?.();
        const { contactId } = await api.startContact({ flowId, draft: true, channel: setup.channel, customer: setup.customer, ...(setup.firstMessage ? { firstMessage: setup.firstMessage } : {}) });
        if (run !== generation) return;
        store.setState({ contactId, status: 'running' });
        applyState(await api.contact(contactId));
        poll(run);
      } catch (e) {
        if (run === generation) store.setState({ status: 'error', error: describeError(e) });
      }
    },
    async send(text: string) {
      const { contactId, status } = store.getState();
      if (!contactId || status !== 'running' || !text.trim()) return;
      store.setState((s) => ({ sending: true, error: null, transcript: [...s.transcript, { from: 'customer', text }] }));
      try {
        const result = await api.sendMessage(contactId, text);
        paintPath(store.getState().path, result.steps);
        store.setState((s) => ({ transcript: [...s.transcript, ...result.messages], steps: result.steps, handledBy: result.handledBy }));
        // The authoritative transcript comes with the next poll.
        applyState(await api.contact(contactId));
      } catch (e) {
        store.setState({ error: describeError(e) });
      } finally {
        store.setState({ sending: false });
      }
    },
    reset() {
      generation++;
      clearTimeout(timer);
      store.setState({ ...INITIAL });
      if (designer.getState().overlay.kind === 'simulation') designer.getState().setOverlay({ kind: 'none' });
    },
    dispose() {
      generation++;
      clearTimeout(timer);
    },
  };
}

export type Simulation = ReturnType<typeof createSimulation>;
