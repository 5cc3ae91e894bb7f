/**
 * The agents' offer stream (SSE): an agent connected to the stream receives an offer for a push-queue
 * item as soon as routing makes it, accepts it, sees it closed; a reconnecting agent gets the offers
 * still pending; another agent's stream stays silent; heartbeats keep the stream alive.
 */
import type { HandoffPackage } from '@tandem/contracts';
import { WorkRouter } from '@tandem/routing';
import { uniqueName } from '@tandem/testkit';
import { SseClient } from './support/sse';
import { startTestApp, type TestApp } from './support/test-app';

function handoff(contactId: string): HandoffPackage {
  return {
    schemaVersion: 1,
    contactId,
    channel: 'chat',
    customer: { id: `cust-${contactId}`, name: 'Robin', tier: 'gold', authenticated: true, authMethod: 'otp' },
    intent: { name: 'billing_dispute', confidence: 0.82 },
    entities: [{ type: 'amount', value: '42.00' }],
    sentiment: { history: [-0.2, -0.6], current: -0.6, direction: 'worsening' },
    topics: ['billing'],
    trigger: { kind: 'human_request', reason: 'asked for a human', evidence: [] },
    stuckAt: { nodeId: 'billing-bot', reason: 'asked for a human' },
    tried: [],
    summary: 'I was charged twice.',
    transcript: [{ at: new Date().toISOString(), from: 'customer', text: 'I was charged twice' }],
    createdAt: new Date().toISOString(),
  };
}

describe('offers stream (SSE)', () => {
  let t: TestApp;
  let base: string;
  let router: WorkRouter;
  const carol = () => ({ Authorization: `Bearer ${t.token('agent', { agentId: 'carol' })}` });
  const streams: SseClient[] = [];
  const connect = async (agentId: string) => {
    const s = await SseClient.connect(`${base}/v1/agent/offers/stream`, t.token('agent', { agentId }));
    streams.push(s);
    // Read with fetch, not t.http: checked against the document here.
    expect(t.openapi.check('get', '/v1/agent/offers/stream', s.status, s.contentType, undefined)).toEqual({ operation: 'GET /v1/agent/offers/stream' });
    return s;
  };
  const createItem = async () => {
    const contactId = uniqueName('c');
    const { workItem } = await router.createWorkItem({ workflowId: `contact-${contactId}`, stepId: 'to-agents', visit: 0, queue: 'live-chat', handoff: handoff(contactId) });
    return workItem;
  };

  beforeAll(async () => {
    t = await startTestApp({ TANDEM_API_SSE_HEARTBEAT_MS: '300' }, { background: ['routingMaintenance'] });
    await t.app.listen(0, '127.0.0.1');
    base = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    router = t.app.get(WorkRouter);
    const supervisor = { Authorization: `Bearer ${t.token('supervisor')}` };
    await t.http.put('/v1/catalog/queues/live-chat').set(supervisor).send({ slaTargetSeconds: 30, distribution: 'push', offerTimeoutSeconds: 60 }).expect(201);
    for (const id of ['carol', 'dave']) {
      await t.http.put(`/v1/supervisor/agents/${id}`).set(supervisor).send({ capacity: { chat: 3 }, queues: id === 'carol' ? ['live-chat'] : [] }).expect(201);
    }
    await t.backgroundReady();
  });
  afterAll(async () => {
    for (const s of streams) await s.close();
    await t?.close();
  });

  it('delivers an offer for a push-queue item the moment it is made; the agent accepts it and sees it closed', async () => {
    await t.http.put('/v1/agent/status').set(carol()).send({ status: 'available' }).expect(200);
    const stream = await connect('carol');
    const bystander = await connect('dave');
    expect(stream.status).toBe(200);
    const ready = JSON.parse((await stream.next((e) => e.event === 'ready')).data);
    expect(ready).toEqual({ agentId: 'carol', pendingOffers: 0 });

    const item = await createItem();
    const offered = await stream.next((e) => e.event === 'offer');
    const payload = JSON.parse(offered.data);
    // An `offer` event carries what GET /v1/agent/offers lists.
    expect(t.openapi.checkComponent('PendingOfferDto_Output', payload)).toBeUndefined();
    expect(offered.id).toBe(payload.offer.id);
    expect(payload).toMatchObject({ offer: { agentId: 'carol', status: 'pending', workItemId: item.id }, workItem: { id: item.id, queue: 'live-chat', status: 'offered', handoff: { summary: 'I was charged twice.' } } });

    const accepted = await t.http.post(`/v1/agent/offers/${payload.offer.id}/accept`).set(carol()).send({}).expect(200);
    expect(accepted.body).toMatchObject({ id: item.id, status: 'assigned', agentId: 'carol' });
    const closed = await stream.next((e) => e.event === 'offer_closed');
    expect(JSON.parse(closed.data)).toEqual({ offerId: payload.offer.id, workItemId: item.id });
    // Accepting twice is a conflict; the item is Carol's now.
    await t.http.post(`/v1/agent/offers/${payload.offer.id}/accept`).set(carol()).send({}).expect(409);
    expect((await t.http.get('/v1/agent/work-items').set(carol()).expect(200)).body.map((w: { id: string }) => w.id)).toContain(item.id);

    // Heartbeats keep idle streams open; Dave, who does not serve the queue, got nothing.
    await stream.next(() => false, 700).catch(() => undefined);
    expect(stream.comments.some((c) => c.startsWith('ping'))).toBe(true);
    expect(bystander.events.filter((e) => e.event === 'offer')).toEqual([]);
  });

  it('re-sends offers still pending when the agent reconnects, and rejecting one closes it', async () => {
    const first = await connect('carol');
    await first.next((e) => e.event === 'ready');
    await first.close();
    const item = await createItem(); // offered while Carol is not connected
    const again = await connect('carol');
    const offered = await again.next((e) => e.event === 'offer' && JSON.parse(e.data).workItem.id === item.id);
    const offerId = JSON.parse(offered.data).offer.id;
    expect(JSON.parse((await again.next((e) => e.event === 'ready')).data).pendingOffers).toBe(1);
    await t.http.post(`/v1/agent/offers/${offerId}/reject`).set(carol()).send({ reason: 'on a call' }).expect(200);
    await again.next((e) => e.event === 'offer_closed' && e.id === offerId);
  });

  it('refuses the stream without a token, to other roles, and to an agent routing does not know', async () => {
    expect((await fetch(`${base}/v1/agent/offers/stream`)).status).toBe(401);
    expect((await fetch(`${base}/v1/agent/offers/stream`, { headers: { Authorization: `Bearer ${t.token('supervisor')}` } })).status).toBe(403);
    const unknown = await fetch(`${base}/v1/agent/offers/stream`, { headers: { Authorization: `Bearer ${t.token('agent', { agentId: 'nobody' })}` } });
    expect(unknown.status).toBe(404);
    const body = (await unknown.json()) as { code: string };
    expect(body.code).toBe('agent_not_defined');
    expect(t.openapi.check('get', '/v1/agent/offers/stream', 404, unknown.headers.get('content-type') ?? undefined, body).problem).toBeUndefined();
  });
});
