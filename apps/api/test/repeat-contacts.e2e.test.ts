/**
 * Repeat contacts from Tandem's own history: a customer's contact ends, the projections record it
 * (from the worker's contact.started, bot.turn and contact.ended), and the customer's next contact
 * starts with `customer.attributes.recentContacts` — what the bot's `repeat_contact` reads — unless the
 * caller passed its own. Simulations and other customers' contacts are not in it.
 */
import { uniqueName, waitFor } from '@tandem/testkit';
import { exampleFlow, seedExampleCatalog } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

describe("a customer's recent contacts reach the next contact", () => {
  let t: TestApp;
  const auth = (role: 'designer' | 'service') => ({ Authorization: `Bearer ${t.token(role)}` });
  const flowId = 'repeat-ai-first';

  beforeAll(async () => {
    t = await startTestApp({}, { worker: true, background: ['projections'] });
    await seedExampleCatalog(t);
    // Without its flow tests, which publishing would run (their simulated agents' routing would join this suite's).
    await t.http.post('/v1/flows').set(auth('designer')).send({ ...exampleFlow('ai-first-human-backup'), id: flowId, tests: [] }).expect(201);
    await t.http.post(`/v1/flows/${flowId}/publish`).set(auth('designer')).send({}).expect(201);
    await t.backgroundReady();
  }, 120_000);
  afterAll(() => t?.close());

  /** A contact of `customerId` that talks to the bot and then leaves; resolves once it has ended. */
  async function endedContact(customerId: string, options: { draft?: boolean } = {}): Promise<string> {
    const role = options.draft ? 'designer' : 'service';
    const started = await t.http
      .post('/v1/contacts')
      .set(auth(role))
      .send({ flowId, channel: 'chat', customer: { id: customerId, name: 'Dana' }, firstMessage: 'Hi, I need help with my account', ...(options.draft ? { draft: true } : {}) })
      .expect(201);
    const contactId: string = started.body.contactId;
    const answered = await waitFor(async () => {
      const s = await t.http.get(`/v1/contacts/${contactId}`).set(auth(role)).expect(200);
      return s.body.transcript.some((e: { from: string }) => e.from !== 'customer') ? s.body : undefined;
    }, { what: 'the flow to answer the opening message', timeoutMs: 30_000 });
    // With the bot, one more turn about the charge; a repeat contact may go straight to a person.
    if (answered.steps.includes('support-bot')) await t.http.post(`/v1/contacts/${contactId}/messages`).set(auth(role)).send({ text: 'why was I charged twice this month?' }).expect(200);
    const now = (await t.http.get(`/v1/contacts/${contactId}`).set(auth(role)).expect(200)).body;
    if (now.status === 'running') await t.http.post(`/v1/contacts/${contactId}/cancel`).set(auth('service')).send({ reason: 'customer_left' }).expect(202);
    await waitFor(async () => ((await t.http.get(`/v1/contacts/${contactId}`).set(auth(role)).expect(200)).body.status === 'completed' ? true : undefined), {
      what: 'the contact to end',
      timeoutMs: 30_000,
    });
    return contactId;
  }

  it('attaches the ended contacts of the last days, newest first, with what they were about and how they ended', async () => {
    const customerId = uniqueName('dana');
    const recorded = (contactId: string) =>
      waitFor(async () => (await t.sql(`SELECT 1 FROM events.customer_contacts WHERE contact_id = $1 AND ended_at IS NOT NULL`, [contactId])).length === 1, {
        what: `the projections to record the end of ${contactId}`,
        timeoutMs: 30_000,
      });
    const first = await endedContact(customerId);
    await recorded(first);
    const second = await endedContact(customerId);
    await endedContact(uniqueName('someone-else'));
    const simulated = await endedContact(customerId, { draft: true });
    await waitFor(async () => {
      const rows = await t.sql<{ contact_id: string }>(`SELECT contact_id FROM events.customer_contacts WHERE customer_id = $1 AND ended_at IS NOT NULL`, [customerId]);
      return rows.length === 2 ? rows : undefined;
    }, { what: 'the projections to record both contacts', timeoutMs: 30_000 });

    const next = await t.http.post('/v1/contacts').set(auth('service')).send({ flowId, channel: 'chat', customer: { id: customerId, name: 'Dana' } }).expect(201);
    const state = await t.http.get(`/v1/contacts/${next.body.contactId}`).set(auth('service')).expect(200);
    const recent = state.body.customer.attributes.recentContacts as { contactId: string; endedAt: string; intent?: string; topics?: string[]; outcome: string }[];
    expect(recent.map((c) => c.contactId)).toEqual([second, first]);
    expect(recent.map((c) => c.contactId)).not.toContain(simulated);
    for (const c of recent) {
      expect(c).toMatchObject({ outcome: expect.any(String), endedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
      expect(Date.now() - Date.parse(c.endedAt)).toBeLessThan(5 * 60_000);
    }
    // What the bot understood of the first contact is what the next one can match on.
    expect(recent[1]!.intent ?? recent[1]!.topics).toBeDefined();
    // And it did: the second contact, about the same thing, was known as a repeat before the bot spoke.
    const secondState = (await t.http.get(`/v1/contacts/${second}`).set(auth('service')).expect(200)).body;
    expect(secondState.customer.attributes.recentContacts.map((c: { contactId: string }) => c.contactId)).toEqual([first]);
  }, 180_000);

  it("leaves the caller's own recentContacts as given, and gives a new customer an empty list", async () => {
    const given = [{ contactId: 'crm-1', endedAt: new Date().toISOString(), intent: 'billing_dispute', outcome: 'resolved_by_human' }];
    const customerId = uniqueName('crm');
    const started = await t.http.post('/v1/contacts').set(auth('service')).send({ flowId, channel: 'chat', customer: { id: customerId, attributes: { recentContacts: given, plan: 'gold' } } }).expect(201);
    const state = await t.http.get(`/v1/contacts/${started.body.contactId}`).set(auth('service')).expect(200);
    expect(state.body.customer.attributes).toEqual({ recentContacts: given, plan: 'gold' });
    const fresh = await t.http.post('/v1/contacts').set(auth('service')).send({ flowId, channel: 'chat', customer: { id: uniqueName('new') } }).expect(201);
    expect((await t.http.get(`/v1/contacts/${fresh.body.contactId}`).set(auth('service')).expect(200)).body.customer.attributes).toEqual({ recentContacts: [] });
  }, 60_000);
});
