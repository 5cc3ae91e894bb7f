import { InvalidRoutingInputError, RoutingNotFoundError } from '../src';
import { escalation, routingTestContext, type RoutingTestContext } from './helpers';

describe('creating work items', () => {
  let ctx: RoutingTestContext;
  beforeAll(async () => {
    ctx = await routingTestContext('routing_create');
    await ctx.directory.defineQueue({ name: 'billing', slaTargetSeconds: 60, skills: { billing: 2 } });
  });
  afterAll(() => ctx?.close());

  it('stores the handoff package, merges the queue skills, and records who created it', async () => {
    const input = escalation('billing', { priority: 7, requiredSkills: { spanish: 1, billing: 1 } });
    const { workItem, created } = await ctx.router.createWorkItem(input);
    expect(created).toBe(true);
    expect(workItem).toMatchObject({
      status: 'queued',
      queue: 'billing',
      channel: 'chat',
      priority: 7,
      contactId: input.handoff.contactId,
      requestedSkills: { spanish: 1, billing: 1 },
      requiredSkills: { spanish: 1, billing: 2 },
      attempts: 0,
      agentId: null,
    });
    expect(workItem.handoff).toEqual(input.handoff);
    expect(await ctx.router.history(workItem.id)).toEqual([expect.objectContaining({ type: 'created', fromStatus: null, toStatus: 'queued', actor: 'workflow' })]);
  });

  it('is idempotent on workflow id + step + visit: a retried activity gets the same item back', async () => {
    const input = escalation('billing');
    const first = await ctx.router.createWorkItem(input);
    const retry = await ctx.router.createWorkItem({ ...input, priority: 99 });
    expect(retry.created).toBe(false);
    expect(retry.workItem.id).toBe(first.workItem.id);
    expect(retry.workItem.priority).toBe(0);
    // A later visit of the same step is a new escalation.
    const again = await ctx.router.createWorkItem({ ...input, visit: 1 });
    expect(again.created).toBe(true);
    expect(again.workItem.id).not.toBe(first.workItem.id);
  });

  it('creates exactly one item when the same escalation races with itself', async () => {
    const input = escalation('billing');
    const results = await Promise.all(Array.from({ length: 8 }, () => ctx.router.createWorkItem(input)));
    expect(new Set(results.map((r) => r.workItem.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const [{ n }] = await ctx.dataSource.query(`SELECT count(*)::int AS n FROM routing.work_item WHERE workflow_id = $1`, [input.workflowId]);
    expect(n).toBe(1);
  });

  it('rejects bad input with the path of every problem', async () => {
    const input = escalation('billing');
    const bad = { ...input, visit: -1, handoff: { ...input.handoff, customer: { ...input.handoff.customer, id: '' } } };
    const error = await ctx.router.createWorkItem(bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRoutingInputError);
    expect((error as InvalidRoutingInputError).code).toBe('invalid');
    expect((error as InvalidRoutingInputError).issues.map((i) => i.path)).toEqual(expect.arrayContaining(['visit', 'handoff.customer.id']));
  });

  it('names the queue that does not exist', async () => {
    await expect(ctx.router.createWorkItem(escalation('nowhere'))).rejects.toThrow(new RoutingNotFoundError('queue', 'nowhere'));
    await expect(ctx.router.getWorkItem('not-a-uuid')).rejects.toBeInstanceOf(RoutingNotFoundError);
  });
  it('lists work items by queue, status, agent and contact, oldest first, and refuses a bad filter by name', async () => {
    await ctx.directory.defineQueue({ name: 'listing', slaTargetSeconds: 60 });
    const items = [];
    for (let i = 0; i < 3; i++) {
      items.push((await ctx.router.createWorkItem(escalation('listing'))).workItem);
      ctx.clock.advance(1);
    }
    await ctx.directory.defineAgent({ id: 'lister', queues: ['listing'], capacity: { chat: 1 } });
    await ctx.router.setAgentStatus('lister', 'available');
    const claimed = (await ctx.router.claim('lister'))!;
    expect(claimed.id).toBe(items[0]!.id);

    expect((await ctx.router.listWorkItems({ queue: 'listing' })).map((w) => w.id)).toEqual(items.map((w) => w.id));
    expect((await ctx.router.listWorkItems({ queue: 'listing', statuses: ['queued'] })).map((w) => w.id)).toEqual([items[1]!.id, items[2]!.id]);
    expect((await ctx.router.listWorkItems({ agentId: 'lister', statuses: ['assigned', 'wrapping'] })).map((w) => w.id)).toEqual([claimed.id]);
    expect((await ctx.router.listWorkItems({ contactId: items[2]!.contactId })).map((w) => w.id)).toEqual([items[2]!.id]);
    expect(await ctx.router.listWorkItems({ queue: 'listing', limit: 2 })).toHaveLength(2);

    await expect(ctx.router.listWorkItems({ statuses: ['waiting' as never] })).rejects.toThrow(InvalidRoutingInputError);
    await expect(ctx.router.listWorkItems({ limit: 0 })).rejects.toThrow(/limit/);
    await expect(ctx.router.listWorkItems({ queues: ['listing'] } as never)).rejects.toThrow(/queues/);
  });
});
