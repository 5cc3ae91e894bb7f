import { waitFor } from '@tandem/testkit';
import { RoutingConflictError, RoutingNotifications, startRoutingMaintenance, type RoutingNotification } from '../src';
import { escalation, routingTestContext, type RoutingTestContext } from './helpers';

describe('offers (push)', () => {
  let ctx: RoutingTestContext;
  let queueNo = 0;

  beforeAll(async () => {
    ctx = await routingTestContext('routing_offers');
  });
  afterAll(() => ctx?.close());

  async function pushQueue(extra: { offerTimeoutSeconds?: number } = {}) {
    const name = `push${++queueNo}`;
    await ctx.directory.defineQueue({ name, slaTargetSeconds: 60, distribution: 'push', offerTimeoutSeconds: extra.offerTimeoutSeconds ?? 20 });
    const agent = async (id: string, capacity: Record<string, number> = { chat: 1 }) => {
      await ctx.directory.defineAgent({ id: `${name}-${id}`, capacity, queues: [name] });
      await ctx.router.setAgentStatus(`${name}-${id}`, 'available');
      return `${name}-${id}`;
    };
    return { name, agent };
  }

  it('offers a new item to the longest-idle eligible agent; accepting assigns it', async () => {
    const { name, agent } = await pushQueue();
    const first = await agent('first');
    ctx.clock.advance(30);
    const second = await agent('second');
    const { workItem } = await ctx.router.createWorkItem(escalation(name));
    const [pending] = await ctx.router.pendingOffersFor(first);
    expect(pending).toMatchObject({ offer: { status: 'pending', agentId: first, workItemId: workItem.id }, workItem: { status: 'offered', agentId: first } });
    expect(pending!.offer.expiresAt.getTime() - ctx.clock.now().getTime()).toBe(20_000);
    expect(await ctx.router.pendingOffersFor(second)).toEqual([]);
    // An offered item is reserved: nobody can claim it.
    expect(await ctx.router.claim(second)).toBeNull();
    const accepted = await ctx.router.acceptOffer(pending!.offer.id, first);
    expect(accepted).toMatchObject({ status: 'assigned', agentId: first, answeredAt: ctx.clock.now() });
    await expect(ctx.router.acceptOffer(pending!.offer.id, first)).rejects.toBeInstanceOf(RoutingConflictError);
    expect((await ctx.router.history(workItem.id)).map((h) => h.type)).toEqual(['created', 'offered', 'accepted']);
  });

  it('re-offers a rejected item to the next agent, not the same one', async () => {
    const { name, agent } = await pushQueue();
    const a = await agent('a');
    ctx.clock.advance(1);
    const b = await agent('b');
    const { workItem } = await ctx.router.createWorkItem(escalation(name));
    const [toA] = await ctx.router.pendingOffersFor(a);
    const back = await ctx.router.rejectOffer(toA!.offer.id, a, 'busy_with_escalation');
    expect(back.attempts).toBe(1);
    const [toB] = await ctx.router.pendingOffersFor(b);
    expect(toB!.workItem.id).toBe(workItem.id);
    expect(await ctx.router.pendingOffersFor(a)).toEqual([]);
    expect((await ctx.router.history(workItem.id)).map((h) => [h.type, h.agentId, h.reason])).toEqual([
      ['created', null, null],
      ['offered', a, 'longest_idle'],
      ['rejected', a, 'busy_with_escalation'],
      ['offered', b, 'longest_idle'],
    ]);
  });

  it('expires an unanswered offer and re-offers; with nobody else, the same agent gets it again', async () => {
    const { name, agent } = await pushQueue({ offerTimeoutSeconds: 10 });
    const solo = await agent('solo');
    const { workItem } = await ctx.router.createWorkItem(escalation(name));
    const [first] = await ctx.router.pendingOffersFor(solo);
    ctx.clock.advance(9);
    await ctx.router.expireOffers();
    expect((await ctx.router.pendingOffersFor(solo)).map((p) => p.offer.id)).toEqual([first!.offer.id]);
    ctx.clock.advance(1);
    // An offer past its expiry cannot be accepted even before the sweeper ran.
    await expect(ctx.router.acceptOffer(first!.offer.id, solo)).rejects.toThrow(/expired/);
    expect(await ctx.router.expireOffers()).toBeGreaterThanOrEqual(1);
    const [again] = await ctx.router.pendingOffersFor(solo);
    expect(again!.offer.id).not.toBe(first!.offer.id);
    expect(again!.workItem).toMatchObject({ id: workItem.id, attempts: 1, status: 'offered' });
    // Another agent arrives: after the next expiry it goes to them, not back to solo.
    const other = await agent('other');
    ctx.clock.advance(10);
    await ctx.router.expireOffers();
    expect((await ctx.router.pendingOffersFor(other)).map((p) => p.workItem.id)).toEqual([workItem.id]);
    expect((await ctx.router.getWorkItem(workItem.id)).attempts).toBe(2);
    expect((await ctx.router.history(workItem.id)).map((h) => [h.type, h.agentId])).toEqual([
      ['created', null],
      ['offered', solo],
      ['expired', solo],
      ['offered', solo],
      ['expired', solo],
      ['offered', other],
    ]);
  });

  it('dispatches queued items when capacity appears, best item first', async () => {
    const { name, agent } = await pushQueue();
    const low = await ctx.router.createWorkItem(escalation(name, { priority: 1 }));
    const high = await ctx.router.createWorkItem(escalation(name, { priority: 9 }));
    expect(low.workItem.status).toBe('queued'); // nobody to offer to yet
    const late = await agent('late', { chat: 1 });
    expect((await ctx.router.dispatchOffers()).map((o) => o.workItemId)).toEqual([high.workItem.id]);
    expect((await ctx.router.dispatchOffers()).length).toBe(0); // no capacity left
    await ctx.router.rejectOffer((await ctx.router.pendingOffersFor(late))[0]!.offer.id, late);
    // Rejected: re-offered at once — to the same agent, as nobody else serves the queue.
    expect((await ctx.router.pendingOffersFor(late)).map((p) => p.workItem.id)).toEqual([high.workItem.id]);
  });

  it('publishes offers on LISTEN/NOTIFY and the maintenance loop re-offers expired ones', async () => {
    const { name, agent } = await pushQueue({ offerTimeoutSeconds: 5 });
    const a = await agent('a');
    const stream = await RoutingNotifications.listen({ connection: ctx.db.url });
    const seen: RoutingNotification[] = [];
    const consume = (async () => {
      for await (const n of stream.forAgent(a)) seen.push(n);
    })();
    const stop = startRoutingMaintenance({ router: ctx.router, notifications: stream, intervalMs: 50 });
    try {
      const { workItem } = await ctx.router.createWorkItem(escalation(name));
      const offered = await waitFor(() => seen.find((n) => n.type === 'offered' && n.workItemId === workItem.id), { what: 'offer notification' });
      expect(offered).toMatchObject({ agentId: a, queue: name, offerId: expect.any(String), expiresAt: expect.any(String) });
      ctx.clock.advance(5);
      // The loop expires it and offers it again (to the same agent: nobody else serves the queue).
      await waitFor(() => seen.filter((n) => n.type === 'offered' && n.workItemId === workItem.id).length >= 2, { what: 're-offer notification' });
      expect(seen.some((n) => n.type === 'offer_closed' || n.type === 'capacity_freed')).toBe(true);
      expect((await ctx.router.getWorkItem(workItem.id)).attempts).toBe(1);
    } finally {
      await stop();
      await stream.close();
      await consume;
    }
  });
});
