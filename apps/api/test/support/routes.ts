import type { HandoffPackage } from '@tandem/contracts';
import { RoutingDirectory, TicketDesk, WorkRouter } from '@tandem/routing';
import { uniqueName, waitFor } from '@tandem/testkit';
import { DataSource } from 'typeorm';
import { ROLES, type Role } from '../../src/auth/roles';
import { minimalFlow, waitingFlow } from './fixtures';
import { TEST_AGENT_ID, type TestApp } from './test-app';

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
  /** Answers with a never-ending `text/event-stream`: checked for its status and content type only. */
  stream?: boolean;
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
  /** Starts a contact of a published flow that waits for the customer's reply (the suite runs a worker). */
  contact(): Promise<string>;
  /** A work item the test agent ({@link TEST_AGENT_ID}) holds: `assigned` (default), `offered` to it, or queued for anyone. */
  workItem(state?: 'assigned' | 'offered' | 'queued'): Promise<{ workItemId: string; offerId?: string }>;
  /** An open ticket. */
  ticket(): Promise<string>;
}

/** The queue and agents the routing rows work with. */
export const MATRIX_QUEUE = 'matrix';

function handoff(contactId: string): HandoffPackage {
  return {
    schemaVersion: 1,
    contactId,
    channel: 'chat',
    customer: { id: `cust-${contactId}`, tier: 'standard', authenticated: false, authMethod: 'none' },
    intent: null,
    entities: [],
    sentiment: { history: [0], current: 0, direction: 'stable' },
    topics: [],
    trigger: null,
    stuckAt: null,
    tried: [],
    summary: 'needs a person',
    transcript: [],
    createdAt: new Date().toISOString(),
  };
}

export function routeContext(t: TestApp): RouteContext {
  const admin = t.token('admin');
  const auth = { Authorization: `Bearer ${admin}` };
  const unique = (prefix: string) => uniqueName(prefix).toLowerCase().replace(/_/g, '-');
  const router = t.app.get(WorkRouter);
  let prepared: Promise<{ flowId: string }> | undefined;
  /** Once per suite: a published waiting flow, the matrix queues, the test agent (and another). */
  const prepare = () =>
    (prepared ??= (async () => {
      const directory = t.app.get(RoutingDirectory);
      for (const name of [MATRIX_QUEUE, `${MATRIX_QUEUE}-b`]) await directory.defineQueue({ name, slaTargetSeconds: 60 });
      for (const id of [TEST_AGENT_ID, 'agent-eve']) await directory.defineAgent({ id, capacity: { chat: 100, voice: 100, email: 100 }, queues: [MATRIX_QUEUE, `${MATRIX_QUEUE}-b`] });
      const flowId = unique('waiting');
      await t.http.post('/v1/flows').set(auth).send(waitingFlow(flowId)).expect(201);
      await t.http.post(`/v1/flows/${flowId}/publish`).set(auth).send({}).expect(201);
      return { flowId };
    })());
  const queued = async () => {
    await prepare();
    const contactId = unique('c');
    const { workItem } = await router.createWorkItem({ workflowId: `contact-${contactId}`, stepId: 'to-agents', visit: 0, queue: MATRIX_QUEUE, handoff: handoff(contactId) });
    return workItem;
  };
  const contact = async () => {
    const { flowId } = await prepare();
    const started = await t.http.post('/v1/contacts').set(auth).send({ flowId, channel: 'chat', customer: { id: unique('cust') } }).expect(201);
    return started.body.contactId as string;
  };
  return {
    t,
    admin,
    unique,
    contact,
    async workItem(state = 'assigned') {
      if (state === 'queued') return { workItemId: (await queued()).id };
      await router.setAgentStatus(TEST_AGENT_ID, 'available');
      // The item belongs to a live contact, so messages to its customer reach a workflow.
      const contactId = await contact();
      const { workItem } = await router.createWorkItem({ workflowId: `contact-${contactId}`, stepId: 'ask', visit: 0, queue: MATRIX_QUEUE, handoff: handoff(contactId) });
      await router.transferWorkItem(workItem.id, { toAgentId: TEST_AGENT_ID, by: { kind: 'supervisor', id: 'matrix' } });
      const offer = await waitFor(async () => (await router.pendingOffersFor(TEST_AGENT_ID)).find((p) => p.workItem.id === workItem.id), { what: 'the offer' });
      if (state === 'offered') return { workItemId: workItem.id, offerId: offer.offer.id };
      await router.acceptOffer(offer.offer.id, TEST_AGENT_ID);
      return { workItemId: workItem.id };
    },
    async ticket() {
      await prepare();
      const contactId = unique('c');
      const { ticket } = await new TicketDesk({ dataSource: t.app.get(DataSource) }).create({
        idempotencyKey: unique('t'),
        kind: 'callback',
        queue: MATRIX_QUEUE,
        contactId,
        workflowId: `contact-${contactId}`,
        nodeId: 'ticket',
        channel: 'chat',
        customer: { id: `cust-${contactId}` },
        subject: 'Call back',
        body: null,
        priority: 0,
        dueAt: null,
        handoff: null,
      });
      return ticket.id;
    },
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
const MANAGE_QUEUES: Role[] = ['designer', 'supervisor', 'admin'];
const START_CONTACTS: Role[] = ['service', 'designer', 'admin'];
const READ_CONTACTS: Role[] = ['service', 'designer', 'supervisor', 'admin'];
const CANCEL_CONTACTS: Role[] = ['service', 'supervisor', 'admin'];
const CSAT: Role[] = ['service', 'admin'];
const AGENT: Role[] = ['agent'];
const SUPERVISE: Role[] = ['supervisor', 'admin'];
const READ_METRICS: Role[] = ['designer', 'supervisor', 'admin', 'service'];
const UUID_404 = '00000000-0000-4000-8000-000000000000';

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
      await t.http.put('/v1/catalog/queues/billing').set('Authorization', `Bearer ${admin}`).send({ slaTargetSeconds: 60 });
      return { url: '/v1/catalog/queues/billing', ok: [200] };
    },
  },
  {
    key: 'PUT /v1/catalog/queues/:name',
    allowed: MANAGE_QUEUES,
    upsert: true,
    request: async () => ({ url: '/v1/catalog/queues/billing', body: { description: 'Invoices and refunds', slaTargetSeconds: 60, distribution: 'pull' }, ok: [200, 201] }),
  },
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
  {
    key: 'POST /v1/flows/:flowId/tests/run',
    allowed: [...DESIGN, 'service'],
    unknownIds: { flowId: 'no-such-flow' },
    request: async ({ flow }) => ({ url: `/v1/flows/${await flow()}/tests/run`, body: {}, ok: [200] }),
  },
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
  {
    key: 'GET /v1/flows/:flowId/versions/:version/metrics',
    allowed: READ_METRICS,
    unknownIds: { flowId: 'no-such-flow', version: '999' },
    request: async ({ flow }) => ({ url: `/v1/flows/${await flow({ versions: 1 })}/versions/1/metrics`, ok: [200] }),
  },

  // contacts
  {
    key: 'POST /v1/contacts',
    allowed: START_CONTACTS,
    request: async ({ flow, unique }) => ({ url: '/v1/contacts', body: { flowId: await flow({ versions: 1 }), channel: 'chat', customer: { id: unique('cust') }, firstMessage: 'hello' }, ok: [201] }),
  },
  { key: 'GET /v1/contacts', allowed: READ_CONTACTS, request: async () => ({ url: '/v1/contacts?limit=5', ok: [200] }) },
  { key: 'GET /v1/contacts/:contactId', allowed: READ_CONTACTS, unknownIds: { contactId: 'no-such-contact' }, request: async ({ contact }) => ({ url: `/v1/contacts/${await contact()}`, ok: [200] }) },
  {
    key: 'GET /v1/contacts/:contactId/transcript',
    allowed: READ_CONTACTS,
    unknownIds: { contactId: 'no-such-contact' },
    request: async ({ contact }) => ({ url: `/v1/contacts/${await contact()}/transcript`, ok: [200] }),
  },
  {
    key: 'POST /v1/contacts/:contactId/messages',
    allowed: START_CONTACTS,
    unknownIds: { contactId: 'no-such-contact' },
    request: async ({ contact }) => ({ url: `/v1/contacts/${await contact()}/messages`, body: { text: 'hello', messageId: 'm-1' }, ok: [200] }),
  },
  {
    key: 'POST /v1/contacts/:contactId/cancel',
    allowed: CANCEL_CONTACTS,
    unknownIds: { contactId: 'no-such-contact' },
    request: async ({ contact }) => ({ url: `/v1/contacts/${await contact()}/cancel`, body: { reason: 'operator', note: 'test' }, ok: [202] }),
  },
  { key: 'POST /v1/contacts/:contactId/csat', allowed: CSAT, unknownIds: { contactId: 'no-such-contact' }, request: async ({ contact }) => ({ url: `/v1/contacts/${await contact()}/csat`, body: { score: 4 }, ok: [202] }) },

  // the agent's desk (the test agent's token names TEST_AGENT_ID)
  { key: 'GET /v1/agent', allowed: AGENT, request: async ({ workItem }) => (await workItem('queued'), { url: '/v1/agent', ok: [200] }) },
  { key: 'PUT /v1/agent/status', allowed: AGENT, request: async ({ workItem }) => (await workItem('queued'), { url: '/v1/agent/status', body: { status: 'available' }, ok: [200] }) },
  { key: 'POST /v1/agent/claim', allowed: AGENT, request: async ({ workItem }) => (await workItem('queued'), { url: '/v1/agent/claim', body: { queues: [MATRIX_QUEUE] }, ok: [200] }) },
  { key: 'GET /v1/agent/offers', allowed: AGENT, request: async ({ workItem }) => (await workItem('offered'), { url: '/v1/agent/offers', ok: [200] }) },
  { key: 'GET /v1/agent/offers/stream', allowed: AGENT, stream: true, request: async ({ workItem }) => (await workItem('queued'), { url: '/v1/agent/offers/stream', ok: [200] }) },
  {
    key: 'POST /v1/agent/offers/:offerId/accept',
    allowed: AGENT,
    unknownIds: { offerId: UUID_404 },
    request: async ({ workItem }) => ({ url: `/v1/agent/offers/${(await workItem('offered')).offerId}/accept`, body: {}, ok: [200] }),
  },
  {
    key: 'POST /v1/agent/offers/:offerId/reject',
    allowed: AGENT,
    unknownIds: { offerId: UUID_404 },
    request: async ({ workItem }) => ({ url: `/v1/agent/offers/${(await workItem('offered')).offerId}/reject`, body: { reason: 'busy' }, ok: [200] }),
  },
  { key: 'GET /v1/agent/work-items', allowed: AGENT, request: async ({ workItem }) => (await workItem('queued'), { url: '/v1/agent/work-items', ok: [200] }) },
  {
    key: 'GET /v1/agent/work-items/:workItemId',
    allowed: AGENT,
    unknownIds: { workItemId: UUID_404 },
    request: async ({ workItem }) => ({ url: `/v1/agent/work-items/${(await workItem()).workItemId}`, ok: [200] }),
  },
  {
    key: 'POST /v1/agent/work-items/:workItemId/messages',
    allowed: AGENT,
    unknownIds: { workItemId: UUID_404 },
    request: async ({ workItem }) => ({ url: `/v1/agent/work-items/${(await workItem()).workItemId}/messages`, body: { text: 'Hello, I can help.' }, ok: [202] }),
  },
  {
    key: 'POST /v1/agent/work-items/:workItemId/wrap-up',
    allowed: AGENT,
    unknownIds: { workItemId: UUID_404 },
    request: async ({ workItem }) => ({ url: `/v1/agent/work-items/${(await workItem()).workItemId}/wrap-up`, body: {}, ok: [200] }),
  },
  {
    key: 'POST /v1/agent/work-items/:workItemId/complete',
    allowed: AGENT,
    unknownIds: { workItemId: UUID_404 },
    request: async ({ workItem }) => ({ url: `/v1/agent/work-items/${(await workItem()).workItemId}/complete`, body: { outcome: 'resolved', reasonTags: ['billing'], note: 'done' }, ok: [200] }),
  },
  {
    key: 'POST /v1/agent/work-items/:workItemId/transfer',
    allowed: AGENT,
    unknownIds: { workItemId: UUID_404 },
    request: async ({ workItem }) => ({ url: `/v1/agent/work-items/${(await workItem()).workItemId}/transfer`, body: { toQueue: `${MATRIX_QUEUE}-b`, note: 'needs billing' }, ok: [200] }),
  },
  { key: 'POST /v1/agent/release', allowed: AGENT, request: async ({ workItem }) => (await workItem(), { url: '/v1/agent/release', body: {}, ok: [200] }) },

  // supervisors
  { key: 'GET /v1/supervisor/queues', allowed: SUPERVISE, request: async ({ workItem }) => (await workItem('queued'), { url: '/v1/supervisor/queues', ok: [200] }) },
  {
    key: 'GET /v1/supervisor/queues/:name/stats',
    allowed: SUPERVISE,
    unknownIds: { name: 'no-such-queue' },
    request: async ({ workItem }) => (await workItem('queued'), { url: `/v1/supervisor/queues/${MATRIX_QUEUE}/stats?channel=chat`, ok: [200] }),
  },
  { key: 'GET /v1/supervisor/work-items', allowed: SUPERVISE, request: async ({ workItem }) => (await workItem('queued'), { url: `/v1/supervisor/work-items?queue=${MATRIX_QUEUE}&status=queued,assigned`, ok: [200] }) },
  {
    key: 'GET /v1/supervisor/work-items/:workItemId',
    allowed: SUPERVISE,
    unknownIds: { workItemId: UUID_404 },
    request: async ({ workItem }) => ({ url: `/v1/supervisor/work-items/${(await workItem('queued')).workItemId}`, ok: [200] }),
  },
  {
    key: 'POST /v1/supervisor/work-items/:workItemId/transfer',
    allowed: SUPERVISE,
    unknownIds: { workItemId: UUID_404 },
    request: async ({ workItem }) => ({ url: `/v1/supervisor/work-items/${(await workItem('queued')).workItemId}/transfer`, body: { toQueue: `${MATRIX_QUEUE}-b`, note: 'rebalancing', priority: 5 }, ok: [200] }),
  },
  { key: 'GET /v1/supervisor/agents', allowed: SUPERVISE, request: async ({ workItem }) => (await workItem('queued'), { url: `/v1/supervisor/agents?queue=${MATRIX_QUEUE}`, ok: [200] }) },
  {
    key: 'GET /v1/supervisor/agents/:agentId',
    allowed: SUPERVISE,
    unknownIds: { agentId: 'no-such-agent' },
    request: async ({ workItem }) => (await workItem('queued'), { url: `/v1/supervisor/agents/${TEST_AGENT_ID}`, ok: [200] }),
  },
  {
    key: 'PUT /v1/supervisor/agents/:agentId',
    allowed: SUPERVISE,
    upsert: true,
    request: async ({ unique, workItem }) => (
      await workItem('queued'),
      { url: `/v1/supervisor/agents/${unique('agent')}`, body: { displayName: 'Fay', skills: { billing: 3 }, capacity: { chat: 2, voice: 1 }, queues: [MATRIX_QUEUE] }, ok: [201] }
    ),
  },
  {
    key: 'PUT /v1/supervisor/agents/:agentId/status',
    allowed: SUPERVISE,
    unknownIds: { agentId: 'no-such-agent' },
    request: async ({ workItem }) => (await workItem('queued'), { url: '/v1/supervisor/agents/agent-eve/status', body: { status: 'away' }, ok: [200] }),
  },
  { key: 'GET /v1/supervisor/tickets', allowed: SUPERVISE, request: async ({ ticket }) => (await ticket(), { url: '/v1/supervisor/tickets?status=open', ok: [200] }) },
  { key: 'GET /v1/supervisor/tickets/:ticketId', allowed: SUPERVISE, unknownIds: { ticketId: UUID_404 }, request: async ({ ticket }) => ({ url: `/v1/supervisor/tickets/${await ticket()}`, ok: [200] }) },
  {
    key: 'POST /v1/supervisor/tickets/:ticketId/close',
    allowed: SUPERVISE,
    unknownIds: { ticketId: UUID_404 },
    request: async ({ ticket }) => ({ url: `/v1/supervisor/tickets/${await ticket()}/close`, body: { status: 'done', resolution: 'called back' }, ok: [200] }),
  },
];

/** The HTTP method of a route key. */
export const methodOf = (spec: RouteSpec) => spec.key.split(' ')[0]!.toLowerCase() as 'get' | 'post' | 'put' | 'delete';
