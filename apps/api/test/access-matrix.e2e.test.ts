import { ROLES, type Role } from '../src/auth/roles';
import { discoverRoutes } from './support/route-inventory';
import { methodOf, routeContext, type RouteContext, ROUTES, type RouteSpec } from './support/routes';
import { startTestApp, type TestApp } from './support/test-app';

type Caller = Role | 'no token' | 'expired token' | 'bad signature' | 'malformed header';
const CALLERS: Caller[] = [...ROLES, 'no token', 'expired token', 'bad signature', 'malformed header'];

/** What the design says a caller gets on a route. */
function expectation(spec: RouteSpec, caller: Caller): { status: 'ok' } | { status: 401 | 403; code: string } {
  if (spec.allowed === 'public') return { status: 'ok' };
  switch (caller) {
    case 'no token':
    case 'malformed header':
      return { status: 401, code: 'unauthenticated' };
    case 'expired token':
      return { status: 401, code: 'token_expired' };
    case 'bad signature':
      return { status: 401, code: 'invalid_token' };
    default:
      return spec.allowed.includes(caller) ? { status: 'ok' } : { status: 403, code: 'forbidden' };
  }
}

describe('authorization matrix: every route × every role, no token, expired token, bad signature', () => {
  let t: TestApp;
  let ctx: RouteContext;
  let base: string;
  beforeAll(async () => {
    t = await startTestApp({}, { worker: true });
    ctx = routeContext(t);
    await t.app.listen(0, '127.0.0.1');
    base = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
  }, 60_000);
  afterAll(() => t?.close());

  it('covers every route the application serves, and nothing else', () => {
    const served = discoverRoutes(t.app).map((r) => r.key);
    const inMatrix = ROUTES.map((r) => r.key);
    expect(served.filter((k) => !inMatrix.includes(k))).toEqual([]);
    expect(inMatrix.filter((k) => !served.includes(k))).toEqual([]);
    expect(new Set(inMatrix).size).toBe(inMatrix.length);
  });

  const cases = ROUTES.flatMap((spec) => CALLERS.map((caller) => [spec.key, caller, spec] as const));

  /** The credential a caller presents, as an Authorization header value. */
  const authorization = (caller: Caller): string | undefined => {
    switch (caller) {
      case 'no token':
        return undefined;
      case 'expired token':
        return `Bearer ${t.expiredToken('admin')}`;
      case 'bad signature':
        return `Bearer ${t.badSignatureToken('admin')}`;
      case 'malformed header':
        return `Token ${t.token('admin')}`;
      default:
        return `Bearer ${t.token(caller)}`;
    }
  };

  it.each(cases)('%s as %s', async (_key, caller, spec) => {
    const request = await spec.request(ctx);
    if (spec.stream) {
      // A stream never ends: read the status and headers, then hang up.
      const abort = new AbortController();
      const header = authorization(caller);
      const res = await fetch(`${base}${request.url}`, { headers: header ? { Authorization: header } : {}, signal: abort.signal });
      const expected = expectation(spec, caller);
      if (expected.status === 'ok') expect({ status: res.status, type: res.headers.get('content-type') }).toEqual({ status: 200, type: 'text/event-stream; charset=utf-8' });
      else expect({ status: res.status, code: ((await res.json()) as { code: string }).code }).toEqual({ status: expected.status, code: expected.code });
      abort.abort();
      return;
    }
    let req = t.http[methodOf(spec)](request.url);
    switch (caller) {
      case 'no token':
        break;
      case 'expired token':
        req = req.set('Authorization', `Bearer ${t.expiredToken('admin')}`);
        break;
      case 'bad signature':
        req = req.set('Authorization', `Bearer ${t.badSignatureToken('admin')}`);
        break;
      case 'malformed header':
        req = req.set('Authorization', `Token ${t.token('admin')}`);
        break;
      default:
        req = req.set('Authorization', `Bearer ${t.token(caller)}`);
    }
    if (request.body !== undefined) req = req.send(request.body as object);
    const res = await req;
    const expected = expectation(spec, caller);
    if (expected.status === 'ok') {
      // The body is part of the message when it fails: it says why the call was refused.
      expect({ ok: request.ok.includes(res.status), status: res.status, body: res.status >= 400 ? res.body : undefined }).toEqual({ ok: true, status: res.status, body: undefined });
    } else {
      expect({ status: res.status, code: res.body.code }).toEqual({ status: expected.status, code: expected.code });
      if (expected.status === 401) expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    }
  });
});
