import { type EntityManager } from 'typeorm';
import { InvalidRoutingInputError, RoutingConflictError, WorkRouter, type RoutingEvent } from '../src';
import { escalation, routingTestContext, type RoutingTestContext } from './helpers';

describe('handling, transfer, release', () => {
  let ctx: RoutingTestContext;
  let queueNo = 0;

  beforeAll(async () => {
    ctx = await routingTestContext('routing_lifecycle');
  });
  afterAll(() => ctx?.close());

  async function queue(extra: Record<string, unknown> = {}) {
    const name = `q${++queueNo}`;
    await ctx.directory.defineQueue({ name, slaTargetSeconds: 60, ...extra });
    return name;
  }
  async function agent(id: string, queues: string[], capacity: Record<string, number> = { chat: 2, voice: 1 }, skills: Record<string, number> = {}) {
    await ctx.directory.defineAgent({ id, capacity, queues, skills });
    await ctx.router.setAgentStatus(id, 'available');
    return id;
  }

  it('wraps up and completes with outcome and reason tags, and queues the workflow signal in the same transaction', async () => {
    const q = await queue();
    const alice = await agent('alice', [q]);
    const { workItem } = await ctx.router.createWorkItem(escalation(q));
    await ctx.router.claim(alice);
    ctx.clock.advance(240);
    expect(await ctx.router.beginWrapUp(workItem.id, alice)).toMatchObject({ status: 'wrapping', wrappingAt: ctx.clock.now() });
    ctx.clock.advance(30);
    const done = await ctx.router.completeWorkItem(workItem.id, alice, { outcome: 'resolved', reasonTags: ['refund_issued', 'billing:double_charge'], note: 'refunded' });
    expect(done).toMatchObject({ status: 'completed', outcome: 'resolved', reasonTags: ['refund_issued', 'billing:double_charge'], endedAt: ctx.clock.now() });
    expect((await ctx.directory.getAgent(alice)).load).toEqual({ chat: 0 });
    expect((await ctx.directory.getAgent(alice)).lastIdleSince).toEqual(ctx.clock.now());
    const [delivery] = await ctx.dataSource.query(`SELECT workflow_id, payload, status FROM routing.resolution_delivery WHERE work_item_id = $1`, [workItem.id]);
    expect(delivery).toEqual({
      workflow_id: workItem.workflowId,
      status: 'pending',
      payload: { schemaVersion: 1, workItemId: workItem.id, outcome: 'resolved', reasonTags: ['refund_issued', 'billing:double_charge'], agentId: alice, note: 'refunded', resolvedAt: ctx.clock.now().toISOString() },
    });
    const last = (await ctx.router.history(workItem.id)).at(-1)!;
    expect(last).toMatchObject({ type: 'completed', fromStatus: 'wrapping', toStatus: 'completed', details: { handleSeconds: 270, outcome: 'resolved' } });
    // Finished is finished.
    await expect(ctx.router.completeWorkItem(workItem.id, alice, { outcome: 'resolved' })).rejects.toBeInstanceOf(RoutingConflictError);
    await expect(ctx.router.completeWorkItem(workItem.id, alice, { outcome: 'fixed' as never, reasonTags: ['bad tag!'] })).rejects.toThrow(InvalidRoutingInputError);
  });

  it('only lets the holding agent wrap up or complete', async () => {
    const q = await queue();
    const bob = await agent('bob', [q]);
    await agent('mallory', [q]);
    const { workItem } = await ctx.router.createWorkItem(escalation(q));
    await expect(ctx.router.completeWorkItem(workItem.id, bob, { outcome: 'resolved' })).rejects.toThrow(/does not hold/);
    await ctx.router.claim(bob);
    await expect(ctx.router.beginWrapUp(workItem.id, 'mallory')).rejects.toThrow(/does not hold/);
  });

  it('transfers to another queue keeping the handoff package and appending the note', async () => {
    const tier1 = await queue();
    const tier2 = await queue({ skills: { escalations: 2 } });
    const carol = await agent('carol', [tier1], { chat: 2 }, { spanish: 1 });
    const dan = await agent('dan', [tier2], { chat: 2 }, { escalations: 3 });
    const { workItem } = await ctx.router.createWorkItem(escalation(tier1, { requiredSkills: { spanish: 1 }, priority: 3 }));
    await ctx.router.claim(carol);
    ctx.clock.advance(60);
    const moved = await ctx.router.transferWorkItem(workItem.id, { toQueue: tier2, note: 'needs a refund over the limit', by: { kind: 'agent', id: carol }, priority: 8, requestedSkills: {} });
    expect(moved).toMatchObject({ status: 'queued', queue: tier2, agentId: null, priority: 8, requiredSkills: { escalations: 2 }, queuedAt: ctx.clock.now(), answeredAt: null });
    expect(moved.handoff).toEqual(workItem.handoff);
    expect(moved.notes).toEqual([
      { at: ctx.clock.now().toISOString(), by: `agent:${carol}`, text: 'needs a refund over the limit', fromQueue: tier1, toQueue: tier2, fromAgentId: carol, toAgentId: null },
    ]);
    expect((await ctx.directory.getAgent(carol)).load).toEqual({ chat: 0 });
    expect((await ctx.router.claim(dan))!.id).toBe(workItem.id);
    const transferred = (await ctx.router.history(workItem.id)).find((h) => h.type === 'transferred')!;
    expect(transferred).toMatchObject({ actor: `agent:${carol}`, fromStatus: 'assigned', toStatus: 'queued', details: { fromQueue: tier1, toQueue: tier2, fromAgentId: carol } });
    // An agent cannot transfer what it does not hold.
    await expect(ctx.router.transferWorkItem(workItem.id, { toQueue: tier1, by: { kind: 'agent', id: carol } })).rejects.toThrow(/does not hold/);
    await expect(ctx.router.transferWorkItem(workItem.id, { by: { kind: 'agent', id: dan } })).rejects.toThrow(/exactly one of toQueue or toAgentId/);
  });

  it('transfers to a specific agent as an offer; if they decline it goes back to the queue', async () => {
    const q = await queue();
    const erin = await agent('erin', [q]);
    const { workItem } = await ctx.router.createWorkItem(escalation(q));
    await ctx.router.claim(erin);
    await ctx.directory.defineAgent({ id: 'frank', capacity: { chat: 1 }, queues: [] });
    await expect(ctx.router.transferWorkItem(workItem.id, { toAgentId: 'frank', by: { kind: 'agent', id: erin } })).rejects.toThrow(/frank is offline/);
    await ctx.router.setAgentStatus('frank', 'available');
    const offered = await ctx.router.transferWorkItem(workItem.id, { toAgentId: 'frank', note: 'you handled this customer yesterday', by: { kind: 'agent', id: erin } });
    expect(offered).toMatchObject({ status: 'offered', agentId: 'frank' });
    const [pending] = await ctx.router.pendingOffersFor('frank');
    expect(pending!.workItem.notes.at(-1)!.text).toBe('you handled this customer yesterday');
    const back = await ctx.router.rejectOffer(pending!.offer.id, 'frank', 'on a call');
    expect(back).toMatchObject({ status: 'queued', queue: q, agentId: null });
  });

  it('releases offered and assigned items when the agent goes offline; wrap-up stays', async () => {
    const q = await queue();
    const push = await queue({ distribution: 'push' });
    const gina = await agent('gina', [q, push], { chat: 3, voice: 1 });
    const assigned = await ctx.router.createWorkItem(escalation(q));
    const wrapping = await ctx.router.createWorkItem(escalation(q, { channel: 'voice' }));
    await ctx.router.claim(gina);
    await ctx.router.claim(gina);
    await ctx.router.beginWrapUp(wrapping.workItem.id, gina);
    const offered = await ctx.router.createWorkItem(escalation(push)); // offered to gina at once
    expect((await ctx.router.getWorkItem(offered.workItem.id)).status).toBe('offered');
    const { released } = await ctx.router.setAgentStatus(gina, 'offline');
    expect(released.map((w) => w.id).sort()).toEqual([assigned.workItem.id, offered.workItem.id].sort());
    for (const id of [assigned.workItem.id, offered.workItem.id]) {
      const item = await ctx.router.getWorkItem(id);
      expect(item).toMatchObject({ status: 'queued', agentId: null, attempts: 1 });
      expect((await ctx.router.history(id)).at(-1)).toMatchObject({ type: 'released', agentId: gina, reason: 'agent_offline', actor: 'system', toStatus: 'queued' });
    }
    expect(await ctx.router.getWorkItem(wrapping.workItem.id)).toMatchObject({ status: 'wrapping', agentId: gina });
    const [{ status }] = await ctx.dataSource.query(`SELECT status FROM routing.offer WHERE work_item_id = $1`, [offered.workItem.id]);
    expect(status).toBe('revoked');
    expect((await ctx.directory.getAgent(gina))).toMatchObject({ status: 'offline', load: { voice: 1 } });
  });

  it('going away revokes pending offers but keeps assigned work', async () => {
    const push = await queue({ distribution: 'push' });
    const hal = await agent('hal', [push], { chat: 2 });
    const first = await ctx.router.createWorkItem(escalation(push));
    await ctx.router.acceptOffer((await ctx.router.pendingOffersFor(hal))[0]!.offer.id, hal);
    const second = await ctx.router.createWorkItem(escalation(push));
    const { released } = await ctx.router.setAgentStatus(hal, 'away');
    expect(released.map((w) => w.id)).toEqual([second.workItem.id]);
    expect((await ctx.router.getWorkItem(first.workItem.id)).status).toBe('assigned');
    expect((await ctx.router.history(second.workItem.id)).at(-1)).toMatchObject({ type: 'released', reason: 'agent_away' });
  });

  it('abandons an item wherever it is and tells the workflow unless it asked', async () => {
    const q = await queue();
    const ivy = await agent('ivy', [q]);
    const waiting = await ctx.router.createWorkItem(escalation(q));
    const byWorkflow = await ctx.router.abandonWorkItem(waiting.workItem.id, { actor: { kind: 'workflow' }, reason: 'customer hung up' });
    expect(byWorkflow).toMatchObject({ status: 'abandoned', outcome: 'abandoned' });
    const handled = await ctx.router.createWorkItem(escalation(q));
    await ctx.router.claim(ivy);
    await ctx.router.abandonWorkItem(handled.workItem.id, { actor: { kind: 'supervisor', id: 'sue' }, reason: 'duplicate contact' });
    expect((await ctx.directory.getAgent(ivy)).load).toEqual({ chat: 0 });
    const rows = await ctx.dataSource.query(`SELECT work_item_id, payload->>'outcome' AS outcome FROM routing.resolution_delivery WHERE work_item_id = ANY ($1)`, [
      [waiting.workItem.id, handled.workItem.id],
    ]);
    expect(rows).toEqual([{ work_item_id: handled.workItem.id, outcome: 'abandoned' }]);
    await expect(ctx.router.abandonWorkItem(handled.workItem.id, { actor: { kind: 'workflow' }, reason: 'again' })).rejects.toBeInstanceOf(RoutingConflictError);
  });

  it('overflows items that waited longer than the queue allows', async () => {
    const spill = await queue();
    const main = await queue({ overflowQueue: spill, maxWaitSeconds: 120 });
    const { workItem } = await ctx.router.createWorkItem(escalation(main));
    ctx.clock.advance(119);
    await ctx.router.overflowWaitingItems();
    expect((await ctx.router.getWorkItem(workItem.id)).queue).toBe(main);
    ctx.clock.advance(1);
    expect(await ctx.router.overflowWaitingItems()).toBeGreaterThanOrEqual(1);
    expect(await ctx.router.getWorkItem(workItem.id)).toMatchObject({ queue: spill, status: 'queued', queuedAt: ctx.clock.now() });
    expect((await ctx.router.history(workItem.id)).at(-1)).toMatchObject({ type: 'transferred', actor: 'system', reason: 'max_wait_exceeded' });
    await expect(ctx.directory.defineQueue({ name: 'loop', slaTargetSeconds: 10, overflowQueue: 'missing', maxWaitSeconds: 5 })).rejects.toThrow(/overflowQueue: queue "missing" does not exist/);
  });

  it('hands every state change to the event sink inside its transaction; a failing sink rolls the change back', async () => {
    const q = await queue();
    const events: RoutingEvent[] = [];
    let fail = false;
    const sink = {
      async append(manager: EntityManager, batch: RoutingEvent[]) {
        // Inside the transaction: the change is visible to the same manager before commit.
        const [row] = await manager.query(`SELECT status FROM routing.work_item WHERE id = $1`, [batch[0]!.workItemId]);
        expect(row.status).toBe(batch.at(-1)!.toStatus);
        if (fail) throw new Error('outbox unavailable');
        events.push(...batch);
      },
    };
    const router = new WorkRouter({ dataSource: ctx.dataSource, clock: ctx.clock.now, eventSink: sink });
    const jay = await agent('jay', [q]);
    const { workItem } = await router.createWorkItem(escalation(q));
    await router.claim(jay);
    await router.completeWorkItem(workItem.id, jay, { outcome: 'resolved', reasonTags: ['kb_gap'] });
    expect(events.map((e) => e.type)).toEqual(['workitem.created', 'workitem.assigned', 'workitem.completed']);
    expect(events[2]).toMatchObject({ workItemId: workItem.id, contactId: workItem.contactId, workflowId: workItem.workflowId, queue: q, agentId: jay, actor: `agent:${jay}`, details: { reasonTags: ['kb_gap'] } });
    const history = await ctx.router.history(workItem.id);
    expect(events.map((e) => e.id)).toEqual(history.map((h) => h.eventId));

    fail = true;
    const second = escalation(q);
    await expect(router.createWorkItem(second)).rejects.toThrow('outbox unavailable');
    const [{ n }] = await ctx.dataSource.query(`SELECT count(*)::int AS n FROM routing.work_item WHERE workflow_id = $1`, [second.workflowId]);
    expect(n).toBe(0);
  });
});
