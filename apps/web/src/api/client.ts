/**
 * The designer's client of the Tandem API. Every failure becomes one of two errors a person can act
 * on: {@link ApiUnreachableError} (the API did not answer: network, server down, CORS) or
 * {@link ApiError} (it answered with an error body: status, stable code, message, request id).
 *
 * What each call sends and answers is typed by `@tandem/api-contract`, the schemas the API validates
 * with and its OpenAPI document is generated from: nothing is restated here.
 */
import type {
  CatalogView,
  ContactView,
  CustomerMessageRequest,
  ErrorBody,
  FlowDiff,
  FlowExport,
  FlowList,
  FlowMetricsView,
  FlowTestRun,
  FlowView,
  ImportResult,
  Liveness,
  MessageReply,
  PublishTestedFlowRequest,
  RollbackFlowRequest,
  RunFlowTestsRequest,
  StartContactRequest,
  StartedContact,
  TestedFlowVersionSummary,
  TestedFlowVersionView,
  UpdateFlowRequest,
  ValidateFlowRequest,
  ValidationResult,
  VersionRef,
} from '@tandem/api-contract';
import type { FlowDocument } from '@tandem/flow';

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
      // Usually the API's ErrorBody; a proxy in between may answer something else.
      const p = (payload && typeof payload === 'object' ? payload : {}) as Partial<ErrorBody>;
      const error = new ApiError(
        response.status,
        p.code ?? `http_${response.status}`,
        p.message ?? (response.status >= 500 ? `The Tandem service failed (${response.status}).` : `Request refused (${response.status}).`),
        p.details && typeof p.details === 'object' ? (p.details as Record<string, unknown>) : undefined,
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
    health: () => request<Liveness>('GET', '/health/live', undefined, { auth: false }),
    catalog: () => request<CatalogView>('GET', '/v1/catalog'),
    listFlows: (q?: string) => request<FlowList>('GET', `/v1/flows?limit=200${q ? `&q=${enc(q)}` : ''}`),
    getFlow: (id: string) => request<FlowView>('GET', `/v1/flows/${enc(id)}`),
    createFlow: (document: FlowDocument) => request<FlowView>('POST', '/v1/flows', document),
    saveDraft: (id: string, revision: number, document: FlowDocument) => request<FlowView>('PUT', `/v1/flows/${enc(id)}`, { revision, document } satisfies UpdateFlowRequest),
    validate: (id: string, document: FlowDocument) => request<ValidationResult>('POST', `/v1/flows/${enc(id)}/validate`, { document } satisfies ValidateFlowRequest),
    publish: (id: string, body: PublishTestedFlowRequest) => request<TestedFlowVersionSummary>('POST', `/v1/flows/${enc(id)}/publish`, body),
    runTests: (id: string, body: RunFlowTestsRequest) => request<FlowTestRun>('POST', `/v1/flows/${enc(id)}/tests/run`, body),
    versions: (id: string) => request<TestedFlowVersionSummary[]>('GET', `/v1/flows/${enc(id)}/versions`),
    version: (id: string, version: number) => request<TestedFlowVersionView>('GET', `/v1/flows/${enc(id)}/versions/${version}`),
    diff: (id: string, from: VersionRef, to: VersionRef) => request<FlowDiff>('GET', `/v1/flows/${enc(id)}/diff?from=${from}&to=${to}`),
    rollback: (id: string, version: number, note?: string) =>
      request<TestedFlowVersionSummary>('POST', `/v1/flows/${enc(id)}/rollback`, { version, ...(note ? { note } : {}) } satisfies RollbackFlowRequest),
    exportFlow: (id: string, version?: number) => request<FlowExport>('GET', `/v1/flows/${enc(id)}/export${version ? `?version=${version}` : ''}`),
    importFlow: (payload: FlowExport, overwrite = false) => request<ImportResult>('POST', `/v1/flows/import${overwrite ? '?overwrite=true' : ''}`, payload),
    startContact: (body: StartContactRequest) => request<StartedContact>('POST', '/v1/contacts', body),
    sendMessage: (contactId: string, text: string) => request<MessageReply>('POST', `/v1/contacts/${enc(contactId)}/messages`, { text } satisfies CustomerMessageRequest),
    contact: (contactId: string) => request<ContactView>('GET', `/v1/contacts/${enc(contactId)}`),
    metrics: (id: string, version: number) => request<FlowMetricsView>('GET', `/v1/flows/${enc(id)}/versions/${version}/metrics`),
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
