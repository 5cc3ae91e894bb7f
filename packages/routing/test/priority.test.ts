import { InvalidRoutingInputError } from '../src';
import { escalation, routingTestContext, type RoutingTestContext } from './helpers';

describe('raisePriority (SLA breach action)', () => {
  let ctx: RoutingTestContext;

  beforeAll(async () => {
    ctx = await routingTestContext('routing_priority');
    await ctx.directory.defineQueue({ name: 'breach', slaTargetSeconds: 60 });
    await ctx.directory.defineAgent({ id: 'breach-agent', queues: ['breach'], capacity: { chat: 5 } });
    await ctx.router.setAgentStatus('breach-agent', 'available');
  });
  afterAll(() => ctx?.close());

  it('moves a waiting item ahead of older, lower-priority items, keeps its age and records why', async () => {
    const older = await ctx.router.createWorkItem(escalation('breach', { priority: 20 }));
    ctx.clock.advance(5);
    const breached = await ctx.router.createWorkItem(escalation('breach', { priority: 10 }));
    const raised = await ctx.router.raisePriority(breached.workItem.id, 20, { actor: { kind: 'workflow' }, reason: 'SLA breached' });
    expect(raised.priority).toBe(30);
    expect(raised.queuedAt).toEqual(breached.workItem.queuedAt);
    expect((await ctx.router.claim('breach-agent'))!.id).toBe(breached.workItem.id);
    expect((await ctx.router.claim('breach-agent'))!.id).toBe(older.workItem.id);
    const history = await ctx.router.history(breached.workItem.id);
    expect(history.find((h) => h.type === 'reprioritized')).toMatchObject({ reason: 'SLA breached', actor: 'workflow', details: { from: 10, to: 30 } });
  });

  it('caps at 1000, leaves taken items alone and rejects a bad amount', async () => {
    const item = await ctx.router.createWorkItem(escalation('breach', { priority: 990 }));
    expect((await ctx.router.raisePriority(item.workItem.id, 50, { actor: { kind: 'workflow' }, reason: 'x' })).priority).toBe(1000);
    await ctx.router.claim('breach-agent');
    expect((await ctx.router.raisePriority(item.workItem.id, 5, { actor: { kind: 'workflow' }, reason: 'x' })).priority).toBe(1000);
    await expect(ctx.router.raisePriority(item.workItem.id, 0, { actor: { kind: 'workflow' }, reason: 'x' })).rejects.toBeInstanceOf(InvalidRoutingInputError);
  });
});
