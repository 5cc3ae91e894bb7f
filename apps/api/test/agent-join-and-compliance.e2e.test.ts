/**
 * An agent takes a contact through the API, on the human-first example flow with the real worker:
 * the agent's joining reaches the contact (`workItemAssigned`, whether the agent accepted a push offer
 * or claimed), push-queue offers count in the escalate node's metrics, and what the agent writes is
 * checked for compliance before it leaves — a card number is refused with 422 and never reaches the
 * transcript, warnings go out flagged — within the one message limit.
 */
import { maxCustomerMessageLength } from '@tandem/api-contract';
import { waitFor } from '@tandem/testkit';
import { exampleFlow, seedExampleCatalog } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

interface TranscriptEntry {
  from: string;
  text: string;
  flags?: { kind: string; severity: string }[];
}

describe('an agent joins visibly, and writes only what compliance allows', () => {
  let t: TestApp;
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
  let designer: Record<string, string>;
  let service: Record<string, string>;
  let admin: Record<string, string>;
  let alice: Record<string, string>;
  const flowId = 'assist-join';

  beforeAll(async () => {
    t = await startTestApp({}, { worker: true, background: ['outboxRelay', 'projections', 'escalationContexts', 'routingMaintenance'] });
    designer = auth(t.token('designer'));
    service = auth(t.token('service'));
    admin = auth(t.token('admin'));
    alice = auth(t.token('agent', { agentId: 'alice', subject: 'alice@example.com' }));
    await seedExampleCatalog(t);
    await t.http.put('/v1/supervisor/agents/alice').set(auth(t.token('supervisor'))).send({ displayName: 'Alice', skills: { support: 5, billing: 5 }, capacity: { voice: 3, chat: 3 }, queues: ['support'] }).expect(201);
    // Without its flow tests, which publishing would run (their simulated agents' routing would join this suite's).
    await t.http.post('/v1/flows').set(designer).send({ ...exampleFlow('human-first-ai-assist'), id: flowId, tests: [] }).expect(201);
    await t.http.post(`/v1/flows/${flowId}/publish`).set(designer).send({}).expect(201);
    await t.backgroundReady();
    await t.http.put('/v1/agent/status').set(alice).send({ status: 'available' }).expect(200);
  }, 120_000);
  afterAll(() => t?.close());

  const setSupportQueue = (distribution: 'push' | 'pull') =>
    t.http.put('/v1/catalog/queues/support').set(admin).send({ description: 'support', slaTargetSeconds: 120, distribution }).expect(200);

  /** A voice contact of the flow, waiting in the support queue. */
  async function waitingContact(customerId: string): Promise<string> {
    const started = await t.http
      .post('/v1/contacts')
      .set(service)
      .send({ flowId, channel: 'voice', customer: { id: customerId, name: 'Sam' }, firstMessage: 'my internet keeps dropping every evening' })
      .expect(201);
    const contactId: string = started.body.contactId;
    await waitFor(async () => {
      const s = await t.http.get(`/v1/contacts/${contactId}`).set(service).expect(200);
      return s.body.workItem ? s : undefined;
    }, { what: 'the contact to wait for an agent', timeoutMs: 30_000 });
    return contactId;
  }

  const transcriptOf = async (contactId: string): Promise<TranscriptEntry[]> => (await t.http.get(`/v1/contacts/${contactId}/transcript`).set(service).expect(200)).body.transcript;

  it('accepting a push offer tells the contact (handled by a person now), and the offer counts on the escalate node', async () => {
    await setSupportQueue('push');
    const contactId = await waitingContact('cust-push');
    const offer = await waitFor(async () => {
      const offers = await t.http.get('/v1/agent/offers').set(alice).expect(200);
      return offers.body.find((o: { workItem: { contactId: string } }) => o.workItem.contactId === contactId);
    }, { what: 'the offer to alice' });
    const workItemId: string = offer.workItem.id;
    await t.http.post(`/v1/agent/offers/${offer.offer.id}/accept`).set(alice).send({}).expect(200);

    // routing → workItemAssigned → the contact: a person has it, before the agent wrote anything.
    const delivered = await waitFor(async () => {
      const rows = await t.sql<{ status: string; agent_id: string }>(`SELECT status, agent_id FROM routing.assignment_delivery WHERE work_item_id = $1`, [workItemId]);
      return rows[0]?.status === 'delivered' ? rows : undefined;
    }, { what: 'the workItemAssigned signal to be delivered' });
    expect(delivered).toEqual([{ status: 'delivered', agent_id: 'alice' }]);
    const joined = await waitFor(async () => {
      const s = await t.http.get(`/v1/contacts/${contactId}`).set(service).expect(200);
      return s.body.handledBy === 'human' ? s.body : undefined;
    }, { what: 'the contact to be handled by a person (the workflow side of workItemAssigned)' });
    expect(joined.transcript.filter((e: TranscriptEntry) => e.from === 'agent')).toEqual([]);

    // The offer the worker made at creation is published (deferred by its sink-less router) and counted.
    const agents = await waitFor(async () => {
      const m = await t.http.get(`/v1/flows/${flowId}/versions/1/metrics`).set(designer).expect(200);
      const node = m.body.nodes.find((n: { nodeId: string }) => n.nodeId === 'agents');
      return node?.workItems.offered >= 1 && node.workItems.accepted >= 1 ? node : undefined;
    }, { what: 'the escalate node to count the push offer', timeoutMs: 30_000 });
    expect(agents.workItems).toMatchObject({ offered: 1, accepted: 1 });
    expect(agents.errors).toEqual({ total: 0, byPort: {} });
    const events = await t.sql<{ event_type: string }>(`SELECT event_type FROM events.outbox WHERE payload::jsonb -> 'data' ->> 'workItemId' = $1 ORDER BY position`, [workItemId]);
    expect(events.map((e) => e.event_type).sort()).toEqual(['tandem.workitem.accepted.v1', 'tandem.workitem.offered.v1']);

    // Compliance before sending: a card number is refused, whatever else is around it, and never sent.
    for (const text of ['Your card 4111 1111 1111 1111 is on file', 'I have 4111-1111-1111-1111 exp 12/29 cvv 123 here']) {
      const refused = await t.http.post(`/v1/agent/work-items/${workItemId}/messages`).set(alice).send({ text }).expect(422);
      expect(refused.body).toMatchObject({ statusCode: 422, code: 'compliance_blocked', message: expect.stringContaining('payment card number') });
      expect(refused.body.details.findings).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'card_number', severity: 'block', evidence: '4111 **** 1111' })]));
      expect(JSON.stringify(refused.body)).not.toMatch(/4111[ -]1111[ -]1111/);
    }
    // Voice: the recording notice is missing — sent, flagged, and the flags come back.
    const flagged = await t.http.post(`/v1/agent/work-items/${workItemId}/messages`).set(alice).send({ text: 'Hi Sam, I am Alice and I will look into the drops.' }).expect(202);
    expect(flagged.body).toEqual({ workItemId, sent: true, flags: [expect.objectContaining({ kind: 'missing_disclosure', severity: 'warn', disclosureId: 'call_recording' })] });
    // Once the notice is given it stops; an account number written out is a warning of its own.
    const account = await t.http
      .post(`/v1/agent/work-items/${workItemId}/messages`)
      .set(alice)
      .send({ text: 'This call is recorded for quality. Your account number is 12345678, correct?' })
      .expect(202);
    expect(account.body.flags).toEqual([expect.objectContaining({ kind: 'account_number', severity: 'warn', evidence: '********' })]);
    const clean = await t.http.post(`/v1/agent/work-items/${workItemId}/messages`).set(alice).send({ text: 'Thanks, one moment please.' }).expect(202);
    expect(clean.body.flags).toEqual([]);

    // One limit for a message, named in characters.
    const tooLong = await t.http.post(`/v1/agent/work-items/${workItemId}/messages`).set(alice).send({ text: 'x'.repeat(maxCustomerMessageLength + 1) }).expect(400);
    expect(tooLong.body).toMatchObject({ code: 'message_too_long', message: `body.text: 10001 characters is more than the 10000 characters a message may have`, details: { limit: 10_000, length: 10_001 } });
    expect(tooLong.body.errors).toEqual([expect.objectContaining({ location: 'body', path: 'text', code: 'message_too_long' })]);

    const agentLines = await waitFor(async () => {
      const lines = (await transcriptOf(contactId)).filter((e) => e.from === 'agent');
      return lines.length === 3 ? lines : undefined;
    }, { what: 'the three messages the agent sent in the transcript' });
    expect(agentLines.map((e) => e.text)).toEqual(['Hi Sam, I am Alice and I will look into the drops.', 'This call is recorded for quality. Your account number is 12345678, correct?', 'Thanks, one moment please.']);
    expect(JSON.stringify(await transcriptOf(contactId))).not.toContain('4111');
    // The warnings travel with the message onto its transcript entry (the workflow keeps the signal's flags).
    expect(agentLines.map((e) => (e.flags ?? []).map((f) => f.kind))).toEqual([['missing_disclosure'], ['account_number'], []]);
  }, 180_000);

  it('claiming from a pull queue tells the contact too', async () => {
    await setSupportQueue('pull');
    const contactId = await waitingContact('cust-pull');
    const claimed = await t.http.post('/v1/agent/claim').set(alice).send({}).expect(200);
    expect(claimed.body.workItem).toMatchObject({ contactId, status: 'assigned', agentId: 'alice' });
    await waitFor(async () => {
      const rows = await t.sql<{ status: string }>(`SELECT status FROM routing.assignment_delivery WHERE work_item_id = $1`, [claimed.body.workItem.id]);
      return rows[0]?.status === 'delivered';
    }, { what: 'the workItemAssigned signal of the claim to be delivered' });
    await waitFor(async () => (await t.http.get(`/v1/contacts/${contactId}`).set(service).expect(200)).body.handledBy === 'human', {
      what: 'the contact to be handled by a person after the claim',
    });
  }, 120_000);
});
