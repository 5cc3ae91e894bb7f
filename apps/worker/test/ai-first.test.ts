/**
 * The AI-first example flow end to end, on the real Temporal dev server, real PostgreSQL routing and the
 * real virtual agent: scripted customers and agents, asserting the path, outcome, transcript and the
 * handoff package the agent got.
 */
import { compileFlow, createStaticResolver, exampleResolverData, NODE_TYPES, nodeTypeVersions, planHash, type FlowDocument } from '@tandem/flow';
import { waitFor } from '@tandem/testkit';
import { executors } from '../src/nodes/executors';
import { compileExample, flowEdge, flowNode, recordedPatches, startHarness, testHold, type Contact, type Harness } from './harness';

describe('example: AI first, human backup', () => {
  let h: Harness;
  const plan = compileExample('ai-first-human-backup');

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.shutdown());

  it('the bot answers from the knowledge base, the customer confirms, rates, and the contact ends resolved by the bot', async () => {
    const contact = await h.startContact(plan, { firstMessage: 'What are your opening hours?', customer: { id: 'cust-1', name: 'Dana' } });
    await contact.waitForStep('support-bot');
    // Events are sent when the contact goes quiet, not kept until it ends: the bot's turn on the first
    // message reaches the sink while the bot waits for the next one.
    const early = await waitFor(() => {
      const types = h.events.of(contact.id).map((e) => e.type);
      return types.includes('bot.turn') ? types : undefined;
    }, { what: 'the events of the first bot turn while the contact waits' });
    expect(early[0]).toBe('contact.started');
    expect(early).not.toContain('contact.ended');
    // The bot reads the message the contact opened with and answers from the knowledge base.
    const reached = await waitFor(async () => {
      const s = await contact.state();
      return s.transcript.some((t) => t.articleId) ? s : undefined;
    }, { what: 'the bot to answer the first message' });
    expect(reached.transcript[0]).toMatchObject({ from: 'customer', text: 'What are your opening hours?' });
    const answered = reached.transcript.filter((t) => t.from === 'bot');
    expect(answered[0]?.text).toContain('Hi Dana');
    expect(answered.find((t) => t.articleId)).toMatchObject({ articleId: 'kb-opening-hours', text: expect.stringMatching(/Monday to Friday/) });
    // The transcript records a message before the delivery activity hands it to the channel: wait for both.
    const delivered = await waitFor(() => {
      const texts = h.deliveries.filter((d) => d.contactId === contact.id).map((d) => d.text);
      return texts.length >= answered.length ? texts : undefined;
    }, { what: 'the channel to receive the greeting and the answer' });
    expect(delivered).toEqual(answered.map((t) => t.text));

    const thanks = await contact.say('yes, thank you');
    expect(thanks.handledBy).toBe('bot');
    expect(thanks.messages.map((m) => m.text).join(' ')).toMatch(/How satisfied are you/);
    const rating = await contact.say('5');
    expect(rating.messages.map((m) => m.text).join(' ')).toContain('Thanks Dana, have a great day!');

    const result = await contact.result();
    expect(result.outcome).toBe('resolved_by_bot');
    expect(result.ctx.csat).toBe(5);
    const s = await contact.state();
    expect(s.path).toEqual(['start', 'understand', 'triage', 'support-bot', 'bot-survey', 'done-bot']);
    const types = h.events.of(contact.id).map((e) => e.type);
    expect(types[0]).toBe('contact.started');
    expect(types.at(-1)).toBe('contact.ended');
    expect(types).toContain('bot.turn');
    expect(types).toContain('feedback.csat');

    // One interpreter generation: a contact records no patch marker (and no TemporalChangeVersion upsert)
    // until a change behind `patched()` ships (docs/runtime.md, "Versioning").
    const history = await contact.handle.fetchHistory();
    expect(await recordedPatches(contact.handle)).toEqual([]);
    const changeVersionUpserts = (history.events ?? []).filter((e) => e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields?.TemporalChangeVersion);
    expect(changeVersionUpserts).toHaveLength(0);

    // Where and how the contact ended are upserted in the workflow task that completes it (so Temporal
    // writes the visibility record once, at close), and the closed contact is found by them.
    const [upsert, completed] = (history.events ?? []).slice(-2);
    expect(completed?.workflowExecutionCompletedEventAttributes).toBeTruthy();
    const fields = upsert?.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {};
    expect(Object.keys(fields).sort()).toEqual(['TandemOutcome', 'TandemStep']);
    expect(JSON.parse(Buffer.from(fields.TandemOutcome!.data!).toString())).toBe('resolved_by_bot');
    expect(JSON.parse(Buffer.from(fields.TandemStep!.data!).toString())).toBe('done-bot');
    const found = await waitFor(async () => {
      for await (const wf of h.client.workflow.list({ query: `TandemContactId = "${contact.id}" AND TandemOutcome = "resolved_by_bot" AND TandemStep = "done-bot"` })) return wf.workflowId;
      return undefined;
    }, { what: 'the closed contact in visibility by its outcome' });
    expect(found).toBe(contact.handle.workflowId);
  });

  it('sends events in batches of the configured size while the flow works, in order, none lost', async () => {
    const small = await h.startContact(plan, { firstMessage: 'What are your opening hours?', customer: { id: 'cust-b1' }, options: { eventBatchSize: 2 } });
    const usual = await h.startContact(plan, { firstMessage: 'What are your opening hours?', customer: { id: 'cust-b2' } });
    const batchesOf = (contactId: string) => h.events.batches.filter((b) => b.contactId === contactId).map((b) => b.sequences);
    for (const contact of [small, usual]) {
      await waitFor(() => h.events.of(contact.id).some((e) => e.type === 'bot.turn') || undefined, { what: 'the first bot turn to be sent' });
    }
    // With a batch size of 2 the first batch leaves as soon as two events are pending (the contact
    // started, the start step entered), long before the contact first waits; with the default size
    // everything up to the first wait goes in one batch.
    expect(batchesOf(small.id)[0]).toEqual([0, 1]);
    expect(batchesOf(small.id).length).toBeGreaterThan(2);
    expect(batchesOf(usual.id)[0]!.length).toBeGreaterThan(2);
    for (const contact of [small, usual]) {
      // One delivery at a time: batches arrive in sequence order, with nothing missing in between (a
      // retried delivery would repeat a batch; the first arrival of each event is what counts).
      const sent = batchesOf(contact.id).flat();
      const firstArrivals = sent.filter((seq, i) => sent.indexOf(seq) === i);
      expect(firstArrivals).toEqual(firstArrivals.map((_, i) => i));
      await contact.cancel('operator');
      expect((await contact.result()).outcome).toBe('abandoned');
      const all = h.events.of(contact.id);
      expect(all.map((e) => e.sequence)).toEqual(all.map((_, i) => i));
      expect(all.at(-1)?.type).toBe('contact.ended');
    }
  });

  it('a request for a human escalates with the full handoff package; the agent replies and resolves; the customer rates', async () => {
    const contact = await h.startContact(plan, { firstMessage: 'Hi, I need help with my account', customer: { id: 'cust-2', name: 'Sam', tier: 'standard' } });
    await contact.waitForStep('support-bot');
    const reply = await contact.say('I want to speak to a real person please');
    expect(reply.handledBy).toBe('queue');
    const item = await contact.workItem();
    expect(item).toMatchObject({ queue: 'support', status: 'queued' });
    expect(item.handoff.trigger?.kind).toBe('human_request');
    expect(item.handoff.trigger?.evidence[0]?.words.join(' ')).toMatch(/real person/);
    expect(item.handoff.transcript.map((t) => t.text)).toEqual(expect.arrayContaining(['Hi, I need help with my account', 'I want to speak to a real person please']));
    expect(item.handoff.intent?.name).toBe('password_reset');
    expect(item.handoff.tried).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'knowledge_article', detail: expect.stringContaining('kb-password-reset') })]));
    expect(item.handoff.customer).toMatchObject({ id: 'cust-2', name: 'Sam' });
    expect(item.handoff.summary.length).toBeGreaterThan(0);

    const claimed = await h.router.claim('alice');
    expect(claimed?.id).toBe(item.id);
    await contact.agentSays(item.id, 'alice', 'Hi Sam, I can see your line is down. Let me reset it now.');
    const waiting = await contact.say('thanks, it works again');
    expect(waiting.handledBy).toBe('human');
    expect(waiting.messages).toEqual([]);
    await contact.complete(item.id, 'alice', 'resolved', ['connectivity']);

    await contact.waitForStep('agent-survey');
    await contact.say('4');
    const result = await contact.result();
    expect(result.outcome).toBe('resolved_by_human');
    const s = await contact.state();
    expect(s.path).toEqual(['start', 'understand', 'triage', 'support-bot', 'note-reason', 'support-agents', 'agent-survey', 'done-agent']);
    expect(s.ctx).toMatchObject({ escalations: 1, escalationReason: 'human_request', csat: 4 });
    expect(s.transcript.filter((t) => t.from === 'agent')).toEqual([expect.objectContaining({ agentId: 'alice', text: expect.stringContaining('reset it now') })]);
    const escalated = h.events.of(contact.id).find((e) => e.type === 'contact.escalated');
    expect(escalated).toMatchObject({ nodeId: 'support-agents', data: { queue: 'support', trigger: { kind: 'human_request' }, causeNodeId: 'support-bot', workItemId: item.id } });
    const ended = h.events.of(contact.id).find((e) => e.type === 'contact.ended');
    expect(ended?.data).toMatchObject({ outcome: 'resolved_by_human', resolvedBy: { kind: 'agent', agentId: 'alice' }, escalations: 1 });
    const csat = h.events.of(contact.id).find((e) => e.type === 'feedback.csat');
    expect(csat).toMatchObject({ nodeId: 'support-agents', data: { score: 4, surveyNodeId: 'agent-survey', resolvedBy: { kind: 'agent', agentId: 'alice' } } });
  });
});

describe('example: AI first — sensitive topics, SLA breaches, abandonment, cancellation', () => {
  let h: Harness;
  // SLA and waits in seconds instead of minutes, so the breach path runs in a test.
  const fast = compileExample('ai-first-human-backup', {
    'support-agents': (c) => ({ ...c, sla: { targetSeconds: 1 }, breachActions: [{ afterSeconds: 0, action: 'raise_priority', by: 20 }], maxWaitSeconds: 4 }),
  });

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.shutdown());

  it('a legal threat goes straight to the specialists with the trigger and its evidence', async () => {
    const contact = await h.startContact(fast, { firstMessage: 'If you do not refund me I will take legal action against you', customer: { id: 'cust-3', name: 'Lee' } });
    const item = await contact.workItem();
    expect(item.queue).toBe('complaints');
    expect(item.priority).toBe(95);
    // The flow's rule sent it there (honestly: flow_rule, with the rule), because of the legal threat the classify step found.
    expect(item.handoff.trigger).toMatchObject({ kind: 'flow_rule', detail: 'sensitive', reason: expect.stringMatching(/^rule "Sensitive topic" of Needs a person right away\? \(.*legal threat.*detected\)$/) });
    expect(item.handoff.trigger?.evidence[0]?.text).toContain('legal action');
    const s = await contact.state();
    expect(s.path).toEqual(['start', 'understand', 'triage', 'specialists']);
    expect(s.handledBy).toBe('queue');
    // bob lacks the complaints skill: only alice may take it.
    expect(await h.router.claim('bob')).toBeNull();
    expect((await h.router.claim('alice'))?.id).toBe(item.id);
    await contact.complete(item.id, 'alice', 'resolved', ['refund-approved']);
    await contact.waitForStep('agent-survey');
    await contact.say('3');
    expect((await contact.result()).outcome).toBe('resolved_by_human');
  });

  it('an unanswered escalation raises its priority at the SLA breach, then times out into a callback ticket', async () => {
    const contact = await h.startContact(fast, { firstMessage: 'Hi, I need help with my account', customer: { id: 'cust-4', name: 'Ana' } });
    await contact.waitForStep('support-bot');
    await contact.say('can I talk to an agent');
    const item = await contact.workItem();
    const result = await contact.result();
    expect(result.outcome).toBe('ticketed');
    const history = await h.router.history(item.id);
    expect(history.map((e) => e.type)).toEqual(['created', 'reprioritized', 'abandoned']);
    expect((await h.router.getWorkItem(item.id)).status).toBe('abandoned');
    const ticket = h.tickets.find((t) => t.key.startsWith(contact.handle.workflowId));
    expect(ticket).toMatchObject({ kind: 'callback', subject: 'Callback for Ana: password_reset' });
    const s = await contact.state();
    expect(s.path.slice(-3)).toEqual(['support-agents', 'callback', 'done-ticket']);
    expect(s.transcript.at(-1)?.text).toMatch(/All our agents are busy/);
  });

  it('a customer who leaves while queued abandons the work item and the contact', async () => {
    const contact = await h.startContact(fast, { firstMessage: 'Hi, I need help with my account', customer: { id: 'cust-5', name: 'Kim' } });
    await contact.waitForStep('support-bot');
    await contact.say('I want a human');
    const item = await contact.workItem();
    await contact.cancel('customer_left');
    const result = await contact.result();
    expect(result.outcome).toBe('abandoned');
    expect((await contact.state()).path.slice(-2)).toEqual(['support-agents', 'gone']);
    expect((await h.router.getWorkItem(item.id)).status).toBe('abandoned');
  });

  it('an operator cancelling a contact in the bot ends it as abandoned; messages to an ended contact are refused', async () => {
    const contact = await h.startContact(fast, { firstMessage: 'Hi, I need help with my account', customer: { id: 'cust-6' } });
    await contact.waitForStep('support-bot');
    await contact.cancel('operator');
    expect((await contact.result()).outcome).toBe('abandoned');
    await expect(contact.say('hello?')).rejects.toThrow();
    const ended = h.events.of(contact.id).find((e) => e.type === 'contact.ended');
    expect(ended?.data).toMatchObject({ outcome: 'abandoned', resolvedBy: { kind: 'none' }, escalations: 0 });
  });

  it('a contact cancelled through Temporal itself (UI, CLI) ends as abandoned and still sends its last events', async () => {
    const contact = await h.startContact(fast, { firstMessage: 'Hi, I need help with my account', customer: { id: 'cust-8' } });
    await contact.waitForStep('support-bot');
    await contact.handle.cancel();
    expect((await contact.result()).outcome).toBe('abandoned');
    const ended = await waitFor(() => h.events.of(contact.id).find((e) => e.type === 'contact.ended'), { what: 'the contact.ended event' });
    expect(ended.data).toMatchObject({ outcome: 'abandoned', resolvedBy: { kind: 'none' } });
    const sequences = h.events.of(contact.id).map((e) => e.sequence);
    expect(sequences).toEqual(sequences.map((_, i) => i));
  });

  /** start → a held custom activity → end (its error exit to a different end). */
  const holdPlan = () => {
    const doc = {
      schemaVersion: 1,
      id: 'hold-then-end',
      name: 'Hold',
      channels: ['chat'],
      variables: [],
      nodes: [flowNode('start', 'start'), flowNode('hold', 'activity', { activity: 'test_hold', retry: { maximumAttempts: 1 } }), flowNode('done', 'end', { outcome: 'resolved_by_bot' }), flowNode('failed', 'end', { outcome: 'ticketed' })],
      edges: [flowEdge('start', 'next', 'hold'), flowEdge('hold', 'success', 'done'), flowEdge('hold', 'error', 'failed')],
    } as unknown as FlowDocument;
    const compiled = compileFlow(doc, createStaticResolver({ ...exampleResolverData, activities: [...(exampleResolverData.activities ?? []), testHold.activity.descriptor] }));
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.diagnostics));
    return compiled.plan;
  };

  /** Starts a contact on `holdPlan`, runs `test` once its custom activity is in flight, then lets the activity finish. */
  const whileHeld = async (customerId: string, test: (contact: Contact) => Promise<void>) => {
    testHold.hold();
    try {
      const before = testHold.started();
      const contact = await h.startContact(holdPlan(), { customer: { id: customerId } });
      await waitFor(() => (testHold.started() > before ? true : undefined), { what: 'the custom activity to start' });
      await test(contact);
    } finally {
      testHold.release();
    }
  };

  it('an operator cancelling a contact during a custom activity ends it as abandoned, not down the error exit', async () => {
    await whileHeld('cust-9', async (contact) => {
      await contact.cancel('operator');
      const result = await contact.result();
      expect(result).toMatchObject({ outcome: 'abandoned', nodeId: 'hold' });
      expect((await contact.state()).path).toEqual(['start', 'hold']);
      const exits = h.events.of(contact.id).filter((e) => e.type === 'step.exited').map((e) => `${e.nodeId}:${String(e.data.port)}`);
      expect(exits).not.toContain('hold:error');
    });
  });

  it('runs every node version of the flow catalog, and waits rather than misrun a plan with a version it does not know', async () => {
    expect(Object.fromEntries(NODE_TYPES.map((t) => [t, nodeTypeVersions(t)]))).toEqual(executors.versions());
    const plan = holdPlan();
    // As a newer Tandem would compile it: its own hash over the new version.
    const future = { ...plan, nodes: { ...plan.nodes, hold: { ...plan.nodes.hold!, typeVersion: 9 } } };
    future.hash = planHash(future);
    const contact = await h.startContact(future, { customer: { id: 'cust-11' } });
    try {
      const failure = await waitFor(async () => {
        const events = (await contact.handle.fetchHistory()).events ?? [];
        return events.find((e) => e.workflowTaskFailedEventAttributes)?.workflowTaskFailedEventAttributes?.failure?.message ?? undefined;
      }, { what: 'the workflow task to fail' });
      expect(failure).toMatch(/this worker cannot run activity v9 \(the plan was compiled by a newer Tandem\)/);
      // Still running, nothing done: a worker that knows the version would take it from here.
      expect((await contact.handle.describe()).status.name).toBe('RUNNING');
      expect(h.events.of(contact.id)).toEqual([]);
    } finally {
      await contact.handle.terminate('test over');
    }
  });

  it('refuses a plan changed after it was compiled: the contact fails at once, naming itself and the flow version, and does nothing', async () => {
    const plan = holdPlan();
    const edited = { ...plan, nodes: { ...plan.nodes, done: { ...plan.nodes.done!, config: { ...plan.nodes.done!.config, outcome: 'resolved_by_human' } } } };
    const contact = await h.startContact(edited, { customer: { id: 'cust-12' }, flowVersion: 7 });
    const failure = await contact.result().then(
      () => undefined,
      (e: unknown) => e as Error & { cause?: Error & { type?: string; nonRetryable?: boolean } },
    );
    expect(failure?.cause?.message).toBe(
      `contact ${contact.id}: the plan of flow "hold-then-end" (version 7) does not match its hash ${plan.hash.slice(0, 12)}…; it was changed after it was compiled, so it is not run`,
    );
    expect(failure?.cause).toMatchObject({ type: 'PlanHashMismatch', nonRetryable: true });
    // Nothing ran: no step, no event, no activity; one attempt, not retried.
    const history = (await contact.handle.fetchHistory()).events ?? [];
    expect(history.filter((e) => e.activityTaskScheduledEventAttributes)).toHaveLength(0);
    expect(history.filter((e) => e.workflowTaskFailedEventAttributes)).toHaveLength(0);
    expect(h.events.of(contact.id)).toEqual([]);
  });

  it('a contact cancelled through Temporal while a customer message waits for its answer ends as abandoned; the message is refused', async () => {
    await whileHeld('cust-10', async (contact) => {
      // The flow is busy, so the update waits for the flow to go quiet before it answers.
      const pending = contact.say('are you still there?').then(
        () => 'answered',
        (e: unknown) => e as Error,
      );
      await waitFor(async () => ((await contact.state()).transcript.some((t) => t.text === 'are you still there?') ? true : undefined), { what: 'the message to be recorded' });
      await contact.handle.cancel();
      expect(await contact.result()).toMatchObject({ outcome: 'abandoned', nodeId: 'hold' });
      const answer = await pending;
      expect(answer).toBeInstanceOf(Error);
      const ended = await waitFor(() => h.events.of(contact.id).find((e) => e.type === 'contact.ended'), { what: 'the contact.ended event' });
      expect(ended.data).toMatchObject({ outcome: 'abandoned' });
    });
  });

  it('rejects an empty customer message without touching the contact', async () => {
    const contact = await h.startContact(fast, { firstMessage: 'Hi, I need help with my account', customer: { id: 'cust-7' } });
    await contact.waitForStep('support-bot');
    // The bot answers the first message on its own; let it, so the count below is not racing it.
    await waitFor(async () => ((await contact.state()).transcript.some((t) => t.articleId) ? true : undefined), { what: 'the bot to answer the first message' });
    const refused = await contact.say('   ').catch((e: unknown) => e as Error & { cause?: Error });
    expect(refused).toBeInstanceOf(Error);
    expect((refused as { cause?: Error }).cause?.message).toMatch(/text: the message is empty/);
    const before = (await contact.state()).transcript.length;
    await contact.cancel('operator');
    await contact.result();
    expect((await contact.state()).transcript.length).toBe(before);
  });
});
