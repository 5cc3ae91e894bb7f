/**
 * Example custom activity: call an HTTP endpoint (a CRM, a shipping API) with a timeout, a size limit
 * and an allow-list of hosts, so a flow cannot be turned into an open proxy.
 */
import { defineActivity } from '@tandem/activity-kit';
import { z } from 'zod';

export interface HttpRequestOptions {
  /** Hosts (`api.example.com`, `127.0.0.1:8080`) flows may call; anything else is refused. */
  allowedHosts: string[];
  /** Per-request timeout (default 10 s). */
  timeoutMs?: number;
  /** Largest response body read (default 256 KiB). */
  maxBytes?: number;
}

export class HttpActivityError extends Error {
  override readonly name = 'HttpActivityError';
}

async function readLimited(response: Response, maxBytes: number): Promise<string> {
  const reader = (response.body as ReadableStream<Uint8Array> | null)?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new HttpActivityError(`the response is larger than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function createHttpRequestActivity({ allowedHosts, timeoutMs = 10_000, maxBytes = 256 * 1024 }: HttpRequestOptions) {
  const allowed = new Set(allowedHosts.map((h) => h.toLowerCase()));
  return defineActivity({
    name: 'http.request',
    title: 'Call an HTTP endpoint',
    description: 'Sends a request to an allowed host and returns the status and the (JSON or text) body.',
    category: 'Integrations',
    input: z.object({
      url: z.string().url(),
      method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('GET'),
      headers: z.record(z.string(), z.string()).default({}),
      body: z.unknown().optional().describe('Sent as JSON'),
    }),
    output: z.object({ status: z.number().int(), ok: z.boolean(), body: z.unknown() }),
    timeoutSeconds: Math.ceil(timeoutMs / 1000) + 5,
    retry: { maximumAttempts: 3 },
    async execute({ url, method, headers, body }, context) {
      const target = new URL(url);
      if (!allowed.has(target.host.toLowerCase())) {
        throw new HttpActivityError(`the host ${target.host} is not in the allowed hosts (${[...allowed].join(', ') || 'none'}); set TANDEM_HTTP_ALLOWED_HOSTS`);
      }
      const signal = AbortSignal.any([context.signal, AbortSignal.timeout(timeoutMs)]);
      let response: Response;
      try {
        response = await fetch(target, {
          method,
          headers: { accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
          signal,
          redirect: 'manual',
        });
      } catch (e) {
        const reason = (e as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (e as Error).message;
        throw new HttpActivityError(`${method} ${target.origin}${target.pathname} failed: ${reason}`);
      }
      const text = await readLimited(response, maxBytes);
      let parsed: unknown = text;
      if ((response.headers.get('content-type') ?? '').includes('json') && text) {
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = text;
        }
      }
      if (response.status >= 500) throw new HttpActivityError(`${method} ${target.origin}${target.pathname} answered ${response.status}`);
      return { status: response.status, ok: response.ok, body: parsed };
    },
  });
}
