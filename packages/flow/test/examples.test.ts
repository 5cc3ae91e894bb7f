import { readFileSync } from 'node:fs';
import path from 'node:path';
import { compileFlow, EXAMPLE_FLOWS, exampleResolver, type Plan, planOutcomes, planSchema, verifyPlanHash } from '../src';

function compileExample(name: string): Plan {
  const document: unknown = JSON.parse(readFileSync(path.join(__dirname, '..', 'examples', `${name}.json`), 'utf8'));
  const result = compileFlow(document, exampleResolver);
  expect(result.diagnostics).toEqual([]);
  if (!result.ok) throw new Error(`${name} does not compile`);
  return result.plan;
}

const nodesOf = (plan: Plan, type: string) => Object.values(plan.nodes).filter((n) => n.type === type);

describe('example flows', () => {
  it.each(EXAMPLE_FLOWS)('%s compiles cleanly into a valid, verifiable plan with end outcomes', (name) => {
    const plan = compileExample(name);
    expect(planSchema.parse(plan)).toEqual(plan);
    expect(verifyPlanHash(plan)).toBe(true);
    expect(planOutcomes(plan).length).toBeGreaterThan(0);
  });

  it('AI first, human backup: the bot escalates on every trigger kind, with a bounded bot ↔ agent loop', () => {
    const plan = compileExample('ai-first-human-backup');
    const bot = nodesOf(plan, 'bot')[0]!;
    expect(bot.config.escalateOn).toEqual(
      expect.arrayContaining(['human_request', 'negative_sentiment', 'frustration', 'low_confidence', 'complaint', 'legal_threat', 'regulatory', 'vulnerable_customer', 'repeat_contact', 'high_value']),
    );
    expect(plan.loops).toHaveLength(1);
    expect(plan.loops[0]!.via).toEqual(expect.arrayContaining(['support-bot']));
    const actions = nodesOf(plan, 'escalate').flatMap((n) => (n.config.breachActions as { action: string }[]).map((a) => a.action));
    expect(new Set(actions)).toEqual(new Set(['raise_priority', 'overflow', 'offer_callback']));
  });

  it('human first, AI assist: agents get AI assist and the full handoff', () => {
    const plan = compileExample('human-first-ai-assist');
    expect(nodesOf(plan, 'bot')).toHaveLength(0);
    for (const node of nodesOf(plan, 'escalate')) expect(node.config.aiAssist).toEqual({ enabled: true, knowledge: true, drafts: true, compliance: true });
  });

  it('parallel: an agent takes the call while an activity drafts the email, meeting at a join', () => {
    const plan = compileExample('parallel-ai-and-human');
    const [parallel] = Object.values(plan.parallels);
    expect(parallel).toMatchObject({ join: 'meet', mode: 'all' });
    expect(parallel!.branches.map((b) => plan.nodes[b.entry]!.type).sort()).toEqual(['activity', 'escalate']);
  });

  it('after hours: closed → bot → ticket → durable wait for opening → agents', () => {
    const plan = compileExample('after-hours');
    expect(plan.nodes.hours!.next.closed).toBe('night-bot');
    expect(plan.nodes['wait-open']).toMatchObject({ config: { mode: 'until_open' }, next: { open: 'morning-agents' } });
  });

  it('overflow: branches on the live billing wait estimate', () => {
    const plan = compileExample('overflow-on-queue-wait');
    expect(plan.nodes.busy!.expressions['/rules/0/condition']).toMatchObject({ source: 'queue.ewt("billing") > 300', refs: { queues: ['billing'] } });
  });
});
