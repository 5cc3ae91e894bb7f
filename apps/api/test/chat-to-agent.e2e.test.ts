/**
 * The end-to-end scenario through the API alone, against the real stack and a contact worker
 * in process: a designer publishes the AI-first example flow, an integration starts a contact and
 * chats with the bot until it asks for a human, an agent claims the escalation, sees the complete
 * handoff package, replies, and completes it with reason tags; the contact ends resolved by a human,
 * the escalation-tagged feedback event ties the tags to the node and trigger that escalated, and the
 * projections behind the designer's overlay show it.
 */
import { waitFor } from '@tandem/testkit';
import { exampleFlow, seedExampleCatalog } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

describe('chat to agent, end to end through the API', () => {
  let t: TestApp;
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
  let designer: Record<string, string>;
  let service: Record<string, string>;
  let supervisor: Record<string, string>;
  let alice: Record<string, string>;
  let bob: Record<string, string>;
  const flowId = 'ai-first-e2e';

  beforeAll(async () => {
    t = await startTestApp({}, { worker: true, background: ['outboxRelay', 'projections', 'escalationContexts', 'routingMaintenance'] });
    designer = auth(t.token('designer'));
    service = auth(t.token('service'));
    supervisor = auth(t.token('supervisor'));
    alice = auth(t.token('agent', { agentId: 'alice', subject: 'alice@example.com' }));
    bob = auth(t.token('agent', { agentId: 'bob', subject: 'bob@example.com' }));
    await seedExampleCatalog(t);
    for (const [id, skills] of [
      ['alice', { support: 5, orders: 5, billing: 5, complaints: 5 }],
      ['bob', { billing: 3 }],
    ] as const) {
      await t.http.put(`/v1/supervisor/agents/${id}`).set(supervisor).send({ displayName: id, skills, capacity: { chat: 3 }, queues: ['support', 'billing'] }).expect(201);
    }
    await t.backgroundReady();
  }, 120_000);
  afterAll(() => t?.close());

  it('publishes, chats until escalation, an agent takes over, completes with tags; outcome, feedback and projections follow', async () => {
    // The designer publishes the example flow.
    // Without its tests, which publishing would run: their simulated agent's routing events would join this contact's in the outbox.
    await t.http.post('/v1/flows').set(designer).send({ ...exampleFlow('ai-first-human-backup'), id: flowId, tests: [] }).expect(201);
    const published = await t.http.post(`/v1/flows/${flowId}/publish`).set(designer).send({ note: 'first' }).expect(201);
    expect(published.body.version).toBe(1);

    // An integration starts a chat and the bot answers the opening message.
    const started = await t.http
      .post('/v1/contacts')
      .set(service)
      .send({ flowId, channel: 'chat', customer: { id: 'cust-2', name: 'Sam', tier: 'standard' }, firstMessage: 'Hi, I need help with my account' })
      .expect(201);
    const contactId: string = started.body.contactId;
    expect(started.body).toMatchObject({ flowId, flowVersion: 1, created: true, workflowId: `contact-${contactId}` });
    await waitFor(async () => {
      const s = await t.http.get(`/v1/contacts/${contactId}`).set(service);
      return s.status === 200 && s.body.steps.includes('support-bot') && s.body.transcript.some((m: { from: string }) => m.from === 'bot') ? s : undefined;
    }, { what: 'the bot to answer the opening message', timeoutMs: 30_000 });

    // The customer asks for a person: the bot escalates, the flow waits in the queue.
    const escalated = await t.http.post(`/v1/contacts/${contactId}/messages`).set(service).send({ text: 'I want to speak to a real person please', messageId: 'm-2' }).expect(200);
    expect(escalated.body.handledBy).toBe('queue');
    // The same message id again returns the first answer without recording the message twice.
    const again = await t.http.post(`/v1/contacts/${contactId}/messages`).set(service).send({ text: 'I want to speak to a real person please', messageId: 'm-2' }).expect(200);
    expect(again.body).toEqual(escalated.body);

    // The version reports its open contact (visibility, through the contact's search attributes).
    await waitFor(async () => {
      const versions = await t.http.get(`/v1/flows/${flowId}/versions`).set(designer).expect(200);
      return versions.body[0].openContacts === 1 ? versions : undefined;
    }, { what: 'the version to count its open contact' });
    const queued = await waitFor(async () => {
      const list = await t.http.get('/v1/contacts').query({ flowId, queue: 'support', status: 'running' }).set(supervisor).expect(200);
      return list.body.items.find((c: { contactId: string }) => c.contactId === contactId);
    }, { what: 'the contact to be listed in the support queue' });
    expect(queued).toMatchObject({ flowId, flowVersion: 1, channel: 'chat', queue: 'support', status: 'running' });

    // Supervisors see the waiting item.
    const waiting = await t.http.get('/v1/supervisor/work-items').query({ queue: 'support' }).set(supervisor).expect(200);
    expect(waiting.body).toEqual([expect.objectContaining({ contactId, status: 'queued', stepId: 'support-agents' })]);

    // Alice goes available and claims it.
    await t.http.put('/v1/agent/status').set(alice).send({ status: 'available' }).expect(200);
    const claimed = await t.http.post('/v1/agent/claim').set(alice).send({}).expect(200);
    const workItemId: string = claimed.body.workItem.id;
    expect(claimed.body.workItem).toMatchObject({ contactId, queue: 'support', status: 'assigned', agentId: 'alice' });

    // The complete handoff package: customer, channel, intent, trigger with evidence, what was tried, summary, transcript.
    const detail = await t.http.get(`/v1/agent/work-items/${workItemId}`).set(alice).expect(200);
    const handoff = detail.body.handoff;
    expect(handoff).toMatchObject({ contactId, channel: 'chat', customer: { id: 'cust-2', name: 'Sam', tier: 'standard' } });
    expect(handoff.trigger.kind).toBe('human_request');
    expect(handoff.trigger.evidence[0].words.join(' ')).toMatch(/real person/);
    expect(handoff.intent.name).toBe('password_reset');
    expect(handoff.tried).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'knowledge_article' })]));
    expect(handoff.summary.length).toBeGreaterThan(0);
    expect(handoff.transcript.map((m: { text: string }) => m.text)).toEqual(expect.arrayContaining(['Hi, I need help with my account', 'I want to speak to a real person please']));
    expect(handoff.sentiment).toMatchObject({ direction: expect.any(String) });
    // The claim told the contact a person has it (workItemAssigned), before the agent wrote anything.
    const joined = await waitFor(async () => {
      const live = (await t.http.get(`/v1/agent/work-items/${workItemId}`).set(alice).expect(200)).body.contact;
      return live?.handledBy === 'human' ? live : undefined;
    }, { what: 'the contact to be handled by a person once claimed' });
    expect(joined).toMatchObject({ handledBy: 'human', steps: ['support-agents'] });

    // Bob cannot see or touch Alice's work.
    await t.http.get(`/v1/agent/work-items/${workItemId}`).set(bob).expect(404);
    await t.http.post(`/v1/agent/work-items/${workItemId}/messages`).set(bob).send({ text: 'hi' }).expect(404);
    await t.http.post(`/v1/agent/work-items/${workItemId}/complete`).set(bob).send({ outcome: 'resolved' }).expect(404);

    // Alice replies; the customer answers; the agent's message is in the transcript.
    await t.http.post(`/v1/agent/work-items/${workItemId}/messages`).set(alice).send({ text: 'Hi Sam, I can see your line is down. Let me reset it now.' }).expect(202);
    const toHuman = await t.http.post(`/v1/contacts/${contactId}/messages`).set(service).send({ text: 'thanks, it works again' }).expect(200);
    expect(toHuman.body).toMatchObject({ handledBy: 'human', messages: [] });
    const mine = await t.http.get('/v1/agent/work-items').set(alice).expect(200);
    expect(mine.body.map((w: { id: string }) => w.id)).toEqual([workItemId]);

    // Alice completes with reason tags; the flow continues to its survey and ends resolved by a human.
    const completed = await t.http.post(`/v1/agent/work-items/${workItemId}/complete`).set(alice).send({ outcome: 'resolved', reasonTags: ['connectivity', 'bot_misunderstood'] }).expect(200);
    expect(completed.body).toMatchObject({ status: 'completed', outcome: 'resolved', reasonTags: ['connectivity', 'bot_misunderstood'] });
    await t.http.post(`/v1/agent/work-items/${workItemId}/complete`).set(alice).send({ outcome: 'resolved' }).expect(409);
    await waitFor(async () => {
      const s = await t.http.get(`/v1/contacts/${contactId}`).set(service).expect(200);
      return s.body.steps.includes('agent-survey') ? s : undefined;
    }, { what: 'the flow to continue after the agent resolved it', timeoutMs: 30_000 });
    await t.http.post(`/v1/contacts/${contactId}/messages`).set(service).send({ text: '4' }).expect(200);
    const ended = await waitFor(async () => {
      const s = await t.http.get(`/v1/contacts/${contactId}`).set(service).expect(200);
      return s.body.status === 'completed' ? s : undefined;
    }, { what: 'the contact to end' });
    expect(ended.body).toMatchObject({ outcome: 'resolved_by_human', handledBy: 'ended', flowVersion: 1, draft: false });
    expect(ended.body.path).toEqual(['start', 'understand', 'triage', 'support-bot', 'note-reason', 'support-agents', 'agent-survey', 'done-agent']);
    expect(ended.body.transcript.filter((m: { from: string }) => m.from === 'agent')).toEqual([expect.objectContaining({ agentId: 'alice', text: expect.stringContaining('reset it now') })]);
    const transcript = await t.http.get(`/v1/contacts/${contactId}/transcript`).set(supervisor).expect(200);
    expect(transcript.body.transcript).toEqual(ended.body.transcript);
    // An ended contact takes no more messages.
    const late = await t.http.post(`/v1/contacts/${contactId}/messages`).set(service).send({ text: 'hello?' }).expect(409);
    expect(late.body.code).toBe('contact_ended');

    // A satisfaction score from outside Tandem, once.
    const csat = await t.http.post(`/v1/contacts/${contactId}/csat`).set(service).send({ score: 5 }).expect(202);
    expect(csat.body).toMatchObject({ nodeId: 'support-agents', score: 5 });
    await t.http.post(`/v1/contacts/${contactId}/csat`).set(service).send({ score: 1 }).expect(409);

    // The wrap-up's feedback event: tags tied to the node that caused the escalation, its trigger and version.
    const tagged = await waitFor(async () => {
      const rows: { payload: string; published_at: Date | null }[] = await t.sql(
        `SELECT payload, published_at FROM events.outbox WHERE event_type = 'tandem.feedback.escalation-tagged.v1'`,
      );
      return rows.length && rows.every((r) => r.published_at) ? rows : undefined;
    }, { what: 'the escalation-tagged event to be written and published' });
    expect(tagged).toHaveLength(1);
    expect(JSON.parse(tagged[0]!.payload)).toMatchObject({
      subject: contactId,
      flowid: flowId,
      flowversion: 1,
      nodeid: 'support-bot',
      data: { workItemId, agentId: 'alice', tags: ['connectivity', 'bot_misunderstood'], trigger: 'human_request', escalateNodeId: 'support-agents', queue: 'support', outcome: 'resolved' },
    });
    // The worker's contact.escalated event recorded the escalation's context too (the authoritative source).
    const context = await waitFor(async () => {
      const [row] = await t.sql<{ source: string; cause_node_id: string; escalate_node_id: string; trigger: string; flow_version: number }>(
        `SELECT source, cause_node_id, escalate_node_id, trigger, flow_version FROM escalation_contexts WHERE work_item_id = $1`,
        [workItemId],
      );
      return row?.source === 'event' ? row : undefined;
    }, { what: 'the escalation context from the contact.escalated event' });
    expect(context).toEqual({ source: 'event', cause_node_id: 'support-bot', escalate_node_id: 'support-agents', trigger: 'human_request', flow_version: 1 });
    const workItemEvents: { event_type: string }[] = await t.sql(`SELECT event_type FROM events.outbox WHERE event_type LIKE 'tandem.workitem.%' ORDER BY position`);
    expect(workItemEvents.map((e) => e.event_type)).toEqual(['tandem.workitem.accepted.v1', 'tandem.workitem.completed.v1']);

    // The designer's overlay: per node, from the projections of the worker's and the API's events.
    const metrics = await waitFor(async () => {
      const m = await t.http.get(`/v1/flows/${flowId}/versions/1/metrics`).set(designer).expect(200);
      const bot = m.body.nodes.find((n: { nodeId: string }) => n.nodeId === 'support-bot');
      const agents = m.body.nodes.find((n: { nodeId: string }) => n.nodeId === 'support-agents');
      const ready = m.body.totals.ended === 1 && bot?.escalations.byReasonTag.connectivity === 1 && agents?.workItems.completed.resolved === 1 && agents?.csat.count >= 2;
      return ready ? m.body : undefined;
    }, { what: 'the projections to show the contact', timeoutMs: 30_000 });
    const bot = metrics.nodes.find((n: { nodeId: string }) => n.nodeId === 'support-bot');
    const agents = metrics.nodes.find((n: { nodeId: string }) => n.nodeId === 'support-agents');
    expect(metrics.totals).toMatchObject({ contacts: 1, ended: 1, byOutcome: { resolved_by_human: 1 }, escalations: 1, contained: 0 });
    expect(bot).toMatchObject({ nodeType: 'bot', entered: 1, exitedByPort: { escalate: 1 }, escalations: { total: 1, byTrigger: { human_request: 1 }, byReasonTag: { connectivity: 1, bot_misunderstood: 1 } } });
    expect(bot.containment).toBe(0);
    expect(agents).toMatchObject({ nodeType: 'escalate', entered: 1, exitedByPort: { resolved: 1 }, escalations: { routedByQueue: { support: 1 } }, workItems: { accepted: 1, completed: { resolved: 1 } } });
    expect(agents.waitSeconds.count).toBe(1);
    expect(agents.handleSeconds.count).toBe(1);

    // The version no longer runs an open contact.
    await waitFor(async () => {
      const versions = await t.http.get(`/v1/flows/${flowId}/versions`).set(designer).expect(200);
      return versions.body[0].openContacts === 0 ? versions : undefined;
    }, { what: 'the version to count no open contact' });
  }, 180_000);
});
