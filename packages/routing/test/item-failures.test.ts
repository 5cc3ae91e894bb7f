/**
 * One bad item never stalls a loop that serves others. A "poisoned" item is one whose event the sink
 * cannot take (as when a draft's workitem.offered failed its schema and the API's sink threw inside
 * the routing transaction): every sweep — push dispatch, offer expiry, overflow — and every follow-up
 * offer after a committed change reports it with its id and goes on with the other items.
 */
import { waitFor } from '@tandem/testkit';
import { startRoutingMaintenance, WorkRouter, type ItemFailure, type MaintenanceTick, type RoutingEvent, type RoutingEventSink } from '../src';
import { escalation, routingTestContext, type RoutingTestContext } from './helpers';

describe('a failing item does not stall the others', () => {
  let ctx: RoutingTestContext;
  let router: WorkRouter;
  /** Work item id → the event type its sink refuses. */
  let poison: Map<string, RoutingEvent['type']>;
  let reported: ItemFailure[];

  const sink: RoutingEventSink = {
    append: async (_manager, events) => {
      for (const e of events) if (poison.get(e.workItemId) === e.type) throw new Error(`cannot build the ${e.type} event of work item ${e.workItemId}`);
    },
  };

  beforeEach(async () => {
    ctx = await routingTestContext('routing_item_failures', { eventSink: sink });
    poison = new Map();
    reported = [];
    router = new WorkRouter({ dataSource: ctx.dataSource, clock: ctx.clock.now, eventSink: sink, onItemFailure: (f) => reported.push(f) });
  });
  afterEach(() => ctx?.close());

  async function agents(queue: string, ids: string[], status: 'available' | 'away', capacity = 2) {
    for (const id of ids) {
      await ctx.directory.defineAgent({ id, capacity: { chat: capacity }, queues: [queue] });
      await router.setAgentStatus(id, status);
    }
  }

  it('push dispatch offers every other item when one cannot be offered, and backs off the bad one', async () => {
    await ctx.directory.defineQueue({ name: 'chat-push', slaTargetSeconds: 60, distribution: 'push', offerTimeoutSeconds: 30 });
    await agents('chat-push', ['ana', 'ben'], 'away');
    // The bad item is the most urgent: before, its failure ended the dispatch and nobody got an offer.
    const bad = (await router.createWorkItem(escalation('chat-push', { priority: 90 }))).workItem;
    poison.set(bad.id, 'workitem.offered');
    const good = [];
    for (let i = 0; i < 3; i++) good.push((await router.createWorkItem(escalation('chat-push'))).workItem);
    await router.setAgentStatus('ana', 'available');
    await router.setAgentStatus('ben', 'available');

    const seen: ItemFailure[] = [];
    const offers = await router.dispatchOffers({ onItemFailure: (f) => seen.push(f) });
    expect(offers.map((o) => o.workItemId).sort()).toEqual(good.map((g) => g.id).sort());
    expect(seen).toEqual([{ operation: 'offer', workItemId: bad.id, error: expect.objectContaining({ message: expect.stringContaining(bad.id) }) }]);
    expect(router.counters.itemFailures).toBe(1);
    expect(await router.getWorkItem(bad.id)).toMatchObject({ status: 'queued', agentId: null });

    // Right away, the bad item is not tried again (its errors do not flood every tick)…
    expect(await router.dispatchOffers({ onItemFailure: (f) => seen.push(f) })).toEqual([]);
    expect(seen).toHaveLength(1);
    // …and once its sink takes events again it is offered like any other.
    poison.clear();
    const later = await waitFor(async () => (await router.dispatchOffers()).find((o) => o.workItemId === bad.id), { what: 'the bad item to be offered after its backoff', timeoutMs: 10_000 });
    expect(later.agentId).toMatch(/^(ana|ben)$/);
  });

  it('offer expiry requeues every other expired offer when one cannot be expired', async () => {
    await ctx.directory.defineQueue({ name: 'slow-answers', slaTargetSeconds: 60, distribution: 'push', offerTimeoutSeconds: 10 });
    await agents('slow-answers', ['cleo'], 'available', 3);
    const items = [];
    for (let i = 0; i < 3; i++) items.push((await router.createWorkItem(escalation('slow-answers'))).workItem);
    const offers = await router.pendingOffersFor('cleo');
    expect(offers).toHaveLength(3);
    const [bad, ...good] = items;
    poison.set(bad!.id, 'workitem.expired');
    ctx.clock.advance(11);

    expect(await router.expireOffers()).toBe(2);
    const badOffer = offers.find((o) => o.workItem.id === bad!.id)!.offer;
    expect(reported).toEqual([{ operation: 'expire_offer', workItemId: bad!.id, offerId: badOffer.id, error: expect.any(Error) }]);
    expect(await router.getWorkItem(bad!.id)).toMatchObject({ status: 'offered' });
    for (const item of good) expect((await router.history(item.id)).map((h) => h.type)).toContain('expired');
  });

  it('overflow moves every other waiting item when one cannot be moved', async () => {
    await ctx.directory.defineQueue({ name: 'spill', slaTargetSeconds: 60 });
    await ctx.directory.defineQueue({ name: 'main', slaTargetSeconds: 60, overflowQueue: 'spill', maxWaitSeconds: 30 });
    const items = [];
    for (let i = 0; i < 3; i++) items.push((await router.createWorkItem(escalation('main'))).workItem);
    poison.set(items[1]!.id, 'workitem.transferred');
    ctx.clock.advance(31);

    expect(await router.overflowWaitingItems()).toBe(2);
    expect(reported).toEqual([{ operation: 'overflow', workItemId: items[1]!.id, error: expect.any(Error) }]);
    expect((await Promise.all(items.map((i) => router.getWorkItem(i.id)))).map((i) => i.queue)).toEqual(['spill', 'main', 'spill']);
  });

  it('a committed change stands when its follow-up offer fails: the reject returns, the failure is reported', async () => {
    await ctx.directory.defineQueue({ name: 'rejects', slaTargetSeconds: 60, distribution: 'push', offerTimeoutSeconds: 30 });
    await agents('rejects', ['dan', 'eve'], 'available', 1);
    const { workItem } = await router.createWorkItem(escalation('rejects'));
    const [offer] = [...(await router.pendingOffersFor('dan')), ...(await router.pendingOffersFor('eve'))];
    poison.set(workItem.id, 'workitem.offered');
    const back = await router.rejectOffer(offer!.offer.id, offer!.offer.agentId);
    expect(back).toMatchObject({ id: workItem.id, status: 'queued', attempts: 1 });
    expect(reported).toEqual([{ operation: 'offer', workItemId: workItem.id, error: expect.any(Error) }]);
  });

  it('the maintenance loop keeps ticking and serving the others, reporting the bad item with its id', async () => {
    await ctx.directory.defineQueue({ name: 'loop-push', slaTargetSeconds: 60, distribution: 'push', offerTimeoutSeconds: 30 });
    await agents('loop-push', ['fay'], 'away', 3);
    const bad = (await router.createWorkItem(escalation('loop-push', { priority: 50 }))).workItem;
    poison.set(bad.id, 'workitem.offered');
    const good = [(await router.createWorkItem(escalation('loop-push'))).workItem, (await router.createWorkItem(escalation('loop-push'))).workItem];
    await router.setAgentStatus('fay', 'available');

    const ticks: MaintenanceTick[] = [];
    const failures: ItemFailure[] = [];
    const errors: unknown[] = [];
    const stop = startRoutingMaintenance({ router, intervalMs: 50, onTick: (t) => ticks.push(t), onItemFailure: (f) => failures.push(f), onError: (e) => errors.push(e) });
    try {
      await waitFor(async () => (await router.pendingOffersFor('fay')).length === 2, { what: 'both good items offered to fay' });
      await waitFor(() => ticks.length >= 3, { what: 'three ticks' });
    } finally {
      await stop();
    }
    expect(errors).toEqual([]);
    expect(failures.length).toBeGreaterThanOrEqual(1);
    expect(failures.every((f) => f.operation === 'offer' && f.workItemId === bad.id)).toBe(true);
    expect(ticks.reduce((n, t) => n + t.failedItems, 0)).toBe(failures.length);
    expect(ticks.reduce((n, t) => n + t.offersMade, 0)).toBe(2);
    expect((await router.pendingOffersFor('fay')).map((o) => o.workItem.id).sort()).toEqual(good.map((g) => g.id).sort());
  });
});

describe("a sink's afterCommit", () => {
  let ctx: RoutingTestContext;
  const ran: string[] = [];
  let refuse = false;
  const sink: RoutingEventSink = {
    append: async (_manager, events, transaction) => {
      for (const e of events) transaction?.afterCommit(() => ran.push(`${e.type} ${e.workItemId}`));
      if (refuse) throw new Error('the sink refuses this change');
    },
  };

  beforeAll(async () => {
    ctx = await routingTestContext('routing_after_commit', { eventSink: sink });
    await ctx.directory.defineQueue({ name: 'q', slaTargetSeconds: 60 });
  });
  afterAll(() => ctx?.close());

  it('runs once the change has committed, and never for a change that rolled back', async () => {
    const { workItem } = await ctx.router.createWorkItem(escalation('q'));
    expect(ran).toEqual([`workitem.created ${workItem.id}`]);
    refuse = true;
    await expect(ctx.router.createWorkItem(escalation('q'))).rejects.toThrow('the sink refuses this change');
    await expect(ctx.router.raisePriority(workItem.id, 5, { actor: { kind: 'system' }, reason: 'test' })).rejects.toThrow('the sink refuses this change');
    expect(ran).toHaveLength(1);
    refuse = false;
    await ctx.router.raisePriority(workItem.id, 5, { actor: { kind: 'system' }, reason: 'test' });
    expect(ran).toEqual([`workitem.created ${workItem.id}`, `workitem.reprioritized ${workItem.id}`]);
  });
});
