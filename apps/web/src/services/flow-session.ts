/**
 * Opening a flow in the designer: the server's draft, or — when this browser holds edits that never
 * reached the server — those edits, so nothing typed is lost on a reload or a dropped connection.
 */
import type { FlowDocument } from '@tandem/flow';
import type { StoreApi } from 'zustand/vanilla';
import type { FlowView } from '@tandem/api-contract';
import type { ApiClient } from '../api/client';
import type { DesignerState } from '../store/designer-store';
import { lastFlow, readLocalDraft, writeLocalDraft } from './local-drafts';

const sameDocument = (a: FlowDocument, b: FlowDocument) => JSON.stringify(a) === JSON.stringify(b);

/** What opening found, for a message to the designer. */
export type OpenOutcome = 'server' | 'restored-local' | 'restored-local-conflict';

export async function openFlow(designer: StoreApi<DesignerState>, api: ApiClient, flowId: string): Promise<{ flow: FlowView; outcome: OpenOutcome }> {
  const flow = await api.getFlow(flowId);
  // The render benchmark measures from here to the first painted nodes.
  performance.mark('tandem:flow-loaded');
  const local = readLocalDraft(flowId);
  const state = designer.getState();
  lastFlow.set(flowId);
  if (local && !local.synced && !sameDocument(local.document, flow.document)) {
    state.loadFlow(local.document, { revision: flow.revision, latestVersion: flow.latestVersion });
    if (local.baseRevision === flow.revision) {
      state.setSaveState('unsaved', 'Restored the changes you had not saved yet.');
      return { flow, outcome: 'restored-local' };
    }
    state.setSaveState('conflict', 'This browser kept changes you had not saved, but the flow was changed elsewhere since. Keep yours (overwrite) or load the saved one.');
    return { flow, outcome: 'restored-local-conflict' };
  }
  state.loadFlow(flow.document, { revision: flow.revision, latestVersion: flow.latestVersion });
  writeLocalDraft({ document: flow.document, baseRevision: flow.revision, savedAt: new Date().toISOString(), synced: true });
  return { flow, outcome: 'server' };
}

/** Resolves a save conflict by overwriting the server's draft with what the canvas shows. */
export async function keepMine(designer: StoreApi<DesignerState>, api: ApiClient): Promise<void> {
  const state = designer.getState();
  const document = state.document();
  if (!document) return;
  const current = await api.getFlow(document.id);
  const stamp = state.editStamp;
  const saved = await api.saveDraft(document.id, current.revision, document);
  designer.getState().markSaved(saved.revision, stamp, saved.latestVersion);
  writeLocalDraft({ document, baseRevision: saved.revision, savedAt: new Date().toISOString(), synced: true });
}

/** Resolves a save conflict by loading the server's draft (local edits are dropped). */
export async function loadTheirs(designer: StoreApi<DesignerState>, api: ApiClient, flowId: string): Promise<void> {
  const flow = await api.getFlow(flowId);
  designer.getState().loadFlow(flow.document, { revision: flow.revision, latestVersion: flow.latestVersion });
  writeLocalDraft({ document: flow.document, baseRevision: flow.revision, savedAt: new Date().toISOString(), synced: true });
}
