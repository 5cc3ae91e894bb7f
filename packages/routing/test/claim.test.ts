import { InvalidRoutingInputError, RoutingNotFoundError, WorkRouter } from '../src';
import { escalation, routingTestContext, type RoutingTestContext } from './helpers';

describe('claim (pull)', () => {
  let ctx: RoutingTestContext;
  let queueNo = 0;

  beforeAll(async () => {
    ctx = await routingTestContext('routing_claim');
  });
  afterAll(() => ctx?.close());

  /** A fresh queue and agents serving only it, so tests do not see each other's items. */
  async function setup(queue: Parameters<RoutingTestContext['directory']['defineQueue']>[0] extends infer Q ? Partial<Q & object> : never = {}) {
    const name = `q${++queueNo}`;
    await ctx.directory.defineQueue({ slaTargetSeconds: 60, ...queue, name });
    const agent = async (id: string, skills: Record<string, number> = {}, capacity: Record<string, number> = { chat: 5, voice: 1, email: 5 }) => {
      await ctx.directory.defineAgent({ id: `${name}-${id}`, skills, capacity, queues: [name] });
      await ctx.router.setAgentStatus(`${name}-${id}`, 'available');
      return `${name}-${id}`;
    };
    return { name, agent };
  }

  it('takes the highest priority first, then the oldest', async () => {
    const { name, agent } = await setup();
    const low = await ctx.router.createWorkItem(escalation(name, { priority: 1 }));
    ctx.clock.advance(1);
    const highNew = await ctx.router.createWorkItem(escalation(name, { priority: 5 }));
    ctx.clock.advance(1);
    const highNewer = await ctx.router.createWorkItem(escalation(name, { priority: 5 }));
    const alice = await agent('alice');
    const order = [];
    for (let i = 0; i < 3; i++) order.push((await ctx.router.claim(alice))!.id);
    expect(order).toEqual([highNew.workItem.id, highNewer.workItem.id, low.workItem.id]);
    expect(await ctx.router.claim(alice)).toBeNull();
    const claimed = await ctx.router.getWorkItem(low.workItem.id);
    expect(claimed).toMatchObject({ status: 'assigned', agentId: alice, assignedAt: ctx.clock.now(), answeredAt: ctx.clock.now() });
    expect((await ctx.router.history(low.workItem.id)).map((h) => [h.type, h.actor, h.reason])).toEqual([
      ['created', 'workflow', null],
      ['assigned', `agent:${alice}`, 'claimed'],
    ]);
  });

  it('only gives an agent items whose skills it has at the required level', async () => {
    const { name, agent } = await setup({ skills: { billing: 1 } });
    const expert = await ctx.router.createWorkItem(escalation(name, { priority: 9, requiredSkills: { billing: 3 } }));
    const spanish = await ctx.router.createWorkItem(escalation(name, { priority: 8, requiredSkills: { spanish: 1 } }));
    const plain = await ctx.router.createWorkItem(escalation(name, { priority: 0 }));
    const junior = await agent('junior', { billing: 1 });
    const senior = await agent('senior', { billing: 3 });
    expect((await ctx.router.claim(junior))!.id).toBe(plain.workItem.id);
    expect(await ctx.router.claim(junior)).toBeNull();
    expect((await ctx.router.claim(senior))!.id).toBe(expert.workItem.id);
    expect(await ctx.router.claim(senior)).toBeNull(); // nobody speaks Spanish
    expect((await ctx.router.getWorkItem(spanish.workItem.id)).status).toBe('queued');
    // Skills changed by the directory take effect at once.
    await ctx.directory.defineAgent({ id: junior, skills: { billing: 1, spanish: 2 }, capacity: { chat: 5 }, queues: [name] });
    expect((await ctx.router.claim(junior))!.id).toBe(spanish.workItem.id);
  });

  it('relaxes required skills after the configured waits (lower, then drop)', async () => {
    const { name, agent } = await setup({
      relaxation: [
        { afterSeconds: 60, skill: 'billing', level: 1 },
        { afterSeconds: 120, skill: 'spanish', level: 0 },
      ],
    });
    const item = await ctx.router.createWorkItem(escalation(name, { requiredSkills: { billing: 3, spanish: 2 } }));
    const generalist = await agent('generalist', { billing: 1 });
    expect(await ctx.router.claim(generalist)).toBeNull();
    ctx.clock.advance(60); // billing 3 → 1, spanish still required
    expect(await ctx.router.claim(generalist)).toBeNull();
    ctx.clock.advance(60); // spanish dropped
    expect((await ctx.router.claim(generalist))!.id).toBe(item.workItem.id);
  });

  it('relaxes the queue\'s own skills too: an agent lacking them gets items once they are dropped', async () => {
    const { name, agent } = await setup({ skills: { billing: 2 }, relaxation: [{ afterSeconds: 30, skill: 'billing', level: 0 }] });
    const item = await ctx.router.createWorkItem(escalation(name));
    const novice = await agent('novice');
    expect(await ctx.router.claim(novice)).toBeNull();
    ctx.clock.advance(30);
    expect((await ctx.router.claim(novice))!.id).toBe(item.workItem.id);
  });

  it('ages priority while items wait, up to the cap', async () => {
    const { name, agent } = await setup({ aging: { perMinute: 2, cap: 6 } });
    const old = await ctx.router.createWorkItem(escalation(name, { priority: 0 }));
    ctx.clock.advance(120); // old: 0 + 4
    const mid = await ctx.router.createWorkItem(escalation(name, { priority: 5 }));
    const alice = await agent('alice');
    // 4 < 5: the fresh priority-5 item still wins.
    expect((await ctx.router.claim(alice))!.id).toBe(mid.workItem.id);
    const fresh = await ctx.router.createWorkItem(escalation(name, { priority: 5 }));
    ctx.clock.advance(60); // old: 0 + 6 (capped; 8 uncapped), fresh: 5 + 2 = 7
    expect((await ctx.router.claim(alice))!.id).toBe(fresh.workItem.id);
    const another = await ctx.router.createWorkItem(escalation(name, { priority: 5 })); // 5 + 0 < 6
    expect((await ctx.router.claim(alice))!.id).toBe(old.workItem.id);
    expect((await ctx.router.claim(alice))!.id).toBe(another.workItem.id);
  });

  it('respects capacity per channel, counting offered, assigned and wrapping items', async () => {
    const { name, agent } = await setup();
    const chats = [];
    for (let i = 0; i < 3; i++) chats.push(await ctx.router.createWorkItem(escalation(name, { channel: 'chat' })));
    const call = await ctx.router.createWorkItem(escalation(name, { channel: 'voice' }));
    ctx.clock.advance(1);
    const second = await ctx.router.createWorkItem(escalation(name, { channel: 'voice' }));
    const bob = await agent('bob', {}, { chat: 2, voice: 1 });
    const got = [];
    for (let i = 0; i < 5; i++) got.push(await ctx.router.claim(bob));
    expect(got.filter((w) => w?.channel === 'chat')).toHaveLength(2);
    expect(got.filter((w) => w?.channel === 'voice').map((w) => w!.id)).toEqual([call.workItem.id]);
    expect(got.filter((w) => w === null)).toHaveLength(2);
    expect((await ctx.directory.getAgent(bob)).load).toEqual({ chat: 2, voice: 1 });
    // Wrap-up still holds the slot; completion frees it.
    await ctx.router.beginWrapUp(call.workItem.id, bob);
    expect(await ctx.router.claim(bob, { channels: ['voice'] })).toBeNull();
    await ctx.router.completeWorkItem(call.workItem.id, bob, { outcome: 'resolved' });
    expect((await ctx.router.claim(bob, { channels: ['voice'] }))!.id).toBe(second.workItem.id);
  });

  it('never exceeds capacity when one agent claims concurrently', async () => {
    const { name, agent } = await setup();
    for (let i = 0; i < 10; i++) await ctx.router.createWorkItem(escalation(name));
    const carol = await agent('carol', {}, { chat: 3 });
    const got = await Promise.all(Array.from({ length: 10 }, () => ctx.router.claim(carol)));
    expect(got.filter((w) => w !== null)).toHaveLength(3);
    expect(new Set(got.filter((w) => w !== null).map((w) => w.id)).size).toBe(3);
  });

  it('gives nothing to an agent who is not available, and names an unknown agent', async () => {
    const { name, agent } = await setup();
    await ctx.router.createWorkItem(escalation(name));
    const dave = await agent('dave');
    await ctx.router.setAgentStatus(dave, 'away');
    expect(await ctx.router.claim(dave)).toBeNull();
    await expect(ctx.router.claim('nobody')).rejects.toThrow(new RoutingNotFoundError('agent', 'nobody'));
  });

  it('claims only from the agent\'s own queues, optionally narrowed', async () => {
    const a = await setup();
    const b = await setup();
    const inB = await ctx.router.createWorkItem(escalation(b.name));
    const erin = await a.agent('erin');
    expect(await ctx.router.claim(erin)).toBeNull();
    await ctx.directory.defineAgent({ id: erin, capacity: { chat: 5 }, queues: [a.name, b.name] });
    expect(await ctx.router.claim(erin, { queues: [a.name] })).toBeNull();
    expect((await ctx.router.claim(erin, { queues: [b.name] }))!.id).toBe(inB.workItem.id);
  });

  it('runs at most maxConcurrentClaims claims against the database at once; the others wait and all complete', async () => {
    const { name, agent } = await setup();
    const items = [];
    for (let i = 0; i < 12; i++) items.push((await ctx.router.createWorkItem(escalation(name))).workItem.id);
    const agents = [];
    for (let i = 0; i < 12; i++) agents.push(await agent(`a${i}`));
    const router = new WorkRouter({ dataSource: ctx.dataSource, clock: ctx.clock.now, maxConcurrentClaims: 2 });
    let maxRunning = 0;
    let maxWaiting = 0;
    let done = false;
    const watching = (async () => {
      while (!done) {
        const load = router.claimLoad();
        maxRunning = Math.max(maxRunning, load.running);
        maxWaiting = Math.max(maxWaiting, load.waiting);
        await new Promise((r) => setImmediate(r));
      }
    })();
    const claimed = await Promise.all(agents.map((a) => router.claim(a)));
    done = true;
    await watching;
    expect(maxRunning).toBe(2);
    expect(maxWaiting).toBeGreaterThanOrEqual(8);
    expect(claimed.map((c) => c!.id).sort()).toEqual([...items].sort());
    expect(router.claimLoad()).toEqual({ running: 0, waiting: 0 });
  });

  it('refuses a claim limit that is not a whole number from 1 to 1000', () => {
    for (const bad of [0, -1, 1.5, 1001, Number.NaN]) {
      expect(() => new WorkRouter({ dataSource: ctx.dataSource, maxConcurrentClaims: bad })).toThrow(InvalidRoutingInputError);
    }
    expect(() => new WorkRouter({ dataSource: ctx.dataSource, maxConcurrentClaims: 0 })).toThrow(/maxConcurrentClaims: must be a whole number from 1 to 1000 \(got 0\)/);
  });
});
