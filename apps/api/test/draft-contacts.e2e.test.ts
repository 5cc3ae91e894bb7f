/**
 * A designer's test chat is a contact of the flow's draft (version 0). It once produced events no
 * schema accepted, and when it escalated into a real push queue every routing tick failed building
 * its `workitem.offered` event: no offer was made to anyone on that queue. Here, on the real stack
 * (worker as its own process, Kafka, PostgreSQL):
 *
 * - a draft contact escalates into a push queue beside real contacts of the published version; when
 *   an agent becomes available every item is offered at once, the draft's events are valid
 *   simulations, and no routing tick fails (`/metrics`, logs);
 * - a work item whose event cannot be built at all is dead-lettered (table, `/metrics`, a warning
 *   with its event id), its offer is made all the same, and the tick serves the other items.
 */
import type { FlowDocumentInput } from '@tandem/flow';
import { waitFor } from '@tandem/testkit';
import { Writable } from 'node:stream';
import { startTestApp, type TestApp } from './support/test-app';

/** start → escalate to `queue` → end: every contact asks for a person at once. */
function escalatingFlow(id: string, queue: string): FlowDocumentInput {
  const end = (nodeId: string, outcome: string, y: number) => ({ id: nodeId, type: 'end', typeVersion: 1, position: { x: 400, y }, config: { outcome } });
  return {
    schemaVersion: 1,
    id,
    name: `Straight to ${queue}`,
    description: '',
    channels: ['chat'],
    variables: [],
    nodes: [
      { id: 'start', type: 'start', typeVersion: 1, position: { x: 0, y: 0 }, config: {} },
      { id: 'to-agents', type: 'escalate', typeVersion: 1, position: { x: 200, y: 0 }, config: { queue } },
      end('done', 'resolved_by_human', 0),
      end('gave-up', 'abandoned', 100),
    ],
    edges: [
      { id: 'e1', source: 'start', sourcePort: 'next', target: 'to-agents' },
      { id: 'e2', source: 'to-agents', sourcePort: 'resolved', target: 'done' },
      { id: 'e3', source: 'to-agents', sourcePort: 'transferred', target: 'done' },
      { id: 'e4', source: 'to-agents', sourcePort: 'timeout', target: 'gave-up' },
      { id: 'e5', source: 'to-agents', sourcePort: 'abandoned', target: 'gave-up' },
    ],
  };
}

interface Item {
  id: string;
  contactId: string;
  status: string;
  agentId: string | null;
}

/** The samples of one metric in a Prometheus text exposition: labels → value. */
function samples(metrics: string, name: string): { labels: string; value: number }[] {
  return [...metrics.matchAll(new RegExp(`^${name}\\{([^}]*)\\} (\\S+)$`, 'gm'))].map((m) => ({ labels: m[1]!, value: Number(m[2]) }));
}

describe('draft contacts beside real traffic', () => {
  let t: TestApp;
  const logs: { level: number; msg?: string; [key: string]: unknown }[] = [];
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
  let designer: Record<string, string>;
  let service: Record<string, string>;
  let supervisor: Record<string, string>;

  beforeAll(async () => {
    const logDestination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) logs.push(JSON.parse(line) as (typeof logs)[number]);
        done();
      },
    });
    t = await startTestApp({ TANDEM_LOG_LEVEL: 'warn' }, { logDestination, worker: true, background: ['outboxRelay', 'escalationContexts', 'routingMaintenance'] });
    designer = auth(t.token('designer'));
    service = auth(t.token('service'));
    supervisor = auth(t.token('supervisor'));
    const admin = auth(t.token('admin'));
    for (const [queue, agent] of [
      ['front-desk', 'ana'],
      ['back-office', 'ben'],
    ] as const) {
      await t.http.put(`/v1/catalog/queues/${queue}`).set(admin).send({ slaTargetSeconds: 60, distribution: 'push', offerTimeoutSeconds: 300 }).expect(201);
      // Agents start offline: the items queue up until the agent says it is available.
      await t.http.put(`/v1/supervisor/agents/${agent}`).set(supervisor).send({ displayName: agent, capacity: { chat: 10 }, queues: [queue] }).expect(201);
    }
    await t.backgroundReady();
  }, 120_000);
  afterAll(() => t?.close());

  const publish = async (flowId: string, queue: string) => {
    await t.http.post('/v1/flows').set(designer).send(escalatingFlow(flowId, queue)).expect(201);
    expect((await t.http.post(`/v1/flows/${flowId}/publish`).set(designer).send({ note: 'v1' }).expect(201)).body.version).toBe(1);
  };
  const start = async (flowId: string, who: Record<string, string>, body: Record<string, unknown> = {}) => {
    const res = await t.http.post('/v1/contacts').set(who).send({ flowId, channel: 'chat', customer: { id: `cust-${logs.length}-${Math.random()}`, tier: 'standard' }, ...body }).expect(201);
    return res.body as { contactId: string; flowVersion: number };
  };
  const items = async (queue: string): Promise<Item[]> => (await t.http.get('/v1/supervisor/work-items').query({ queue }).set(supervisor).expect(200)).body as Item[];
  const queued = (queue: string, n: number) =>
    waitFor(async () => {
      const list = await items(queue);
      return list.length === n && list.every((i) => i.status === 'queued') ? list : undefined;
    }, { what: `${n} items queued in ${queue}`, timeoutMs: 30_000 });
  const available = (agentId: string) => t.http.put('/v1/agent/status').set(auth(t.token('agent', { agentId }))).send({ status: 'available' }).expect(200);
  const allOffered = (queue: string, agentId: string, n: number) =>
    waitFor(async () => {
      const list = await items(queue);
      return list.length === n && list.every((i) => i.status === 'offered' && i.agentId === agentId) ? list : undefined;
    }, { what: `all ${n} items of ${queue} offered to ${agentId}`, timeoutMs: 5_000, intervalMs: 50 });
  const contextSource = (workItemId: string) =>
    waitFor(async () => (await t.sql<{ source: string; flow_version: number }>(`SELECT source, flow_version FROM escalation_contexts WHERE work_item_id = $1 AND source = 'event'`, [workItemId]))[0], {
      what: `the worker's contact.escalated of ${workItemId} consumed from Kafka`,
      timeoutMs: 30_000,
    });
  const outboxOffers = async () =>
    (await t.sql<{ payload: string }>(`SELECT payload FROM events.outbox WHERE event_type = 'tandem.workitem.offered.v1'`)).map((r) => JSON.parse(r.payload) as Record<string, unknown> & { subject: string; data: { workItemId: string } });
  const routingTrouble = async () => {
    const metrics = (await t.http.get('/metrics').expect(200)).text;
    return {
      completedTicks: samples(metrics, 'tandem_routing_maintenance_ticks_total').find((s) => s.labels.includes('outcome="completed"'))?.value ?? 0,
      failedTicks: samples(metrics, 'tandem_routing_maintenance_ticks_total').find((s) => s.labels.includes('outcome="failed"'))?.value ?? 0,
      itemFailures: samples(metrics, 'tandem_routing_item_failures_total'),
      deadLettered: samples(metrics, 'tandem_events_dead_lettered_total'),
      warnings: logs.filter((l) => l.level >= 40 && /routing maintenance|flowversion/.test(`${l.msg ?? ''} ${JSON.stringify(l.err ?? '')}`)),
    };
  };

  it('a designer test chat escalates into a push queue beside real contacts: every item is offered at once, no tick fails', async () => {
    await publish('front-door', 'front-desk');
    // The designer's test chat of the draft comes first: its item heads the queue.
    const draft = await start('front-door', designer, { draft: true });
    expect(draft.flowVersion).toBe(0);
    const [draftItem] = await queued('front-desk', 1);
    expect(draftItem!.contactId).toBe(draft.contactId);
    const real = [];
    for (let i = 0; i < 3; i++) real.push(await start('front-door', service));
    expect(real.map((c) => c.flowVersion)).toEqual([1, 1, 1]);
    const waiting = await queued('front-desk', 4);

    // The draft's own events were published by the worker (its contact.escalated reached the API through Kafka).
    expect(await contextSource(draftItem!.id)).toEqual({ source: 'event', flow_version: 0 });

    const before = await routingTrouble();
    await available('ana');
    const offered = await allOffered('front-desk', 'ana', 4);
    expect(offered.map((i) => i.contactId).sort()).toEqual(waiting.map((i) => i.contactId).sort());

    // The offers' events: valid, the draft's marked as a simulation of version 0, the real ones of version 1 unmarked.
    const events = await waitFor(async () => {
      const all = await outboxOffers();
      return all.length === 4 ? all : undefined;
    }, { what: 'the four workitem.offered events in the outbox' });
    const bySubject = new Map(events.map((e) => [e.subject, e]));
    expect(bySubject.get(draft.contactId)).toMatchObject({ flowversion: 0, simulation: true });
    for (const c of real) {
      expect(bySubject.get(c.contactId)).toMatchObject({ flowversion: 1 });
      expect(bySubject.get(c.contactId)).not.toHaveProperty('simulation');
    }

    // Ticks ran, none failed, no item failed, nothing had to be dead-lettered, nothing was logged about it.
    const after = await routingTrouble();
    expect(after.completedTicks).toBeGreaterThan(before.completedTicks);
    expect(after).toMatchObject({ failedTicks: 0, itemFailures: [], deadLettered: [], warnings: [] });
  }, 120_000);

  it('an item whose event cannot be built is dead-lettered, counted and logged; its offer is made and the tick serves the others', async () => {
    await publish('back-door', 'back-office');
    const healthy = await start('back-door', service);
    const broken = await start('back-door', service);
    const list = await queued('back-office', 2);
    const brokenItem = list.find((i) => i.contactId === broken.contactId)!;
    const healthyItem = list.find((i) => i.contactId === healthy.contactId)!;
    // Corrupt what ties the item to its flow: with no escalate node, no valid event can be built for it any more.
    await contextSource(brokenItem.id);
    await t.sql(`UPDATE escalation_contexts SET escalate_node_id = '' WHERE work_item_id = $1`, [brokenItem.id]);
    const before = await routingTrouble();

    await available('ben');
    await allOffered('back-office', 'ben', 2);

    const letters = await t.sql<{ source: string; event_type: string; event_id: string; contact_id: string; payload: string; error: string }>(
      `SELECT source, event_type, event_id, contact_id, payload, error FROM events.producer_dead_letters`,
    );
    expect(letters).toEqual([
      {
        source: '/tandem/api',
        event_type: 'tandem.workitem.offered.v1',
        event_id: expect.any(String),
        contact_id: broken.contactId,
        payload: expect.any(String),
        error: expect.stringContaining(`invalid tandem.workitem.offered.v1 event ${letters[0]?.event_id}: nodeid: nodeid must not be empty`),
      },
    ]);
    expect(JSON.parse(letters[0]!.payload)).toMatchObject({ subject: broken.contactId, flowversion: 1, nodeid: '', data: { workItemId: brokenItem.id, agentId: 'ben' } });
    // Only the healthy item's offer is published.
    const published = (await outboxOffers()).filter((e) => e.data.workItemId === brokenItem.id || e.data.workItemId === healthyItem.id);
    expect(published.map((e) => e.data.workItemId)).toEqual([healthyItem.id]);

    const after = await routingTrouble();
    expect(after.deadLettered).toEqual([{ labels: expect.stringMatching(/source="\/tandem\/api",.*type="tandem\.workitem\.offered\.v1"/), value: 1 }]);
    expect(after).toMatchObject({ failedTicks: 0, itemFailures: [], warnings: [] });
    expect(after.completedTicks).toBeGreaterThan(before.completedTicks);
    const warned = logs.filter((l) => l.level === 40 && l.msg === 'dead-lettered a work item event that cannot be valid');
    expect(warned).toEqual([expect.objectContaining({ eventId: letters[0]!.event_id, contactId: broken.contactId, err: letters[0]!.error })]);
  }, 120_000);
});
