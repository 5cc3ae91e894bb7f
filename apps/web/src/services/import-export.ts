/**
 * Import / export of flows as JSON files (the API's `tandem.flow` export format). A bare flow
 * document is accepted too, wrapped on the way in.
 */
import type { FlowDocument } from '@tandem/flow';
import type { FlowExport, ImportResult } from '@tandem/api-contract';
import { type ApiClient, ApiError } from '../api/client';

/** Reads an export (or a bare document) from text; throws with a sentence when it is neither. */
export function parseFlowFile(text: string): FlowExport {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new Error(`This file is not JSON (${(e as Error).message}).`);
  }
  const v = value as Partial<FlowExport> & Partial<FlowDocument>;
  if (v?.format === 'tandem.flow' && v.document) return v as FlowExport;
  if (typeof v?.id === 'string' && Array.isArray(v.nodes)) return { format: 'tandem.flow', formatVersion: 1, document: v as FlowDocument };
  throw new Error('This file is not a Tandem flow: export one from the designer (Export) and import that.');
}

/** Imports a file; a flow with the same id is a question, then an overwrite of its draft. */
export async function importFlowFile(api: ApiClient, file: File, confirmOverwrite: (id: string) => boolean = (id) => window.confirm(`A flow “${id}” exists already. Replace its draft with the imported one?`)): Promise<ImportResult> {
  const payload = parseFlowFile(await file.text());
  try {
    return await api.importFlow(payload);
  } catch (e) {
    if (e instanceof ApiError && e.status === 409 && e.code === 'flow_exists' && confirmOverwrite(payload.document.id)) return api.importFlow(payload, true);
    throw e;
  }
}

/** Downloads the flow (draft or a version) as a JSON file. */
export async function downloadFlow(api: ApiClient, flowId: string, version?: number): Promise<void> {
  const exported = await api.exportFlow(flowId, version);
  const blob = new Blob([JSON.stringify(exported, null, 2)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `${flowId}.${version ? `v${version}` : 'draft'}.tandem-flow.json`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
