/**
 * Nothing typed is lost on reload: every edit is written to localStorage at once (the API save is
 * debounced and may fail while offline). On opening a flow, a local draft newer than the server's
 * is offered back.
 */
import type { FlowDocument } from '@tandem/flow';

/** What is kept per flow. */
export interface LocalDraft {
  document: FlowDocument;
  /** The server revision the edits were based on. */
  baseRevision: number | null;
  savedAt: string;
  /** Whether these edits reached the API. */
  synced: boolean;
}

const key = (flowId: string) => `tandem.draft.${flowId}`;

export function readLocalDraft(flowId: string, storage: Storage = localStorage): LocalDraft | null {
  try {
    const raw = storage.getItem(key(flowId));
    if (!raw) return null;
    const draft = JSON.parse(raw) as LocalDraft;
    return draft?.document?.id === flowId ? draft : null;
  } catch {
    return null;
  }
}

export function writeLocalDraft(draft: LocalDraft, storage: Storage = localStorage): void {
  try {
    storage.setItem(key(draft.document.id), JSON.stringify(draft));
  } catch {
    // Storage full or disabled: the API save still runs; nothing else to do here.
  }
}

export function clearLocalDraft(flowId: string, storage: Storage = localStorage): void {
  storage.removeItem(key(flowId));
}

/** The flow last opened, to reopen it on reload. */
export const lastFlow = {
  get: (storage: Storage = localStorage) => storage.getItem('tandem.lastFlow'),
  set: (flowId: string | null, storage: Storage = localStorage) => (flowId ? storage.setItem('tandem.lastFlow', flowId) : storage.removeItem('tandem.lastFlow')),
};
