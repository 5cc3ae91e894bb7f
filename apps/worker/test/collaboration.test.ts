/**
 * The human-first, parallel and overflow example flows end to end on the real stack.
 */
import { waitFor } from '@tandem/testkit';
import { compileExample, startHarness, type Harness } from './harness';

describe('example flows: human first with AI assist, parallel AI + human, overflow on queue wait', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.shutdown());

  it('human first: the agent gets AI suggestions on every customer message, transfers to billing, billing resolves', async () => {
    const plan = compileExample('human-first-ai-assist');
    const contact = await h.startContact(plan, { firstMessage: 'I was charged twice for my subscription this month', customer: { id: 'cust-h1', name: 'Robin' } });
    const item = await contact.workItem();
    expect(item.queue).toBe('support');
    const welcome = (await contact.state()).transcript.find((t) => t.from === 'bot');
    expect(welcome?.text).toBe('Thanks for contacting us, Robin. Connecting you to an agent now.');

    // Nobody has taken it yet: the customer is answered, never left in silence.
    const ack = await contact.say('I need a refund for the second payment');
    expect(ack).toMatchObject({ handledBy: 'queue', messages: [{ from: 'system', text: 'Thank you. I have added that to our conversation; the colleague who takes it will see it.' }] });
    const assisted = await waitFor(async () => {
      const s = await contact.state();
      const lastCustomer = s.transcript.map((t) => t.from).lastIndexOf('customer');
      return s.assist && s.assist.basedOnMessage === lastCustomer ? s : undefined;
    }, { what: 'agent assist for the new message' });
    expect(assisted.assist?.draftReply).toEqual(expect.any(String));
    expect(assisted.assist?.articles.length).toBeGreaterThan(0);

    expect((await h.router.claim('alice'))?.id).toBe(item.id);
    await contact.agentSays(item.id, 'alice', 'Sorry about that Robin, billing will sort the refund out.');
    await contact.complete(item.id, 'alice', 'transferred', ['billing']);
    const billing = await waitFor(async () => {
      const s = await contact.state();
      return s.workItem && s.workItem.id !== item.id ? h.router.getWorkItem(s.workItem.id) : undefined;
    }, { what: 'the billing work item' });
    expect(billing.queue).toBe('billing');
    // The second agent sees the whole conversation, the first agent's words included.
    expect(billing.handoff.transcript.map((t) => t.text)).toEqual(expect.arrayContaining(['I need a refund for the second payment', 'Sorry about that Robin, billing will sort the refund out.']));
    expect((await h.router.claim('bob'))?.id).toBe(billing.id);
    await contact.complete(billing.id, 'bob', 'resolved', ['refund']);
    await contact.waitForStep('survey');
    const bye = await contact.say('5');
    expect(bye.messages.map((m) => m.text)).toContain('Thanks Robin, goodbye!');
    const result = await contact.result();
    expect(result).toMatchObject({ outcome: 'resolved_by_human', ctx: { csat: 5 } });
    expect((await contact.state()).path).toEqual(['start', 'welcome', 'understand', 'agents', 'billing-agents', 'survey', 'done-agent']);
  });

  it('parallel: the AI drafts the email while the agent still waits in the queue; the join waits for both', async () => {
    const plan = compileExample('parallel-ai-and-human');
    const contact = await h.startContact(plan, {
      channel: 'voice',
      firstMessage: 'I would like a refund for my last order',
      customer: { id: 'cust-p1', name: 'Jo', email: 'jo@example.com' },
    });
    const item = await contact.workItem();
    // The human branch is parked in the queue; the AI branch finishes on its own meanwhile.
    const drafted = await waitFor(async () => {
      const s = await contact.state();
      return s.ctx.draftReady === true ? s : undefined;
    }, { what: 'the AI branch to finish its draft' });
    expect(drafted.ctx.draft).toMatchObject({ subject: expect.stringContaining('refund'), body: expect.any(String) });
    expect((await h.router.getWorkItem(item.id)).status).toBe('queued');
    expect(drafted.steps).toEqual(['fork', 'agents']);

    expect((await h.router.claim('alice'))?.id).toBe(item.id);
    await contact.complete(item.id, 'alice', 'resolved');
    const result = await contact.result();
    expect(result.outcome).toBe('resolved_by_human');
    const s = await contact.state();
    expect(s.path).toEqual(expect.arrayContaining(['fork', 'agents', 'draft-reply', 'draft-ok', 'agent-resolved', 'meet', 'outcome', 'done-agent']));
    expect(s.path.indexOf('draft-ok')).toBeLessThan(s.path.indexOf('agent-resolved'));
    expect(s.ctx.agentResult).toBe('resolved');
  });

  it('overflow: with a long billing queue the flow tells the customer the wait and lets the bot help first', async () => {
    const plan = compileExample('overflow-on-queue-wait');
    // Fill the billing queue so its estimated wait goes over five minutes.
    const filler = await Promise.all(
      Array.from({ length: 6 }, (_, i) => h.startContact(compileExample('human-first-ai-assist', { agents: (c) => ({ ...c, queue: 'billing' }) }), { firstMessage: `filler ${i}`, customer: { id: `fill-${i}` } })),
    );
    await Promise.all(filler.map((c) => c.workItem()));
    const ewt = await h.dependencies.workItems.estimatedWaitSeconds('billing');
    expect(ewt).toBeGreaterThan(300);

    const contact = await h.startContact(plan, { firstMessage: 'I need a copy of my invoice', customer: { id: 'cust-o1', name: 'Max', email: 'max@example.com' } });
    await contact.waitForStep('billing-bot');
    const s = await contact.state();
    expect(s.path).toEqual(['start', 'understand', 'busy', 'estimate', 'acknowledge', 'billing-bot']);
    const minutes = s.ctx.waitMinutes as number;
    expect(minutes).toBeGreaterThanOrEqual(5);
    expect(s.transcript.some((t) => t.text.includes(`about ${minutes} minutes`))).toBe(true);
    for (const c of [...filler, contact]) await c.cancel('operator');
  });
});
