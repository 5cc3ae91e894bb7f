import { waitFor } from '@tandem/testkit';
import { type EntityManager } from 'typeorm';
import { noopEventSink, RoutingNotifications, startRoutingMaintenance, WorkRouter, type MaintenanceTick, type RoutingEvent, type RoutingEventSink } from '../src';
import { escalation, routingTestContext, type RoutingTestContext } from './helpers';

/** A sink that keeps what it is given (as an outbox would, in the transaction). */
function recordingSink(): RoutingEventSink & { events: RoutingEvent[] } {
  const events: RoutingEvent[] = [];
  return {
    events,
    async append(_manager: EntityManager, batch: RoutingEvent[]) {
      events.push(...batch);
    },
  };
}

describe('events of a router without a sink (the worker’s) are published by one with a sink (the API’s)', () => {
  let ctx: RoutingTestContext;
  beforeAll(async () => {
    ctx = await routingTestContext('routing_deferred_events');
    await ctx.directory.defineQueue({ name: 'support', slaTargetSeconds: 60, distribution: 'push' });
    await ctx.directory.defineAgent({ id: 'alice', capacity: { chat: 10 }, queues: ['support'] });
  });
  afterAll(() => ctx?.close());

  it('keeps the events of a creation and its immediate offer, and publishes each once, in order, through the sink', async () => {
    await ctx.router.setAgentStatus('alice', 'available');
    // ctx.router has no sink, like the worker's: the push queue's offer happens at creation.
    const { workItem } = await ctx.router.createWorkItem(escalation('support'));
    const sink = recordingSink();
    const publisher = new WorkRouter({ dataSource: ctx.dataSource, clock: ctx.clock.now, eventSink: sink });
    expect(await publisher.publishDeferredEvents()).toBe(2);
    expect(sink.events.filter((e) => e.workItemId === workItem.id).map((e) => [e.type, e.agentId])).toEqual([
      ['workitem.created', null],
      ['workitem.offered', 'alice'],
    ]);
    // Their ids are the history's: what the sink's outbox dedupes on.
    const history = await ctx.router.history(workItem.id);
    expect(sink.events.filter((e) => e.workItemId === workItem.id).map((e) => e.id)).toEqual(history.map((h) => h.eventId));
    expect(await publisher.publishDeferredEvents()).toBe(0);
    const [{ count }] = await ctx.dataSource.query(`SELECT count(*)::int AS count FROM routing.deferred_event`);
    expect(count).toBe(0);
  });

  it('publishes nothing from a router without a sink of its own, and keeps nothing for a noop sink', async () => {
    await ctx.router.createWorkItem(escalation('support'));
    expect(await ctx.router.publishDeferredEvents()).toBe(0);
    const [{ count }] = await ctx.dataSource.query(`SELECT count(*)::int AS count FROM routing.deferred_event`);
    expect(count).toBeGreaterThan(0);
    await ctx.dataSource.query(`DELETE FROM routing.deferred_event`);
    const silent = new WorkRouter({ dataSource: ctx.dataSource, clock: ctx.clock.now, eventSink: noopEventSink });
    await silent.createWorkItem(escalation('support'));
    const [{ count: after }] = await ctx.dataSource.query(`SELECT count(*)::int AS count FROM routing.deferred_event`);
    expect(after).toBe(0);
  });

  it('rolls the rows back when the sink fails, so the next round publishes them', async () => {
    await ctx.router.createWorkItem(escalation('support'));
    let fail = true;
    const sink = recordingSink();
    const flaky: RoutingEventSink = {
      async append(manager, events) {
        if (fail) throw new Error('outbox unavailable');
        await sink.append(manager, events);
      },
    };
    const publisher = new WorkRouter({ dataSource: ctx.dataSource, clock: ctx.clock.now, eventSink: flaky });
    await expect(publisher.publishDeferredEvents()).rejects.toThrow('outbox unavailable');
    fail = false;
    expect(await publisher.publishDeferredEvents()).toBeGreaterThan(0);
    expect(sink.events.map((e) => e.type)).toContain('workitem.created');
  });

  it('routing maintenance publishes them as soon as they are kept', async () => {
    const sink = recordingSink();
    const publisher = new WorkRouter({ dataSource: ctx.dataSource, eventSink: sink });
    const ticks: MaintenanceTick[] = [];
    const notifications = await RoutingNotifications.listen({ connection: ctx.db.url });
    // A long interval: only the notification can wake it in time.
    const stop = startRoutingMaintenance({ router: publisher, notifications, intervalMs: 60_000, onTick: (t) => ticks.push(t) });
    try {
      await waitFor(() => ticks.length >= 1, { what: 'the first tick' });
      const worker = new WorkRouter({ dataSource: ctx.dataSource, clock: ctx.clock.now });
      const { workItem } = await worker.createWorkItem(escalation('support'));
      await waitFor(() => sink.events.some((e) => e.workItemId === workItem.id), { what: 'the deferred events to be published', timeoutMs: 10_000 });
      // The sink has them while the tick is still running; the tick reports once it ends.
      await waitFor(() => ticks.some((t) => t.deferredEventsPublished > 0), { what: 'a tick that published them', timeoutMs: 10_000 });
    } finally {
      await stop();
      await notifications.close();
    }
  });
});
