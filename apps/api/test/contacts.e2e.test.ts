/**
 * Contacts beyond the main scenario: a designer's draft simulation, calendars pinned at start, paging
 * through the visibility list, and contacts handed over on Kafka (started once per external contact).
 */
import { inboundContactId, inboundEvents } from '@tandem/events';
import { uniqueName, waitFor } from '@tandem/testkit';
import { Kafka, logLevel } from 'kafkajs';
import { exampleFlow, seedExampleCatalog, waitingFlow } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

describe('contacts', () => {
  let t: TestApp;
  const auth = (role: 'designer' | 'service' | 'supervisor') => ({ Authorization: `Bearer ${t.token(role)}` });

  beforeAll(async () => {
    t = await startTestApp({}, { worker: true, background: ['inboundContacts'] });
    await seedExampleCatalog(t);
  }, 60_000);
  afterAll(() => t?.close());

  it('a designer simulates a draft: version 0, the reply comes back, the state shows the path', async () => {
    const flowId = uniqueName('draft').toLowerCase().replace(/_/g, '-');
    await t.http.post('/v1/flows').set(auth('designer')).send(waitingFlow(flowId)).expect(201);
    const started = await t.http.post('/v1/contacts').set(auth('designer')).send({ flowId, draft: true, channel: 'chat', customer: { id: 'designer-test' } }).expect(201);
    expect(started.body).toMatchObject({ flowId, flowVersion: 0, created: true });
    // Answer the question once it is asked (a message sent before would come first in the transcript).
    await waitFor(async () => ((await t.http.get(`/v1/contacts/${started.body.contactId}`).set(auth('designer'))).body.steps?.includes('ask') ? true : undefined), { what: 'the draft to ask' });
    const reply = await t.http.post(`/v1/contacts/${started.body.contactId}/messages`).set(auth('designer')).send({ text: 'just testing' }).expect(200);
    expect(reply.body).toMatchObject({ handledBy: 'ended', steps: [] });
    const state = await t.http.get(`/v1/contacts/${started.body.contactId}`).set(auth('designer')).expect(200);
    expect(state.body).toMatchObject({ draft: true, flowVersion: 0, outcome: 'resolved_by_bot', path: ['start', 'ask', 'done'] });
    expect(state.body.transcript.map((m: { from: string; text: string }) => `${m.from}: ${m.text}`)).toEqual(['bot: How can we help?', 'customer: just testing']);
  });

  it('pins the calendars a flow uses when the contact starts (the worker is given no calendar of its own)', async () => {
    const flowId = 'after-hours-pinned';
    await t.http.post('/v1/flows').set(auth('designer')).send({ ...exampleFlow('after-hours'), id: flowId }).expect(201);
    await t.http.post(`/v1/flows/${flowId}/publish`).set(auth('designer')).send({}).expect(201);
    const started = await t.http.post('/v1/contacts').set(auth('service')).send({ flowId, channel: 'chat', customer: { id: 'night-owl', name: 'Ola' } }).expect(201);
    const state = await waitFor(async () => {
      const s = await t.http.get(`/v1/contacts/${started.body.contactId}`).set(auth('service')).expect(200);
      return s.body.path.length > 2 ? s : undefined;
    }, { what: 'the contact to pass the business-hours check' });
    // Open or closed depends on the clock; either way the calendar was there.
    expect(state.body.path.slice(0, 2)).toEqual(['start', 'hours']);
    expect(['agents', 'night-bot']).toContain(state.body.path[2]);
    expect(state.body.status).toBe('running');
  });

  it('lists contacts by flow a page at a time; a page token only works with the filters it came from', async () => {
    const flowId = uniqueName('paged').toLowerCase().replace(/_/g, '-');
    await t.http.post('/v1/flows').set(auth('designer')).send(waitingFlow(flowId)).expect(201);
    await t.http.post(`/v1/flows/${flowId}/publish`).set(auth('designer')).send({}).expect(201);
    const ids = new Set<string>();
    for (let i = 0; i < 3; i++) ids.add((await t.http.post('/v1/contacts').set(auth('service')).send({ flowId, channel: 'chat', customer: { id: `c${i}` } }).expect(201)).body.contactId);
    await waitFor(async () => ((await t.http.get('/v1/contacts').query({ flowId, version: 1 }).set(auth('supervisor')).expect(200)).body.items.length === 3 ? true : undefined), {
      what: 'visibility to list the three contacts',
    });
    const seen: string[] = [];
    let token: string | null = null;
    for (let page = 0; page < 5; page++) {
      const res: { body: { items: { contactId: string }[]; nextPageToken: string | null } } = await t.http.get('/v1/contacts').query({ flowId, limit: 1, ...(token ? { pageToken: token } : {}) }).set(auth('supervisor')).expect(200);
      for (const c of res.body.items) expect(c).toMatchObject({ flowId, status: 'running' });
      seen.push(...res.body.items.map((c) => c.contactId));
      token = res.body.nextPageToken;
      if (!token) break;
      // The token does not page another query.
      await t.http.get('/v1/contacts').query({ flowId, limit: 1, channel: 'voice', pageToken: token }).set(auth('supervisor')).expect(400);
    }
    expect(new Set(seen)).toEqual(ids);
  });

  it('starts a contact handed over on the inbound topic once, however often it is sent', async () => {
    const flowId = uniqueName('inbound').toLowerCase().replace(/_/g, '-');
    await t.http.post('/v1/flows').set(auth('designer')).send(waitingFlow(flowId)).expect(201);
    await t.http.post(`/v1/flows/${flowId}/publish`).set(auth('designer')).send({}).expect(201);
    await t.backgroundReady();
    const external = uniqueName('CALL');
    const kafka = new Kafka({ clientId: 'api-test-cc', brokers: t.config.kafka.brokers, logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    const request = (id: string) =>
      inboundEvents.contactRequested(
        { id, source: 'urn:test:contact-centre' },
        { externalSystem: 'acme-cc', externalContactId: external, flowId, channel: 'chat', customer: { id: 'cust-cc', name: 'Kim' }, attributes: { ivrPath: 'billing' } },
      );
    for (const id of ['evt-1', 'evt-2']) {
      const event = request(id);
      await producer.send({ topic: t.config.events.topics.contactsInbound, messages: [{ key: event.subject, value: JSON.stringify(event) }] });
    }
    await producer.disconnect();
    const contactId = inboundContactId('acme-cc', external);
    const state = await waitFor(async () => {
      const s = await t.http.get(`/v1/contacts/${contactId}`).set(auth('service'));
      return s.status === 200 ? s : undefined;
    }, { what: 'the inbound contact to start', timeoutMs: 30_000 });
    expect(state.body).toMatchObject({ flowId, flowVersion: 1, customer: { id: 'cust-cc', name: 'Kim' } });
    const claims = await t.sql<{ event_id: string }>(`SELECT event_id FROM events.inbound_contacts WHERE external_contact_id = $1`, [external]);
    expect(claims).toHaveLength(1);
    const processed = await waitFor(async () => {
      const rows = await t.sql(`SELECT event_id FROM events.processed_events WHERE event_id IN ('evt-1', 'evt-2')`);
      return rows.length === 2 ? rows : undefined;
    }, { what: 'both requests to be processed' });
    expect(processed).toHaveLength(2);
  });
});
