import { uniqueName } from '@tandem/testkit';
import { ROLES, type Role } from '../../src/auth/roles';
import { minimalFlow } from './fixtures';
import type { TestApp } from './test-app';

/**
 * The designed access policy and a working request for every route: the table the access matrix,
 * the bad-input tests and the fuzz test are driven by. Adding an endpoint means adding a row here;
 * a test fails while a route is missing.
 */
export interface RouteSpec {
  /** `METHOD /path/:param`, exactly as Nest declares it. */
  key: string;
  /** Roles allowed to call it, or `public` (no token needed). */
  allowed: readonly Role[] | 'public';
  /**
   * Builds a request that succeeds for an allowed caller: fresh fixtures where the call changes
   * state, so it succeeds for every allowed role in turn.
   */
  request(ctx: RouteContext): Promise<PreparedRequest>;
  /** Path parameters and an unknown-but-well-formed value for each (404 expected), if the route has any. */
  unknownIds?: Record<string, string>;
  /** Creates or upserts whatever the path names: an unknown id is not a 404. */
  upsert?: boolean;
}

export interface PreparedRequest {
  url: string;
  body?: unknown;
  /** Statuses that mean success for an allowed caller. */
  ok: number[];
}

export interface RouteContext {
  t: TestApp;
  /** An admin token for setup. */
  admin: string;
  unique(prefix: string): string;
  /** Creates a flow (minimal, compiles); optionally publishes it `versions` times. */
  flow(options?: { versions?: number }): Promise<string>;
}

export function routeContext(t: TestApp): RouteContext {
  const admin = t.token('admin');
  const auth = { Authorization: `Bearer ${admin}` };
  const unique = (prefix: string) => uniqueName(prefix).toLowerCase().replace(/_/g, '-');
  return {
    t,
    admin,
    unique,
    async flow({ versions = 0 } = {}) {
      const id = unique('flow');
      const doc = minimalFlow(id);
      await t.http.post('/v1/flows').set(auth).send(doc).expect(201);
      for (let v = 1; v <= versions; v++) {
        if (v > 1) {
          doc.name = `${doc.name} v${v}`;
          await t.http.put(`/v1/flows/${id}`).set(auth).send({ revision: v - 1, document: doc }).expect(200);
        }
        await t.http.post(`/v1/flows/${id}/publish`).set(auth).send({}).expect(201);
      }
      return id;
    },
  };
}

const DESIGN: Role[] = ['designer', 'admin'];
const READ_FLOWS: Role[] = ['designer', 'supervisor', 'admin', 'service'];
const READ_CATALOG: Role[] = ['designer', 'supervisor', 'admin', 'service', 'agent'];
const REGISTER: Role[] = ['service', 'admin'];
const ADMIN: Role[] = ['admin'];

const descriptor = (name: string) => ({
  name,
  version: 1,
  title: 'Look up an order',
  description: 'Finds an order by number.',
  category: 'Orders',
  inputSchema: { type: 'object', properties: { orderNumber: { type: 'string' } }, required: ['orderNumber'] },
  outputSchema: { type: 'object', properties: { found: { type: 'boolean' } } },
  timeoutSeconds: 5,
  retry: { maximumAttempts: 3, initialIntervalSeconds: 1, backoffCoefficient: 2 },
});
const calendar = { timezone: 'Europe/Paris', weekly: { mon: [{ open: '09:00', close: '17:00' }] }, holidays: ['2026-12-25'] };

export const ROUTES: RouteSpec[] = [
  // operations
  { key: 'GET /health', allowed: 'public', request: async () => ({ url: '/health', ok: [200] }) },
  { key: 'GET /health/live', allowed: 'public', request: async () => ({ url: '/health/live', ok: [200] }) },
  { key: 'GET /metrics', allowed: 'public', request: async () => ({ url: '/metrics', ok: [200] }) },

  // auth
  { key: 'GET /v1/auth/me', allowed: ROLES, request: async () => ({ url: '/v1/auth/me', ok: [200] }) },
  { key: 'POST /v1/auth/tokens', allowed: ADMIN, request: async () => ({ url: '/v1/auth/tokens', body: { subject: 'ana@example.com', roles: ['agent'], ttl: '1h' }, ok: [201] }) },
  { key: 'POST /v1/api-keys', allowed: ADMIN, request: async ({ unique }) => ({ url: '/v1/api-keys', body: { name: unique('key'), roles: ['service'] }, ok: [201] }) },
  { key: 'GET /v1/api-keys', allowed: ADMIN, request: async () => ({ url: '/v1/api-keys', ok: [200] }) },
  {
    key: 'DELETE /v1/api-keys/:id',
    allowed: ADMIN,
    unknownIds: { id: '00000000-0000-4000-8000-000000000000' },
    request: async ({ t, admin, unique }) => {
      const created = await t.http.post('/v1/api-keys').set('Authorization', `Bearer ${admin}`).send({ name: unique('key'), roles: ['service'] }).expect(201);
      return { url: `/v1/api-keys/${created.body.id}`, ok: [200] };
    },
  },

  // catalog
  { key: 'GET /v1/catalog', allowed: READ_CATALOG, request: async () => ({ url: '/v1/catalog', ok: [200] }) },
  { key: 'GET /v1/catalog/node-types', allowed: READ_CATALOG, request: async () => ({ url: '/v1/catalog/node-types', ok: [200] }) },
  { key: 'GET /v1/catalog/expressions', allowed: READ_CATALOG, request: async () => ({ url: '/v1/catalog/expressions', ok: [200] }) },
  { key: 'GET /v1/catalog/activities', allowed: READ_CATALOG, request: async () => ({ url: '/v1/catalog/activities', ok: [200] }) },
  {
    key: 'GET /v1/catalog/activities/:name',
    allowed: READ_CATALOG,
    unknownIds: { name: 'no.such_activity' },
    request: async ({ t, admin }) => {
      await t.http.put('/v1/catalog/activities/orders.lookup').set('Authorization', `Bearer ${admin}`).send(descriptor('orders.lookup')).expect(200);
      return { url: '/v1/catalog/activities/orders.lookup', ok: [200] };
    },
  },
  { key: 'PUT /v1/catalog/activities/:name', allowed: REGISTER, upsert: true, request: async () => ({ url: '/v1/catalog/activities/orders.lookup', body: descriptor('orders.lookup'), ok: [200] }) },
  { key: 'POST /v1/catalog/activities/register', allowed: REGISTER, request: async () => ({ url: '/v1/catalog/activities/register', body: { activities: [descriptor('orders.cancel')] }, ok: [200] }) },
  { key: 'GET /v1/catalog/queues', allowed: READ_CATALOG, request: async () => ({ url: '/v1/catalog/queues', ok: [200] }) },
  {
    key: 'GET /v1/catalog/queues/:name',
    allowed: READ_CATALOG,
    unknownIds: { name: 'no-such-queue' },
    request: async ({ t, admin }) => {
      await t.http.put('/v1/catalog/queues/billing').set('Authorization', `Bearer ${admin}`).send({ title: 'Billing' });
      return { url: '/v1/catalog/queues/billing', ok: [200] };
    },
  },
  { key: 'PUT /v1/catalog/queues/:name', allowed: DESIGN, upsert: true, request: async () => ({ url: '/v1/catalog/queues/billing', body: { title: 'Billing', description: 'Invoices and refunds' }, ok: [200, 201] }) },
  { key: 'GET /v1/catalog/calendars', allowed: READ_CATALOG, request: async () => ({ url: '/v1/catalog/calendars', ok: [200] }) },
  {
    key: 'GET /v1/catalog/calendars/:name',
    allowed: READ_CATALOG,
    unknownIds: { name: 'no-such-calendar' },
    request: async ({ t, admin }) => {
      await t.http.put('/v1/catalog/calendars/paris-office').set('Authorization', `Bearer ${admin}`).send(calendar);
      return { url: '/v1/catalog/calendars/paris-office', ok: [200] };
    },
  },
  { key: 'PUT /v1/catalog/calendars/:name', allowed: DESIGN, upsert: true, request: async () => ({ url: '/v1/catalog/calendars/paris-office', body: calendar, ok: [200, 201] }) },

  // flows
  { key: 'GET /v1/flows', allowed: READ_FLOWS, request: async () => ({ url: '/v1/flows', ok: [200] }) },
  { key: 'POST /v1/flows', allowed: DESIGN, request: async ({ unique }) => ({ url: '/v1/flows', body: minimalFlow(unique('flow')), ok: [201] }) },
  {
    key: 'POST /v1/flows/import',
    allowed: DESIGN,
    request: async ({ unique }) => ({ url: '/v1/flows/import', body: { format: 'tandem.flow', formatVersion: 1, document: minimalFlow(unique('flow')) }, ok: [201] }),
  },
  { key: 'GET /v1/flows/:flowId', allowed: READ_FLOWS, unknownIds: { flowId: 'no-such-flow' }, request: async ({ flow }) => ({ url: `/v1/flows/${await flow()}`, ok: [200] }) },
  {
    key: 'PUT /v1/flows/:flowId',
    allowed: DESIGN,
    unknownIds: { flowId: 'no-such-flow' },
    request: async ({ flow }) => {
      const id = await flow();
      return { url: `/v1/flows/${id}`, body: { revision: 1, document: { ...minimalFlow(id), name: 'Renamed' } }, ok: [200] };
    },
  },
  { key: 'DELETE /v1/flows/:flowId', allowed: DESIGN, unknownIds: { flowId: 'no-such-flow' }, request: async ({ flow }) => ({ url: `/v1/flows/${await flow()}`, ok: [204] }) },
  { key: 'POST /v1/flows/:flowId/validate', allowed: DESIGN, unknownIds: { flowId: 'no-such-flow' }, request: async ({ flow }) => ({ url: `/v1/flows/${await flow()}/validate`, body: {}, ok: [200] }) },
  { key: 'POST /v1/flows/:flowId/publish', allowed: DESIGN, unknownIds: { flowId: 'no-such-flow' }, request: async ({ flow }) => ({ url: `/v1/flows/${await flow()}/publish`, body: { note: 'ship it' }, ok: [201] }) },
  {
    key: 'POST /v1/flows/:flowId/rollback',
    allowed: DESIGN,
    unknownIds: { flowId: 'no-such-flow' },
    request: async ({ flow }) => ({ url: `/v1/flows/${await flow({ versions: 2 })}/rollback`, body: { version: 1 }, ok: [201] }),
  },
  { key: 'GET /v1/flows/:flowId/versions', allowed: READ_FLOWS, unknownIds: { flowId: 'no-such-flow' }, request: async ({ flow }) => ({ url: `/v1/flows/${await flow({ versions: 1 })}/versions`, ok: [200] }) },
  {
    key: 'GET /v1/flows/:flowId/versions/:version',
    allowed: READ_FLOWS,
    unknownIds: { flowId: 'no-such-flow', version: '999' },
    request: async ({ flow }) => ({ url: `/v1/flows/${await flow({ versions: 1 })}/versions/1`, ok: [200] }),
  },
  { key: 'GET /v1/flows/:flowId/diff', allowed: READ_FLOWS, unknownIds: { flowId: 'no-such-flow' }, request: async ({ flow }) => ({ url: `/v1/flows/${await flow({ versions: 2 })}/diff?from=1&to=2`, ok: [200] }) },
  { key: 'GET /v1/flows/:flowId/export', allowed: READ_FLOWS, unknownIds: { flowId: 'no-such-flow' }, request: async ({ flow }) => ({ url: `/v1/flows/${await flow()}/export`, ok: [200] }) },
];

/** The HTTP method of a route key. */
export const methodOf = (spec: RouteSpec) => spec.key.split(' ')[0]!.toLowerCase() as 'get' | 'post' | 'put' | 'delete';
