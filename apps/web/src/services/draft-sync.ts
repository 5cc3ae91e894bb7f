/**
 * Keeps the draft in step with the API while the designer edits: every edit is kept locally at once,
 * compiled through the API after a short pause (diagnostics pinned on the canvas), and saved as the
 * draft after a slightly longer one, with optimistic concurrency. Runs outside React.
 */
import type { FlowDocument } from '@tandem/flow';
import type { StoreApi } from 'zustand/vanilla';
import { type ApiClient, ApiError, ApiUnreachableError, describeError } from '../api/client';
import type { DesignerState } from '../store/designer-store';
import type { SessionState } from '../store/session-store';
import { writeLocalDraft } from './local-drafts';

export interface DraftSyncOptions {
  validateDelayMs?: number;
  saveDelayMs?: number;
  /** How often an offline save is retried. */
  retryMs?: number;
}

/** Starts syncing; returns `{ stop, saveNow }`. */
export function startDraftSync(designer: StoreApi<DesignerState>, session: StoreApi<SessionState>, api: ApiClient, options: DraftSyncOptions = {}) {
  const validateDelay = options.validateDelayMs ?? 400;
  const saveDelay = options.saveDelayMs ?? 1500;
  let validateTimer: ReturnType<typeof setTimeout> | undefined;
  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  let validating = 0;
  let saving: Promise<void> | null = null;
  let stopped = false;

  const reachable = () => session.getState().setApiStatus('ok');
  const unreachable = (e: unknown) => session.getState().setApiStatus('unreachable', describeError(e));

  async function validate() {
    const state = designer.getState();
    const document = state.document();
    if (!document || stopped) return;
    const stamp = state.editStamp;
    const call = ++validating;
    state.setValidating(true);
    try {
      const result = await api.validate(document.id, document);
      reachable();
      // A later validation is on its way (or came back): these diagnostics are stale.
      if (call === validating && !stopped) designer.getState().applyDiagnostics(result.diagnostics, stamp);
    } catch (e) {
      if (e instanceof ApiUnreachableError) unreachable(e);
      else if (e instanceof ApiError && e.status === 400) {
        // The document does not even have the shape of a flow: show the API's explanation as a flow-level problem.
        designer.getState().applyDiagnostics([{ code: 'FLOW_DOCUMENT_INVALID', severity: 'error', message: e.message }], stamp);
      }
    } finally {
      if (call === validating) designer.getState().setValidating(false);
    }
  }

  async function save(): Promise<void> {
    if (saving) {
      await saving;
      if (designer.getState().saveState !== 'unsaved') return;
    }
    const state = designer.getState();
    const document = state.document();
    if (!document || state.revision === null || state.saveState === 'conflict' || stopped) return;
    const stamp = state.editStamp;
    state.setSaveState('saving');
    saving = (async () => {
      try {
        const saved = await api.saveDraft(document.id, state.revision as number, document);
        reachable();
        designer.getState().markSaved(saved.revision, stamp, saved.latestVersion);
        writeLocalDraft({ document, baseRevision: saved.revision, savedAt: new Date().toISOString(), synced: designer.getState().editStamp === stamp });
      } catch (e) {
        if (e instanceof ApiUnreachableError) {
          unreachable(e);
          designer.getState().setSaveState('offline', 'Not saved to the server yet: your changes are kept in this browser and will be saved when the connection is back.');
        } else if (e instanceof ApiError && e.code === 'stale_revision') {
          designer.getState().setSaveState('conflict', 'Someone else saved this flow meanwhile. Reload their version, or keep yours and overwrite it.');
        } else {
          designer.getState().setSaveState('error', describeError(e));
        }
      } finally {
        saving = null;
      }
    })();
    await saving;
  }

  const unsubscribe = designer.subscribe((state, previous) => {
    if (state.editStamp === previous.editStamp || !state.meta) return;
    const document = state.document() as FlowDocument;
    writeLocalDraft({ document, baseRevision: state.revision, savedAt: new Date().toISOString(), synced: false });
    clearTimeout(validateTimer);
    validateTimer = setTimeout(() => void validate(), validateDelay);
    clearTimeout(saveTimer);
    saveTimer = setTimeout(() => void save(), saveDelay);
  });

  // Retry an offline save when the browser says the network is back, and every few seconds: the
  // browser's online event does not fire when only the API was down.
  const online = () => {
    if (designer.getState().saveState === 'offline') void save().then(() => validate());
  };
  if (typeof window !== 'undefined') window.addEventListener('online', online);
  const retry = setInterval(online, options.retryMs ?? 3000);

  void validate();
  // Edits restored from this browser after a reload have not reached the server yet.
  if (designer.getState().saveState === 'unsaved') saveTimer = setTimeout(() => void save(), saveDelay);

  return {
    stop() {
      stopped = true;
      unsubscribe();
      clearTimeout(validateTimer);
      clearTimeout(saveTimer);
      clearInterval(retry);
      if (typeof window !== 'undefined') window.removeEventListener('online', online);
    },
    /** Saves now (Ctrl+S, before publishing). */
    async saveNow() {
      clearTimeout(saveTimer);
      if (designer.getState().saveState !== 'saved') await save();
    },
    validateNow: () => validate(),
  };
}

export type DraftSync = ReturnType<typeof startDraftSync>;
