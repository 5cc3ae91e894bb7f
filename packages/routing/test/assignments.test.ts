import type { Client } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { uniqueName, waitFor } from '@tandem/testkit';
import { AssignmentOutbox, temporalAssignmentSignaler, type AssignmentSignaler } from '../src';
import { assignmentsQuery, awaitAssignments, finishSignal } from './fixtures/resolution-workflows';
import { escalation, routingTestContext, type RoutingTestContext } from './helpers';
import { type FixtureTemporal, fixtureTemporal } from './temporal';

Runtime.install({ logger: new DefaultLogger('WARN') });

describe('workItemAssigned delivery to the contact workflow (real Temporal)', () => {
  let ctx: RoutingTestContext;
  let temporal: FixtureTemporal;
  let client: Client;
  let taskQueue: string;

  beforeAll(async () => {
    ctx = await routingTestContext('routing_assignments');
    temporal = await fixtureTemporal('routing-assignments');
    ({ client, taskQueue } = temporal);
  });

  afterAll(async () => {
    await temporal?.close();
    await ctx?.close();
  });

  /** Each test its own queues (billing: pull, support: push) and agents (alice with a display name, bob without), all available. */
  async function team() {
    const billing = uniqueName('billing').toLowerCase();
    const support = uniqueName('support').toLowerCase();
    const alice = uniqueName('alice');
    const bob = uniqueName('bob');
    await ctx.directory.defineQueue({ name: billing, slaTargetSeconds: 60 });
    await ctx.directory.defineQueue({ name: support, slaTargetSeconds: 60, distribution: 'push' });
    await ctx.directory.defineAgent({ id: alice, displayName: 'Alice Martin', capacity: { chat: 10 }, queues: [billing, support] });
    await ctx.directory.defineAgent({ id: bob, capacity: { chat: 10 }, queues: [billing] });
    for (const id of [alice, bob]) await ctx.router.setAgentStatus(id, 'available');
    return { billing, support, alice, bob };
  }

  /** A contact workflow and a fresh work item of it in `queue`. */
  async function itemWithWorkflow(queue: string) {
    const input = escalation(queue, { key: uniqueName('contact') });
    const handle = await client.workflow.start(awaitAssignments, { taskQueue, workflowId: input.workflowId });
    const { workItem } = await ctx.router.createWorkItem(input);
    return { workItem, handle };
  }

  it('queues the signal with the claim and delivers it once, with the agent and its name', async () => {
    const { billing, alice } = await team();
    const { workItem, handle } = await itemWithWorkflow(billing);
    const outbox = new AssignmentOutbox({ dataSource: ctx.dataSource, clock: ctx.clock.now });
    expect(await outbox.deliveriesOf(workItem.id)).toEqual([]);
    expect((await ctx.router.claim(alice))!.id).toBe(workItem.id);
    expect(await outbox.deliveriesOf(workItem.id)).toEqual([expect.objectContaining({ status: 'pending', workflowId: handle.workflowId })]);
    expect(await outbox.deliverPending(client)).toEqual({ delivered: 1, workflowMissing: 0, failed: 0 });
    expect(await outbox.deliverPending(client)).toEqual({ delivered: 0, workflowMissing: 0, failed: 0 });
    expect(await handle.query(assignmentsQuery)).toEqual([
      { schemaVersion: 1, workItemId: workItem.id, agentId: alice, agentName: 'Alice Martin', assignedAt: ctx.clock.now().toISOString() },
    ]);
    const [delivery] = await outbox.deliveriesOf(workItem.id);
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 1, deliveredAt: ctx.clock.now() });
    await handle.signal(finishSignal);
  });

  it('queues one signal per assignment: an accepted offer, then — after a release — the next agent, without a name when routing has none', async () => {
    const { billing, support, alice, bob } = await team();
    await ctx.router.setAgentStatus(bob, 'offline');
    const { workItem, handle } = await itemWithWorkflow(support);
    // A push queue: offered at creation; accepting it assigns.
    const [pending] = await ctx.router.pendingOffersFor(alice);
    expect(pending!.workItem.id).toBe(workItem.id);
    await ctx.router.acceptOffer(pending!.offer.id, alice);
    await ctx.router.setAgentStatus(alice, 'offline');
    await ctx.router.transferWorkItem(workItem.id, { toQueue: billing, by: { kind: 'supervisor', id: 'sam' } });
    await ctx.router.setAgentStatus(bob, 'available');
    ctx.clock.advance(5);
    expect((await ctx.router.claim(bob))!.id).toBe(workItem.id);
    const outbox = new AssignmentOutbox({ dataSource: ctx.dataSource, clock: ctx.clock.now });
    expect(await outbox.deliverPending(client)).toEqual({ delivered: 2, workflowMissing: 0, failed: 0 });
    const received = await handle.query(assignmentsQuery);
    expect(received.map((a) => [a.agentId, a.agentName])).toEqual([
      [alice, 'Alice Martin'],
      [bob, undefined],
    ]);
    await handle.signal(finishSignal);
  });

  it('loses nothing when the deliverer dies between signal and mark: the lease expires and the signal goes again', async () => {
    const { billing, alice } = await team();
    const { workItem, handle } = await itemWithWorkflow(billing);
    await ctx.router.claim(alice);
    let revive: () => void = () => undefined;
    const dying: AssignmentSignaler = {
      async signal(workflowId, assignment) {
        await temporalAssignmentSignaler(client).signal(workflowId, assignment);
        await new Promise<void>((resolve) => (revive = resolve));
        return 'delivered';
      },
    };
    const zombie = new AssignmentOutbox({ dataSource: ctx.dataSource, clock: ctx.clock.now, leaseSeconds: 30 }).deliverPending(dying);
    await waitFor(async () => (await handle.query(assignmentsQuery)).length === 1, { what: 'the first signal' });
    const second = new AssignmentOutbox({ dataSource: ctx.dataSource, clock: ctx.clock.now, leaseSeconds: 30 });
    expect(await second.deliverPending(client)).toEqual({ delivered: 0, workflowMissing: 0, failed: 0 });
    ctx.clock.advance(30);
    expect(await second.deliverPending(client)).toEqual({ delivered: 1, workflowMissing: 0, failed: 0 });
    revive();
    await zombie;
    const received = await handle.query(assignmentsQuery);
    expect(received).toHaveLength(2); // at least once: the workflow dedupes by work item
    expect(new Set(received.map((a) => `${a.workItemId}/${a.agentId}/${a.assignedAt}`)).size).toBe(1);
    expect((await second.deliveriesOf(workItem.id))[0]).toMatchObject({ status: 'delivered', attempts: 2 });
    await handle.signal(finishSignal);
  });

  it('records a finished or unknown workflow, retries transient failures, and runs as a loop', async () => {
    const { billing, alice } = await team();
    const gone = escalation(billing, { key: uniqueName('gone') });
    const { workItem: orphan } = await ctx.router.createWorkItem(gone);
    await ctx.router.claim(alice);
    const outbox = new AssignmentOutbox({ dataSource: ctx.dataSource, clock: ctx.clock.now, baseBackoffSeconds: 2 });
    const flaky: AssignmentSignaler = {
      signal: async () => {
        throw new Error('temporal unavailable');
      },
    };
    expect(await outbox.deliverPending(flaky)).toEqual({ delivered: 0, workflowMissing: 0, failed: 1 });
    expect(await outbox.deliverPending(client)).toEqual({ delivered: 0, workflowMissing: 0, failed: 0 }); // backing off
    ctx.clock.advance(2);
    expect(await outbox.deliverPending(client)).toEqual({ delivered: 0, workflowMissing: 1, failed: 0 });
    expect((await outbox.deliveriesOf(orphan.id))[0]).toMatchObject({ status: 'workflow_missing', attempts: 2, lastError: expect.stringMatching(/not found/) });

    const { handle } = await itemWithWorkflow(billing);
    await ctx.router.claim(alice);
    const stop = outbox.start(client, { intervalMs: 50 });
    try {
      await waitFor(async () => (await handle.query(assignmentsQuery)).length === 1, { what: 'the signal from the loop' });
    } finally {
      await stop();
    }
    await handle.signal(finishSignal);
  });
});
