import type { Client } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { uniqueName, waitFor } from '@tandem/testkit';
import { ResolutionOutbox, deliverPendingResolutions, temporalSignaler, type ResolutionSignaler } from '../src';
import { awaitResolution, finishSignal, receivedQuery } from './fixtures/resolution-workflows';
import { escalation, routingTestContext, type RoutingTestContext } from './helpers';
import { type FixtureTemporal, fixtureTemporal } from './temporal';

Runtime.install({ logger: new DefaultLogger('WARN') });

describe('workItemResolved delivery to the contact workflow (real Temporal)', () => {
  let ctx: RoutingTestContext;
  let temporal: FixtureTemporal;
  let client: Client;
  let taskQueue: string;

  beforeAll(async () => {
    ctx = await routingTestContext('routing_resolutions');
    await ctx.directory.defineQueue({ name: 'billing', slaTargetSeconds: 60 });
    await ctx.directory.defineAgent({ id: 'alice', capacity: { chat: 10 }, queues: ['billing'] });
    await ctx.router.setAgentStatus('alice', 'available');
    temporal = await fixtureTemporal('routing-resolutions');
    ({ client, taskQueue } = temporal);
  });

  afterAll(async () => {
    await temporal?.close();
    await ctx?.close();
  });

  /** A contact workflow waiting on a fresh work item, which alice claims and completes. */
  async function completedItemWithWorkflow() {
    const input = escalation('billing', { key: uniqueName('contact') });
    const { workItem } = await ctx.router.createWorkItem(input);
    const handle = await client.workflow.start(awaitResolution, { taskQueue, workflowId: input.workflowId, args: [[workItem.id]] });
    expect((await ctx.router.claim('alice'))!.id).toBe(workItem.id);
    await ctx.router.completeWorkItem(workItem.id, 'alice', { outcome: 'resolved', reasonTags: ['refund'] });
    return { workItem, handle };
  }

  it('signals the workflow once, and marks the delivery', async () => {
    const { workItem, handle } = await completedItemWithWorkflow();
    const outbox = new ResolutionOutbox({ dataSource: ctx.dataSource, clock: ctx.clock.now });
    expect(await deliverPendingResolutions({ dataSource: ctx.dataSource, clock: ctx.clock.now }, client)).toEqual({ delivered: 1, workflowMissing: 0, failed: 0 });
    expect(await outbox.deliverPending(client)).toEqual({ delivered: 0, workflowMissing: 0, failed: 0 });
    await handle.signal(finishSignal);
    const result = await handle.result();
    expect(result.received).toBe(1);
    expect(result.accepted).toEqual([expect.objectContaining({ schemaVersion: 1, workItemId: workItem.id, outcome: 'resolved', reasonTags: ['refund'], agentId: 'alice' })]);
    expect(await outbox.deliveryOf(workItem.id)).toMatchObject({ status: 'delivered', attempts: 1, deliveredAt: ctx.clock.now() });
  });

  it('loses nothing when the deliverer dies between signal and mark: the lease expires, the signal is sent again, the workflow dedupes', async () => {
    const { workItem, handle } = await completedItemWithWorkflow();
    // Deliverer 1 signals for real, then "dies": it never gets to mark the row.
    let revive: () => void = () => undefined;
    const dying: ResolutionSignaler = {
      async signal(workflowId, resolution) {
        await temporalSignaler(client).signal(workflowId, resolution);
        await new Promise<void>((resolve) => (revive = resolve));
        return 'delivered';
      },
    };
    const first = new ResolutionOutbox({ dataSource: ctx.dataSource, clock: ctx.clock.now, leaseSeconds: 30 });
    const zombie = first.deliverPending(dying);
    await waitFor(async () => (await handle.query(receivedQuery)) === 1, { what: 'first signal' });
    const second = new ResolutionOutbox({ dataSource: ctx.dataSource, clock: ctx.clock.now, leaseSeconds: 30 });
    // While deliverer 1's lease holds, nobody else sends it.
    expect(await second.deliverPending(client)).toEqual({ delivered: 0, workflowMissing: 0, failed: 0 });
    ctx.clock.advance(30);
    expect(await second.deliverPending(client)).toEqual({ delivered: 1, workflowMissing: 0, failed: 0 });
    // The dead deliverer comes back: its lease was taken over, so its late mark changes nothing.
    revive();
    await zombie;
    expect(await second.deliveryOf(workItem.id)).toMatchObject({ status: 'delivered', attempts: 2 });
    await handle.signal(finishSignal);
    const result = await handle.result();
    expect(result.received).toBe(2); // at-least-once …
    expect(result.accepted.map((r) => r.workItemId)).toEqual([workItem.id]); // … accepted once
  });

  it('records a finished or unknown workflow instead of retrying forever', async () => {
    const input = escalation('billing', { key: uniqueName('gone') });
    const { workItem } = await ctx.router.createWorkItem(input);
    await ctx.router.claim('alice');
    await ctx.router.completeWorkItem(workItem.id, 'alice', { outcome: 'unresolved' });
    const outbox = new ResolutionOutbox({ dataSource: ctx.dataSource, clock: ctx.clock.now });
    expect(await outbox.deliverPending(client)).toEqual({ delivered: 0, workflowMissing: 1, failed: 0 });
    ctx.clock.advance(3600);
    expect(await outbox.deliverPending(client)).toEqual({ delivered: 0, workflowMissing: 0, failed: 0 });
    expect(await outbox.deliveryOf(workItem.id)).toMatchObject({ status: 'workflow_missing', attempts: 1, lastError: expect.stringMatching(/not found/) });
  });

  it('retries transient failures with backoff until delivered', async () => {
    const { workItem, handle } = await completedItemWithWorkflow();
    const outbox = new ResolutionOutbox({ dataSource: ctx.dataSource, clock: ctx.clock.now, baseBackoffSeconds: 2 });
    const flaky: ResolutionSignaler = {
      signal: async () => {
        throw new Error('temporal unavailable');
      },
    };
    expect(await outbox.deliverPending(flaky)).toEqual({ delivered: 0, workflowMissing: 0, failed: 1 });
    expect(await outbox.deliverPending(flaky)).toEqual({ delivered: 0, workflowMissing: 0, failed: 0 }); // backing off
    ctx.clock.advance(2);
    expect(await outbox.deliverPending(flaky)).toEqual({ delivered: 0, workflowMissing: 0, failed: 1 });
    ctx.clock.advance(2);
    expect(await outbox.deliverPending(flaky)).toEqual({ delivered: 0, workflowMissing: 0, failed: 0 }); // now 4 s
    ctx.clock.advance(2);
    expect(await outbox.deliverPending(client)).toEqual({ delivered: 1, workflowMissing: 0, failed: 0 });
    expect(await outbox.deliveryOf(workItem.id)).toMatchObject({ status: 'delivered', attempts: 3 });
    await handle.signal(finishSignal);
    expect((await handle.result()).received).toBe(1);
  });

  it('runs as a loop', async () => {
    const { handle } = await completedItemWithWorkflow();
    const outbox = new ResolutionOutbox({ dataSource: ctx.dataSource, clock: ctx.clock.now });
    const stop = outbox.start(client, { intervalMs: 50 });
    try {
      await waitFor(async () => (await handle.query(receivedQuery)) === 1, { what: 'signal from the loop' });
    } finally {
      await stop();
    }
    await handle.signal(finishSignal);
    expect((await handle.result()).received).toBe(1);
  });
});
