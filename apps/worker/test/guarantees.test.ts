/**
 * The conversation guarantees (docs/flow-language.md), as whole conversations on the real runtime:
 * the escape hatch at every step that waits for the customer's words, containment only with evidence,
 * nothing that kills a conversation, honest escalations, waiting customers answered, a visible join.
 */
import { WORK_ITEM_ASSIGNED_SIGNAL } from '@tandem/contracts';
import type { FlowDocument } from '@tandem/flow';
import { waitFor } from '@tandem/testkit';
import { compileWith } from './fixtures/flows';
import { flowEdge, flowNode, startHarness, type Contact, type Harness } from './harness';

const HATCH = 'Of course. I am bringing in a colleague now; they will see everything we have discussed.';

/** start → <step> (its exits to `done`) with a human step `agents` the escape hatch leads to. */
function around(step: ReturnType<typeof flowNode>, ports: string[], extra: { variables?: { name: string; type: string }[]; guarantees?: Record<string, unknown>; agents?: Record<string, unknown> } = {}) {
  return compileWith({
    schemaVersion: 1,
    id: `g-${step.id}`,
    name: 'Guarantees',
    channels: ['chat'],
    variables: extra.variables ?? [],
    nodes: [
      flowNode('start', 'start'),
      step,
      flowNode('done', 'end', { outcome: 'resolved_by_bot' }),
      flowNode('agents', 'escalate', { queue: 'support', sla: { targetSeconds: 30 }, maxWaitSeconds: 120, ...extra.agents }),
      flowNode('human', 'end', { outcome: 'resolved_by_human' }),
    ],
    edges: [
      flowEdge('start', 'next', step.id),
      ...ports.map((p) => flowEdge(step.id, p, 'done')),
      ...['resolved', 'timeout', 'abandoned', 'transferred'].map((p) => flowEdge('agents', p, 'human')),
    ],
    ...(extra.guarantees ? { guarantees: extra.guarantees } : {}),
  } as unknown as FlowDocument);
}

describe('conversation guarantees', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.shutdown());

  const exitsNow = (c: Contact) => h.events.of(c.id).filter((e) => e.type === 'step.exited').map((e) => `${e.nodeId}:${(e.data as { port: string }).port}`);
  /** The contact's exits once `expected` is among them (events arrive in batches when the contact waits). */
  const exitedBy = (c: Contact, expected: string) => waitFor(() => exitsNow(c).includes(expected) && exitsNow(c), { what: `the exit ${expected} (exits so far: ${exitsNow(c).join(', ')})` });
  const escalated = (c: Contact) => waitFor(() => h.events.of(c.id).find((e) => e.type === 'contact.escalated')?.data as { trigger: { kind: string } | null; causeNodeId: string } | undefined, { what: 'the escalation event' });

  it('a request for a person while a step waits for a reply is honoured in that turn: the flow\'s sentence, the queue, the waiting step as the cause', async () => {
    const plan = around(flowNode('ask', 'wait', { mode: 'reply', prompt: 'What can I do for you?', timeoutSeconds: 120 }), ['reply', 'timeout']);
    const c = await h.startContact(plan, { customer: { id: 'g-1', name: 'Ana' } });
    await c.waitForStep('ask');
    const reply = await c.say('I want to talk to a real person please');
    expect(reply).toMatchObject({ handledBy: 'queue', steps: ['agents'] });
    expect(reply.messages.map((m) => m.text)).toContain(HATCH);
    await exitedBy(c, 'ask:escape_hatch');
    expect(await escalated(c)).toMatchObject({ trigger: { kind: 'human_request' }, causeNodeId: 'ask' });
    expect((await c.workItem()).handoff.trigger).toMatchObject({ kind: 'human_request' });
    await c.cancel('operator');

    // An ordinary reply goes on as drawn.
    const calm = await h.startContact(plan, { customer: { id: 'g-2', name: 'Ben' } });
    await calm.waitForStep('ask');
    expect(await calm.say('my router blinks red')).toMatchObject({ handledBy: 'ended' });
  });

  it('during a survey, a request for a person and an unhappy answer that is no score both reach a person; a score does not', async () => {
    const plan = around(flowNode('rate', 'survey', { kind: 'csat', timeoutSeconds: 120 }), ['answered', 'skipped']);
    for (const [id, text] of [['g-3', 'I want to talk to a real person please'], ['g-4', 'this is so frustrating, nothing works']] as const) {
      const c = await h.startContact(plan, { customer: { id, name: 'Cy' } });
      await c.waitForStep('rate');
      expect(await c.say(text)).toMatchObject({ handledBy: 'queue', steps: ['agents'] });
      await exitedBy(c, 'rate:escape_hatch');
      await c.cancel('operator');
    }
    const rated = await h.startContact(plan, { customer: { id: 'g-5', name: 'Di' } });
    await rated.waitForStep('rate');
    expect(await rated.say('4')).toMatchObject({ handledBy: 'ended' });
  });

  it('a step may opt out of the hatch (with its reason): there the request is an ordinary reply', async () => {
    const plan = around(flowNode('ask', 'wait', { mode: 'reply', timeoutSeconds: 120, escapeHatch: { optOut: true, reason: 'the identity check must finish first' } }), ['reply', 'timeout']);
    expect(plan.guarantees.escalation.nodes).toEqual([]);
    const c = await h.startContact(plan, { customer: { id: 'g-6' } });
    await c.waitForStep('ask');
    expect(await c.say('I want to talk to a real person')).toMatchObject({ handledBy: 'ended' });
  });

  it('a bot\'s answer is not a resolution: the contact ends resolved by the bot only after the quiet period with no reply', async () => {
    const bot = flowNode('helper', 'bot', {
      intents: [{ name: 'store_hours', phrases: ['when is the store open', 'store opening times', 'what time does the shop open'], answer: 'The store is open from 9 to 5.', resolves: true }],
      knowledgeBase: { enabled: false },
    });
    const plan = around(bot, ['resolved', 'escalate', 'no_match'], { guarantees: { containment: { quietSeconds: 1 } } });
    const c = await h.startContact(plan, { customer: { id: 'g-7', name: 'Eve' } });
    await c.waitForStep('helper');
    const answer = await c.say('when is the store open');
    expect(answer.messages.map((m) => m.text)).toContain('The store is open from 9 to 5.');
    // Answered, not yet resolved: the customer may still say it did not help.
    expect(answer).toMatchObject({ handledBy: 'bot', steps: ['helper'] });
    expect(await c.result()).toMatchObject({ outcome: 'resolved_by_bot' });
    expect((await c.state()).path).toEqual(['start', 'helper', 'done']);
  });

  it('a decision rule that fails at run time does not hang the contact: it takes the default, with the error on the step\'s metrics', async () => {
    const decide = flowNode('refund', 'decision', { rules: [{ id: 'big', condition: 'double(ctx.amount.split(" ")[0]) > 100.0' }] });
    const plan = around(decide, ['big', 'default'], { variables: [{ name: 'amount', type: 'string' }] });
    const c = await h.startContactWith(plan, { customer: { id: 'g-8' } }, {});
    expect(await c.result()).toMatchObject({ outcome: 'resolved_by_bot' });
    const exit = h.events.of(c.id).find((e) => e.type === 'step.exited' && e.nodeId === 'refund');
    expect(exit?.data).toMatchObject({ port: 'default', error: expect.stringContaining('rule "big"') });
  });

  it('a customer waiting for a person is answered, hears updates, and is told when an agent joins (handledBy human)', async () => {
    const plan = around(flowNode('ask', 'wait', { mode: 'reply', timeoutSeconds: 120 }), ['reply', 'timeout'], { agents: { waiting: { updateEverySeconds: 1 } } });
    const c = await h.startContact(plan, { customer: { id: 'g-9', name: 'Flo' } });
    await c.waitForStep('ask');
    await c.say('I want to speak to an agent');
    const ack = await c.say('Hello? Is anyone there?');
    expect(ack).toMatchObject({ handledBy: 'queue', messages: [{ from: 'system', text: expect.stringContaining('the colleague who takes it will see it') }] });
    await waitFor(() => h.deliveries.some((d) => d.contactId === c.id && d.text.startsWith('You are still in the queue')), { what: 'a waiting update' });
    const item = await c.workItem();
    // Alice takes it in routing, which tells the workflow (the signal is sent here as routing sends it).
    await c.assignTo(item.id, 'alice');
    await c.handle.signal(WORK_ITEM_ASSIGNED_SIGNAL, { schemaVersion: 1, workItemId: item.id, agentId: 'alice', assignedAt: new Date().toISOString() });
    await waitFor(async () => ((await c.state()).handledBy === 'human' ? true : undefined), { what: 'handledBy human' });
    expect((await c.state()).transcript.at(-1)).toMatchObject({ from: 'system', text: 'A colleague has joined the conversation and has read everything so far.' });
    // The news again (routing delivers at least once) changes nothing.
    await c.handle.signal(WORK_ITEM_ASSIGNED_SIGNAL, { schemaVersion: 1, workItemId: item.id, agentId: 'alice', assignedAt: new Date().toISOString() });
    await c.complete(item.id, 'alice');
    expect(await c.result()).toMatchObject({ outcome: 'resolved_by_human' });
    expect((await c.state()).transcript.filter((t) => t.text.startsWith('A colleague has joined'))).toHaveLength(1);
  });

  it('card numbers never reach the transcript or the handoff, from the customer or an agent', async () => {
    const plan = around(flowNode('ask', 'wait', { mode: 'reply', timeoutSeconds: 120 }), ['reply', 'timeout']);
    const c = await h.startContact(plan, { customer: { id: 'g-10' }, firstMessage: 'my card 4111 1111 1111 1111 was charged, get me a person' });
    const item = await c.workItem();
    await c.agentSays(item.id, 'alice', 'Is it the card 4111-1111-1111-1111?');
    await waitFor(async () => ((await c.state()).transcript.some((t) => t.from === 'agent') ? true : undefined), { what: 'the agent message' });
    const s = await c.state();
    expect(JSON.stringify(s.transcript)).not.toMatch(/4111[ -]?1111[ -]?1111[ -]?1111/);
    expect(s.transcript.map((t) => t.text)).toEqual(expect.arrayContaining(['my card **** **** **** 1111 was charged, get me a person', 'Is it the card ****-****-****-1111?']));
    expect(JSON.stringify(item.handoff)).not.toMatch(/4111 1111 1111 1111/);
    await c.cancel('operator');
  });

  it('a message as long as the limit allows (9,500 characters) is processed like any other: the contact goes on', async () => {
    const bot = flowNode('helper', 'bot', { knowledgeBase: { enabled: true } });
    const plan = around(bot, ['resolved', 'escalate', 'no_match']);
    const c = await h.startContact(plan, { customer: { id: 'g-11' } });
    await c.waitForStep('helper');
    const reply = await c.say(`${'my internet keeps dropping every evening. '.repeat(230)}`.slice(0, 9_500));
    expect(reply.messages.length).toBeGreaterThan(0);
    expect(['bot', 'queue']).toContain(reply.handledBy);
    expect((await c.state()).outcome).toBeNull();
    await c.cancel('operator');
  });
});
