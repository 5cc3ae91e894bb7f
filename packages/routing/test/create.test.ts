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
});
