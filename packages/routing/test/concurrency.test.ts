import { type DataSource } from 'typeorm';
import { WorkRouter } from '../src';
import { escalation, openDataSource, routingTestContext, type RoutingTestContext } from './helpers';

const AGENTS = 50;
const ITEMS = 2000;

describe('concurrency: 50 agents claim and complete 2,000 items in parallel', () => {
  let ctx: RoutingTestContext;
  const agentSources: DataSource[] = [];

  beforeAll(async () => {
    ctx = await routingTestContext('routing_concurrency', { poolSize: 10 });
    await ctx.directory.defineQueue({ name: 'sales', slaTargetSeconds: 60, aging: { perMinute: 1, cap: 10 } });
    await ctx.directory.defineQueue({ name: 'support', slaTargetSeconds: 60, skills: { support: 1 } });
    // Mixed skills and capacities; every requirement below is met by many agents.
    for (let i = 0; i < AGENTS; i++) {
      await ctx.directory.defineAgent({
        id: `agent${i}`,
        skills: { support: 1 + (i % 3), billing: 1 + (i % 2), ...(i % 2 === 0 ? { spanish: 1 } : {}) },
        capacity: { chat: 1 + (i % 3), voice: 1, email: 2 },
        queues: i % 5 === 0 ? ['sales'] : ['sales', 'support'],
      });
      await ctx.router.setAgentStatus(`agent${i}`, 'available');
    }
    const inputs = Array.from({ length: ITEMS }, (_, n) =>
      escalation(n % 2 === 0 ? 'sales' : 'support', {
        priority: n % 7,
        channel: (['chat', 'voice', 'email'] as const)[n % 3],
        requiredSkills: n % 4 === 0 ? { spanish: 1 } : n % 4 === 1 ? { billing: 2 } : {},
      }),
    );
    for (let i = 0; i < inputs.length; i += 50) await Promise.all(inputs.slice(i, i + 50).map((input) => ctx.router.createWorkItem(input)));
    for (let i = 0; i < AGENTS; i++) agentSources.push(await openDataSource(ctx.db.url, 1));
  });

  afterAll(async () => {
    await Promise.all(agentSources.map((ds) => ds.destroy()));
    await ctx?.close();
  });

  it('completes every item exactly once, never holds one by two agents, never exceeds capacity, loses none', async () => {
    const startedAt = Date.now();
    // Each agent: its own connection, claiming and completing in a loop until nothing is queued.
    const loops = agentSources.map(async (dataSource, i) => {
      const router = new WorkRouter({ dataSource });
      const agentId = `agent${i}`;
      const held: string[] = [];
      let done = 0;
      for (;;) {
        const item = await router.claim(agentId);
        if (item) {
          held.push(item.id);
          // Hold up to two items at once (within capacity) to interleave claims and completions.
          if (held.length < 2) continue;
        }
        const next = held.shift();
        if (next) {
          if (done % 3 === 0) await router.beginWrapUp(next, agentId);
          await router.completeWorkItem(next, agentId, { outcome: 'resolved', reasonTags: ['load_test'] });
          done++;
          continue;
        }
        const [{ queued }] = await dataSource.query(`SELECT count(*)::int AS queued FROM routing.work_item WHERE status = 'queued'`);
        if (queued === 0) return done;
        // Items are left that this agent cannot take (other agents hold them or have the skills):
        // poll again shortly, as an agent desktop would, instead of spinning on the database.
        await new Promise((r) => setTimeout(r, 5));
      }
    });
    const perAgent = await Promise.all(loops);
    const seconds = (Date.now() - startedAt) / 1000;
    console.log(`concurrency: ${ITEMS} items by ${AGENTS} agents in ${seconds.toFixed(1)} s (${(ITEMS / seconds).toFixed(0)} items/s claimed + completed)`);
    expect(perAgent.reduce((a, b) => a + b, 0)).toBe(ITEMS);
    expect(perAgent.filter((n) => n > 0).length).toBeGreaterThan(AGENTS / 2);

    // None lost: every item ended, as completed.
    const statuses = await ctx.dataSource.query(`SELECT status, count(*)::int AS n FROM routing.work_item GROUP BY status`);
    expect(statuses).toEqual([{ status: 'completed', n: ITEMS }]);

    // From the history alone: each item was assigned once and completed once, by the same agent, in that order.
    const perItem = await ctx.dataSource.query(`
      SELECT work_item_id,
             count(*) FILTER (WHERE type = 'assigned') AS assigned,
             count(*) FILTER (WHERE type = 'completed') AS completed,
             min(seq) FILTER (WHERE type = 'assigned') AS assigned_seq,
             min(seq) FILTER (WHERE type = 'completed') AS completed_seq,
             array_agg(DISTINCT agent_id) FILTER (WHERE type IN ('assigned', 'wrapping', 'completed')) AS agents
      FROM routing.work_item_history GROUP BY work_item_id`);
    expect(perItem).toHaveLength(ITEMS);
    const broken = perItem.filter(
      (r: { assigned: string; completed: string; assigned_seq: string; completed_seq: string; agents: string[] }) =>
        r.assigned !== '1' || r.completed !== '1' || Number(r.assigned_seq) > Number(r.completed_seq) || r.agents.length !== 1,
    );
    expect(broken).toEqual([]);

    // No item in two agents' hands at once: hold intervals (assigned → completed) per item never overlap.
    const [{ overlaps }] = await ctx.dataSource.query(`
      WITH holds AS (
        SELECT a.work_item_id, a.agent_id, a.seq AS from_seq,
               (SELECT min(c.seq) FROM routing.work_item_history c
                WHERE c.work_item_id = a.work_item_id AND c.seq > a.seq AND c.type IN ('completed', 'released', 'transferred', 'abandoned')) AS to_seq
        FROM routing.work_item_history a WHERE a.type IN ('assigned', 'accepted'))
      SELECT count(*)::int AS overlaps FROM holds h1 JOIN holds h2
        ON h1.work_item_id = h2.work_item_id AND h1.from_seq < h2.from_seq AND (h1.to_seq IS NULL OR h2.from_seq < h1.to_seq)`);
    expect(overlaps).toBe(0);

    // Capacity held at every step: per agent and channel, the running count of held items (in the
    // order the agent's own transactions committed, which its row lock serializes) stays within capacity.
    const [{ violations }] = await ctx.dataSource.query(`
      WITH steps AS (
        SELECT h.agent_id, w.channel, h.seq,
               CASE WHEN h.type = 'assigned' THEN 1 WHEN h.type = 'completed' THEN -1 ELSE 0 END AS delta
        FROM routing.work_item_history h JOIN routing.work_item w ON w.id = h.work_item_id
        WHERE h.agent_id IS NOT NULL),
      running AS (
        SELECT agent_id, channel, sum(delta) OVER (PARTITION BY agent_id, channel ORDER BY seq) AS held FROM steps)
      SELECT count(*)::int AS violations FROM running r JOIN routing.agent a ON a.id = r.agent_id
      WHERE r.held > (a.capacity ->> r.channel)::int OR r.held < 0`);
    expect(violations).toBe(0);

    // And the agents end empty-handed.
    const loads = await ctx.dataSource.query(`SELECT DISTINCT load FROM routing.agent`);
    for (const { load } of loads) expect(Object.values(load as Record<string, number>).every((n) => n === 0)).toBe(true);
  });
});
