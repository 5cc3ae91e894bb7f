/**
 * The designer's client of the Tandem API. Every failure becomes one of two errors a person can act
 * on: {@link ApiUnreachableError} (the API did not answer: network, server down, CORS) or
 * {@link ApiError} (it answered with an error body: status, stable code, message, request id).
 */
import type { Diagnostic, FlowDocument } from '@tandem/flow';
import type { FlowDiff } from '../graph/diff';
import type { FlowMetricsPayload } from '../graph/overlays';
import type { Catalog } from '../graph/types';

/** The API answered with an error. `code` is the API's stable error code (`stale_revision`, …). */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly requestId?: string,
  ) {
    super(message);
  }
}

/** The API could not be reached at all. */
export class ApiUnreachableError extends Error {
  override readonly name = 'ApiUnreachableError';
  constructor(readonly baseUrl: string, cause: unknown) {
    super(`The Tandem service at ${baseUrl} is not answering. Check that it is running and reachable from this browser.`, { cause });
  }
}

/** A flow as `GET /v1/flows/:id` returns it. */
export interface FlowView {
  id: string;
  name: string;
  description: string;
  channels: string[];
  revision: number;
  latestVersion: number | null;
  hasUnpublishedChanges: boolean;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  document: FlowDocument;
}

export type FlowSummary = Omit<FlowView, 'document'> & { nodeCount: number };

export interface ValidationResult {
  valid: boolean;
  diagnostics: Diagnostic[];
  planHash: string | null;
}

export interface FlowVersionSummary {
  flowId: string;
  version: number;
  hash: string;
  note: string | null;
  publishedBy: string;
  publishedAt: string;
  rolledBackFrom: number | null;
  openContacts: number | null;
}

export interface FlowExport {
  format: 'tandem.flow';
  formatVersion: 1;
  exportedAt?: string;
  source?: { flowId: string; version: number | null; revision: number | null };
  document: FlowDocument;
}

export interface ImportResult {
  flow: FlowView;
  created: boolean;
  valid: boolean;
  diagnostics: Diagnostic[];
}

/** A message of a test conversation. */
export interface ChatMessage {
  from: 'customer' | 'bot' | 'agent' | 'system';
  text: string;
  at?: string;
  nodeId?: string;
}

/** Who has the contact now. */
export type HandledBy = 'bot' | 'queue' | 'human' | 'flow' | 'ended';

/** What `POST /v1/contacts/:id/messages` answers: the flow's replies and the nodes it is at now. */
export interface MessageResult {
  handledBy?: HandledBy;
  messages?: ChatMessage[];
  steps?: string[];
}

/** What `GET /v1/contacts/:id` answers (the fields the designer reads). */
export interface ContactState {
  contactId?: string;
  status?: string;
  /** The nodes the contact is at now. */
  steps?: string[];
  /** Every node entered, in order. */
  path?: string[];
  handledBy?: HandledBy;
  transcript?: ChatMessage[];
  handoff?: Record<string, unknown> | null;
  workItem?: { id?: string; queue?: string; status?: string; priority?: number } | null;
  outcome?: string | null;
}

export interface StartContactRequest {
  flowId: string;
  draft?: boolean;
  version?: number;
  channel: string;
  customer: { id: string; name?: string; tier?: string; authenticated?: boolean };
  firstMessage?: string;
}

type Fetch = typeof fetch;

export interface ApiClientOptions {
  baseUrl: string;
  token: () => string | null;
  fetch?: Fetch;
  /** Called on a 401, so the app can ask for a new token. */
  onUnauthorized?: (error: ApiError) => void;
}

/** Builds the client. All methods reject with {@link ApiError} or {@link ApiUnreachableError}. */
export function createApiClient(options: ApiClientOptions) {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const doFetch: Fetch = options.fetch ?? ((...args) => fetch(...args));

  async function request<T>(method: string, path: string, body?: unknown, init: { auth?: boolean } = {}): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const token = options.token();
    if (init.auth !== false && token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await doFetch(`${baseUrl}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    } catch (e) {
      throw new ApiUnreachableError(baseUrl, e);
    }
    const text = await response.text();
    let payload: unknown = undefined;
    if (text) {
      try {
        payload = JSON.parse(text);
      } catch {
        payload = text;
      }
    }
    if (!response.ok) {
      const p = (payload && typeof payload === 'object' ? payload : {}) as { code?: string; message?: string; details?: Record<string, unknown>; requestId?: string };
      const error = new ApiError(
        response.status,
        p.code ?? `http_${response.status}`,
        p.message ?? (response.status >= 500 ? `The Tandem service failed (${response.status}).` : `Request refused (${response.status}).`),
        p.details,
        p.requestId ?? response.headers.get('x-request-id') ?? undefined,
      );
      if (response.status === 401) options.onUnauthorized?.(error);
      throw error;
    }
    return payload as T;
  }

  const enc = encodeURIComponent;
  return {
    baseUrl,
    health: () => request<{ status: string }>('GET', '/health/live', undefined, { auth: false }),
    catalog: () => request<Catalog>('GET', '/v1/catalog'),
    listFlows: (q?: string) => request<{ items: FlowSummary[]; total: number }>('GET', `/v1/flows?limit=200${q ? `&q=${enc(q)}` : ''}`),
    getFlow: (id: string) => request<FlowView>('GET', `/v1/flows/${enc(id)}`),
    createFlow: (document: FlowDocument) => request<FlowView>('POST', '/v1/flows', document),
    saveDraft: (id: string, revision: number, document: FlowDocument) => request<FlowView>('PUT', `/v1/flows/${enc(id)}`, { revision, document }),
    validate: (id: string, document: FlowDocument) => request<ValidationResult>('POST', `/v1/flows/${enc(id)}/validate`, { document }),
    publish: (id: string, body: { note?: string; revision?: number }) => request<FlowVersionSummary>('POST', `/v1/flows/${enc(id)}/publish`, body),
    versions: (id: string) => request<FlowVersionSummary[]>('GET', `/v1/flows/${enc(id)}/versions`),
    version: (id: string, version: number) => request<FlowVersionSummary & { document: FlowDocument }>('GET', `/v1/flows/${enc(id)}/versions/${version}`),
    diff: (id: string, from: number | 'draft', to: number | 'draft') => request<FlowDiff>('GET', `/v1/flows/${enc(id)}/diff?from=${from}&to=${to}`),
    rollback: (id: string, version: number, note?: string) => request<FlowVersionSummary>('POST', `/v1/flows/${enc(id)}/rollback`, { version, ...(note ? { note } : {}) }),
    exportFlow: (id: string, version?: number) => request<FlowExport>('GET', `/v1/flows/${enc(id)}/export${version ? `?version=${version}` : ''}`),
    importFlow: (payload: FlowExport, overwrite = false) => request<ImportResult>('POST', `/v1/flows/import${overwrite ? '?overwrite=true' : ''}`, payload),
    startContact: (body: StartContactRequest) => request<{ contactId: string }>('POST', '/v1/contacts', body),
    sendMessage: (contactId: string, text: string) => request<MessageResult>('POST', `/v1/contacts/${enc(contactId)}/messages`, { text }),
    contact: (contactId: string) => request<ContactState>('GET', `/v1/contacts/${enc(contactId)}`),
    metrics: (id: string, version: number) => request<FlowMetricsPayload>('GET', `/v1/flows/${enc(id)}/versions/${version}/metrics`),
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;

/** A sentence for a person, whatever went wrong. */
export function describeError(error: unknown): string {
  if (error instanceof ApiUnreachableError) return error.message;
  if (error instanceof ApiError) {
    if (error.status === 401) return 'Your sign-in has expired or is not valid. Paste a new designer token to continue.';
    if (error.status === 403) return 'Your token does not allow this. Ask an administrator for a designer token.';
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
