import { QueueStatistics, RoutingNotFoundError } from '../src';
import { escalation, routingTestContext, type RoutingTestContext } from './helpers';

describe('queue statistics and estimated wait', () => {
  let ctx: RoutingTestContext;
  beforeAll(async () => {
    ctx = await routingTestContext('routing_stats');
  });
  afterAll(() => ctx?.close());

  it('reports depth, oldest wait, agents, service level, handle time and EWT', async () => {
    await ctx.directory.defineQueue({ name: 'support', slaTargetSeconds: 30 });
    const stats = new QueueStatistics({ dataSource: ctx.dataSource, clock: ctx.clock.now, defaultHandleSeconds: 300, minHandleSamples: 4, noAgentsWaitSeconds: 7200 });

    // Nobody staffed: the estimate is "long", as a number.
    await ctx.router.createWorkItem(escalation('support'));
    expect(await stats.queueStats('support')).toMatchObject({ waiting: 1, estimatedWaitSeconds: 7200, ewtBasis: 'no_agents', serviceLevel: { ratio: null } });

    for (const id of ['a1', 'a2']) {
      await ctx.directory.defineAgent({ id, capacity: { chat: 1 }, queues: ['support'] });
      await ctx.router.setAgentStatus(id, 'available');
    }
    await ctx.directory.defineAgent({ id: 'a3', capacity: { chat: 1 }, queues: ['support'] });
    await ctx.router.setAgentStatus('a3', 'away');

    // Two idle agents, one item waiting: a newcomer is answered at once.
    expect(await stats.queueStats('support')).toMatchObject({ estimatedWaitSeconds: 0, ewtBasis: 'capacity_free', agents: { available: 2, idle: 2, away: 1, offline: 0 } });

    // a1 answers within target (20 s), a2 answers late (50 s).
    ctx.clock.advance(20);
    await ctx.router.claim('a1');
    const late = await ctx.router.createWorkItem(escalation('support'));
    ctx.clock.advance(50);
    await ctx.router.claim('a2');
    ctx.clock.advance(50);
    await ctx.router.completeWorkItem((await ctx.router.getWorkItem(late.workItem.id)).id, 'a2', { outcome: 'resolved' });
    const first = (await ctx.dataSource.query(`SELECT id FROM routing.work_item WHERE agent_id = 'a1'`))[0].id;
    await ctx.router.completeWorkItem(first, 'a1', { outcome: 'resolved' }); // handled 120 s

    // One item abandons while waiting, three wait now; a1 busy again.
    const gone = await ctx.router.createWorkItem(escalation('support'));
    ctx.clock.advance(5);
    await ctx.router.abandonWorkItem(gone.workItem.id, { actor: { kind: 'workflow' }, reason: 'hung up' });
    for (let i = 0; i < 4; i++) await ctx.router.createWorkItem(escalation('support'));
    await ctx.router.claim('a1');
    ctx.clock.advance(10);

    const s = await stats.queueStats('support');
    expect(s).toMatchObject({
      queue: 'support',
      waiting: 3,
      queued: 3,
      offered: 0,
      inService: 1,
      oldestWaitSeconds: 10,
      agents: { available: 2, idle: 1, busy: 1, away: 1, offline: 0 },
      serviceLevel: { targetSeconds: 30, answered: 3, answeredWithinTarget: 2, abandonedWaiting: 1, ratio: 0.5 },
      handleSamples: 2,
    });
    // Handle times: a2 handled 50 s, a1 handled 100 s → mean 75 s, blended with the 300 s default
    // over 4 samples: (2 × 75 + 2 × 300) / 4 = 187.5 s. Position: 3 waiting + 1 − 1 free slot = 3,
    // over 2 slots: 3 × 187.5 / 2 = 281.25 s.
    expect(s.averageHandleSeconds).toBeCloseTo(75, 5);
    expect(s.estimatedWaitSeconds).toBeCloseTo(281.3, 1);
    expect(s.ewtBasis).toBe('cold_start');
    expect(await stats.estimatedWaitSeconds('support')).toBe(s.estimatedWaitSeconds);

    // Per channel: slots are units of that channel's capacity; nobody takes voice here.
    expect(await stats.queueStats('support', { channel: 'voice' })).toMatchObject({ waiting: 0, ewtBasis: 'no_agents' });
    await expect(stats.queueStats('nowhere')).rejects.toBeInstanceOf(RoutingNotFoundError);
  });
});
