/**
 * Long conversations continue-as-new while parked (in a bot and in a human wait), carrying the whole
 * state: transcript, context, the open work item. Search attributes let operators find contacts.
 */
import { compileFlow, exampleResolver, type FlowDocument } from '@tandem/flow';
import { waitFor } from '@tandem/testkit';
import { compileExample, startHarness, type Harness } from './harness';

const chatty: FlowDocument = {
  schemaVersion: 1,
  id: 'chatty',
  name: 'Chatty bot',
  description: 'A bot that keeps talking',
  channels: ['chat'],
  variables: [],
  nodes: [
    { id: 'start', type: 'start', typeVersion: 1, position: { x: 0, y: 0 }, config: {} },
    { id: 'bot', type: 'bot', typeVersion: 1, position: { x: 0, y: 100 }, config: { maxTurns: 40, escalateOn: [], greeting: 'Hello!' } },
    { id: 'done', type: 'end', typeVersion: 1, position: { x: 0, y: 200 }, config: { outcome: 'resolved_by_bot' } },
    { id: 'lost', type: 'end', typeVersion: 1, position: { x: 200, y: 200 }, config: { outcome: 'abandoned' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourcePort: 'next', target: 'bot' },
    { id: 'e2', source: 'bot', sourcePort: 'resolved', target: 'done' },
    { id: 'e3', source: 'bot', sourcePort: 'escalate', target: 'lost' },
    { id: 'e4', source: 'bot', sourcePort: 'no_match', target: 'lost' },
  ],
} as unknown as FlowDocument;

describe('long conversations', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.shutdown());

  it('a bot conversation continues-as-new and keeps its transcript, turns and ids', async () => {
    const compiled = compileFlow(chatty, exampleResolver);
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.diagnostics));
    const contact = await h.startContact(compiled.plan, { customer: { id: 'long-1', name: 'Pat' }, options: { continueAsNewAfterEvents: 40 } });
    await contact.waitForStep('bot');
    // Twelve different needs (the same question again would tell the bot its answer did not help).
    const questions = ['what are your opening hours', 'how do I reset my password', 'where is my order', 'can I change my address', 'how do refunds work', 'what is your returns policy', 'how long does delivery take', 'which payment methods do you accept', 'how do I cancel my subscription', 'can I get a copy of my invoice', 'do you ship abroad', 'how do I update my email address'];
    for (let i = 0; i < 12; i++) {
      const reply = await contact.say(questions[i]!);
      expect(reply.handledBy).toBe('bot');
      // Every message gets its answer, including those sent while the run handed over.
      expect({ i, answered: reply.messages.length > 0 }).toEqual({ i, answered: true });
    }
    // A query that reaches the run just as it hands over is answered by that run's final state (no step
    // any more): wait for the run that holds the conversation now.
    const s = await waitFor(async () => {
      const state = await contact.state();
      return state.steps.length > 0 ? state : undefined;
    }, { what: 'the current run to report its step' });
    expect(s.continuedAsNew).toBeGreaterThanOrEqual(1);
    expect(s.transcript.filter((t) => t.from === 'customer')).toHaveLength(12);
    expect(s.transcript[0]?.text).toBe('Hello!');
    expect(s.path).toEqual(['start', 'bot']);
    expect(s.steps).toEqual(['bot']);
    await contact.say('that is all, goodbye');
    const result = await contact.result();
    expect(result.outcome).toBe('resolved_by_bot');
    // Event ids keep counting across runs: no id is reused.
    const ids = h.events.of(contact.id).map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(h.events.of(contact.id).filter((e) => e.type === 'contact.started')).toHaveLength(1);
  });

  it('a human wait continues-as-new and still accepts the resolution of its work item', async () => {
    const plan = compileExample('human-first-ai-assist');
    const contact = await h.startContact(plan, { firstMessage: 'hello, I have a question about my bill', customer: { id: 'long-2', name: 'Lou' }, options: { continueAsNewAfterEvents: 60 } });
    const item = await contact.workItem();
    for (let i = 0; i < 15; i++) {
      const ack = await contact.say(`more detail number ${i}`);
      expect(ack.handledBy).toBe('queue');
    }
    const s = await waitFor(async () => {
      const st = await contact.state();
      return st.continuedAsNew >= 1 ? st : undefined;
    }, { what: 'a continue-as-new' });
    expect(s.workItem?.id).toBe(item.id);
    await contact.assignTo(item.id, 'alice');
    await contact.complete(item.id, 'alice', 'resolved');
    await contact.waitForStep('survey');
    await contact.say('5');
    expect((await contact.result()).outcome).toBe('resolved_by_human');
    expect((await contact.state()).transcript.filter((t) => t.from === 'customer')).toHaveLength(17);
  });

  it('a cancellation that arrives while the contact hands over to a new run is not lost', async () => {
    const compiled = compileFlow(chatty, exampleResolver);
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.diagnostics));
    for (let round = 0; round < 3; round++) {
      const contact = await h.startContact(compiled.plan, { customer: { id: `long-c${round}` }, options: { continueAsNewAfterEvents: 20 } });
      await contact.waitForStep('bot');
      for (const q of ['what are your opening hours', 'how do I reset my password', 'where is my order']) await contact.say(q);
      await contact.cancel('operator');
      const result = await contact.result();
      expect(result.outcome).toBe('abandoned');
    }
  });

  it('operators find contacts by flow, queue, step and outcome with a visibility query', async () => {
    const plan = compileExample('human-first-ai-assist');
    const contact = await h.startContact(plan, { firstMessage: 'find me', customer: { id: 'sa-1' } });
    await contact.workItem();
    const query = `TandemContactId = "${contact.id}" AND TandemFlowId = "${plan.flowId}" AND TandemQueue = "support" AND TandemStep = "agents"`;
    const found = await waitFor(async () => {
      const list: string[] = [];
      for await (const wf of h.client.workflow.list({ query })) list.push(wf.workflowId);
      return list.length ? list : undefined;
    }, { what: 'the contact in a visibility query' });
    expect(found).toEqual([contact.handle.workflowId]);
    await contact.cancel('operator');
    await contact.result();
    const ended = await waitFor(async () => {
      for await (const wf of h.client.workflow.list({ query: `TandemContactId = "${contact.id}" AND TandemOutcome = "abandoned"` })) return wf.workflowId;
      return undefined;
    }, { what: 'the outcome search attribute' });
    expect(ended).toBe(contact.handle.workflowId);
  });
});
