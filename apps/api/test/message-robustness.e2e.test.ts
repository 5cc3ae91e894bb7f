/**
 * No input kills a contact or yields a 5xx (issue 19's acceptance), tried as integrations would:
 * generated customer messages of every shape — empty, whitespace, control characters, NUL, unpaired
 * surrogates, emoji, right-to-left text, lengths around the bot's turn and around the one message
 * limit — sent through the public API to contacts of every example flow, with the real worker. The API
 * answers 4xx only for what is invalid (with the error body, `message_too_long` naming the limit), and
 * afterwards each contact still answers its state query and has not failed. The first message of a
 * contact and an inbound request's first message are held to the same limit.
 */
import { maxCustomerMessageLength } from '@tandem/api-contract';
import { EXAMPLE_FLOWS, type ExampleFlowName } from '@tandem/flow';
import { inboundContactId, inboundEvents } from '@tandem/events';
import { uniqueName, waitFor } from '@tandem/testkit';
import fc from 'fast-check';
import { Kafka, logLevel } from 'kafkajs';
import type { Response } from 'supertest';
import { exampleFlow, seedExampleCatalog } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

/** Generated messages per property run: enough to walk the shapes, small enough for `npm test` on 2 cores. */
const RUNS = Number(process.env.TANDEM_MESSAGE_PROPERTY_RUNS ?? 40);
/** Replays a run (the seed a failure printed). */
const SEED = process.env.TANDEM_MESSAGE_PROPERTY_SEED ? { seed: Number(process.env.TANDEM_MESSAGE_PROPERTY_SEED) } : {};

const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** What the API must answer for a text: accepted, or which 400. */
function verdictOf(text: string): 'ok' | 'message_too_long' | 'validation_failed' {
  const trimmed = text.trim();
  if (!trimmed) return 'validation_failed';
  if (trimmed.length > maxCustomerMessageLength) return 'message_too_long';
  if (trimmed.includes('\u0000') || UNPAIRED_SURROGATE.test(trimmed)) return 'validation_failed';
  return 'ok';
}

const ODD_PIECES = [
  '',
  ' ',
  '\t\n\r ',
  '\u00a0',
  '\u200b',
  '\ufeff',
  '\u0000',
  '\u0007',
  '\u001b[31m',
  '\u0085',
  '\ud800',
  '\udfff',
  'x\ud83dy',
  '😀',
  '👍🏽',
  '👨‍👩‍👧',
  '🏳️‍🌈',
  'مرحبا، أريد التحدث إلى شخص',
  'שלום, האינטרנט לא עובד',
  '\u202eevil\u202c',
  'Ω≈ç√∫',
  'Ünïcödé ñ',
  '{{customer.name}}',
  '${ctx.x}',
  '"); DROP TABLE routing.work_item; --',
  'I want to talk to a real person',
  'my card is 4111 1111 1111 1111',
  'that did not help',
];

const SENTENCE = 'my internet keeps dropping every evening and nothing helps ';

/** Text of exactly `length` UTF-16 code units, made of `unit` repeated (cut at a code unit: may end in half a pair). */
const ofLength = (length: number, unit: string) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length);

const messageText: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.array(fc.oneof(fc.constantFrom(...ODD_PIECES), fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 12 })), { maxLength: 6 }).map((p) => p.join('')) },
  // Around the most a chat or voice turn of the bot used to hold (5,000), and around the one limit.
  { weight: 2, arbitrary: fc.tuple(fc.integer({ min: 4_995, max: 5_005 }), fc.constantFrom(SENTENCE, 'x', '😀 ')).map(([n, unit]) => ofLength(n, unit)) },
  { weight: 3, arbitrary: fc.tuple(fc.integer({ min: maxCustomerMessageLength - 3, max: maxCustomerMessageLength + 3 }), fc.constantFrom(SENTENCE, 'x', '😀', ' a')).map(([n, unit]) => ofLength(n, unit)) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(' ', '\n'), fc.integer({ min: 1, max: 20 })).map(([ws, n]) => `${ws.repeat(n)}${ofLength(maxCustomerMessageLength, 'y')}${ws.repeat(n)}`) },
  { weight: 1, arbitrary: fc.integer({ min: maxCustomerMessageLength + 4, max: 3 * maxCustomerMessageLength }).map((n) => ofLength(n, SENTENCE)) },
);

/** Always tried, whatever the seed: the shapes the issue names. */
const NAMED_CASES = [
  '',
  '   ',
  '\u0000',
  'hello\u0000there',
  '\ud800',
  'half an emoji \ud83d',
  '\u0001\u0002\u0003 control',
  '😀'.repeat(50),
  'مرحبا، أريد التحدث إلى شخص',
  ofLength(5_001, SENTENCE),
  ofLength(7_500, SENTENCE),
  ofLength(maxCustomerMessageLength, SENTENCE),
  ofLength(maxCustomerMessageLength, '😀'),
  ofLength(maxCustomerMessageLength + 1, SENTENCE),
  ofLength(maxCustomerMessageLength + 2, '😀'),
];

/** The channel each example flow accepts first. */
const CHANNEL: Record<ExampleFlowName, 'chat' | 'voice'> = {
  'ai-first-human-backup': 'chat',
  'human-first-ai-assist': 'chat',
  'parallel-ai-and-human': 'voice',
  'after-hours': 'chat',
  'overflow-on-queue-wait': 'chat',
};

describe('no customer message kills a contact or yields a 5xx (property-based, through the API)', () => {
  let t: TestApp;
  const service = () => ({ Authorization: `Bearer ${t.token('service')}` });
  /** The contact each example flow currently takes messages on (a new one once it ends). */
  const live = new Map<ExampleFlowName, string>();
  /** Every contact the property spoke to. */
  const used = new Set<string>();

  beforeAll(async () => {
    t = await startTestApp({}, { worker: true, background: ['inboundContacts', 'routingMaintenance'] });
    await seedExampleCatalog(t);
    const designer = { Authorization: `Bearer ${t.token('designer')}` };
    // Without their flow tests, which publishing would run (those have a suite of their own).
    for (const name of EXAMPLE_FLOWS) {
      await t.http.post('/v1/flows').set(designer).send({ ...exampleFlow(name), id: `robust-${name}`, tests: [] }).expect(201);
      await t.http.post(`/v1/flows/robust-${name}/publish`).set(designer).send({}).expect(201);
    }
  }, 120_000);
  afterAll(() => t?.close());

  async function startContact(flow: ExampleFlowName, firstMessage?: string): Promise<Response> {
    return t.http
      .post('/v1/contacts')
      .set(service())
      .send({ flowId: `robust-${flow}`, channel: CHANNEL[flow], customer: { id: uniqueName('robust'), name: 'Robin' }, ...(firstMessage === undefined ? {} : { firstMessage }) });
  }

  async function contactOf(flow: ExampleFlowName): Promise<string> {
    const existing = live.get(flow);
    if (existing) return existing;
    const started = await startContact(flow);
    expect(started.status).toBe(201);
    const contactId: string = started.body.contactId;
    live.set(flow, contactId);
    used.add(contactId);
    return contactId;
  }

  /** The contact answers its state query and has not failed (running, or ended with a real outcome). */
  async function expectAlive(contactId: string, after: string): Promise<{ status: string; outcome: string | null }> {
    const state = await t.http.get(`/v1/contacts/${contactId}`).set(service());
    expect({ after, status: state.status, code: state.body.code }).toEqual({ after, status: 200, code: undefined });
    expect({ after, status: state.body.status, outcome: state.body.outcome }).toEqual({
      after,
      status: expect.stringMatching(/^(running|completed|continued_as_new)$/),
      outcome: state.body.outcome === null ? null : expect.not.stringMatching(/^failed$/),
    });
    return { status: state.body.status, outcome: state.body.outcome };
  }

  /** Checks one answer against what the text deserves. */
  function expectAnswer(res: Response, text: string, where: string): void {
    const verdict = verdictOf(text);
    const what = { where, length: text.length, verdict, status: res.status, code: res.body?.code, message: res.body?.message };
    expect({ ...what, status: res.status < 500 }).toEqual({ ...what, status: true });
    if (verdict === 'ok') {
      // Accepted; or the contact had ended by itself (a resolved conversation takes no more messages).
      expect({ ...what, ok: res.status === 200 || (res.status === 409 && res.body.code === 'contact_ended') }).toEqual({ ...what, ok: true });
    } else {
      expect({ ...what, ok: res.status === 400 && res.body.code === verdict && typeof res.body.message === 'string' && typeof res.body.requestId === 'string' }).toEqual({ ...what, ok: true });
      if (verdict === 'message_too_long') {
        expect(res.body.message).toContain(`more than the ${maxCustomerMessageLength} characters a message may have`);
        expect(res.body.details).toEqual({ limit: maxCustomerMessageLength, length: text.trim().length });
      }
    }
  }

  it('customer messages: 4xx only for what is invalid, never a 5xx; every contact keeps answering and none fails', async () => {
    const flows = [...EXAMPLE_FLOWS];
    const examples = NAMED_CASES.flatMap((text) => flows.flatMap((flow) => [true, false].map((fresh) => [flow, text, fresh] as [ExampleFlowName, string, boolean])));
    await fc.assert(
      // `fresh`: the message goes to a new contact (its first step: a bot, a classification, a wait…),
      // else to the flow's current one (further along: in a queue, a survey, with a person).
      fc.asyncProperty(fc.constantFrom(...flows), messageText, fc.boolean(), async (flow, text, fresh) => {
        if (fresh) live.delete(flow);
        const contactId = await contactOf(flow);
        const res = await t.http.post(`/v1/contacts/${contactId}/messages`).set(service()).send({ text });
        expectAnswer(res, text, `${flow} ${contactId}`);
        const { status } = await expectAlive(contactId, `a message of ${text.length} characters to ${flow}`);
        if (status !== 'running' || res.status === 409) live.delete(flow);
      }),
      // Examples count towards numRuns: the named cases, then RUNS generated ones.
      { numRuns: examples.length + RUNS, examples, ...SEED },
    );
    // Whatever the contacts went through, none of them failed.
    for (const contactId of used) await expectAlive(contactId, 'the whole run');
  }, 900_000);

  it('the first message of a contact: the same limit and the same answers; a started contact answers and does not fail', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...EXAMPLE_FLOWS), messageText, async (flow, text) => {
        const res = await startContact(flow, text);
        const what = { flow, length: text.length, verdict: verdictOf(text), status: res.status, code: res.body?.code };
        expect({ ...what, serverError: res.status >= 500 }).toEqual({ ...what, serverError: false });
        if (verdictOf(text) === 'ok') {
          expect(res.status).toBe(201);
          await expectAlive(res.body.contactId, `a first message of ${text.length} characters to ${flow}`);
        } else {
          expectAnswer(res, text, `start ${flow}`);
        }
      }),
      { ...SEED, numRuns: NAMED_CASES.length + Math.ceil(RUNS / 2), examples: NAMED_CASES.map((text) => ['ai-first-human-backup', text] as [ExampleFlowName, string]) },
    );
  }, 900_000);

  it('an inbound request over the limit is dead-lettered with the reason and starts nothing; one at the limit starts; whitespace is no first message', async () => {
    await t.backgroundReady();
    const kafka = new Kafka({ clientId: 'api-test-inbound-limit', brokers: t.config.kafka.brokers, logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    const send = async (external: string, text: string) => {
      const event = inboundEvents.contactRequested(
        { id: uniqueName('evt'), source: 'urn:test:contact-centre' },
        { externalSystem: 'acme-cc', externalContactId: external, flowId: 'robust-ai-first-human-backup', channel: 'chat', customer: { id: external }, firstMessage: { text: 'hello' } },
      );
      // The builder refuses what the contract refuses: the text goes in afterwards, as a careless producer would send it.
      const sent = { ...event, data: { ...event.data, firstMessage: { text } } };
      await producer.send({ topic: t.config.events.topics.contactsInbound, messages: [{ key: event.subject, value: JSON.stringify(sent) }] });
      return event.id;
    };
    const [tooLong, atLimit, blank] = [uniqueName('long'), uniqueName('limit'), uniqueName('blank')];
    const tooLongEvent = await send(tooLong, ofLength(maxCustomerMessageLength + 1, SENTENCE));
    await send(atLimit, ofLength(maxCustomerMessageLength, SENTENCE));
    await send(blank, '   ');
    await producer.disconnect();

    for (const external of [atLimit, blank]) {
      const contactId = inboundContactId('acme-cc', external);
      await waitFor(async () => (await t.http.get(`/v1/contacts/${contactId}`).set(service())).status === 200, { what: `the inbound contact ${external} to start`, timeoutMs: 30_000 });
      await expectAlive(contactId, `the inbound request ${external}`);
    }
    const customerLines = async (external: string) =>
      (await t.http.get(`/v1/contacts/${inboundContactId('acme-cc', external)}/transcript`).set(service()).expect(200)).body.transcript.filter((e: { from: string }) => e.from === 'customer');
    expect(await customerLines(blank)).toEqual([]);
    const letter = await waitFor(async () => {
      const rows = await t.sql<{ error: string; payload: string }>(`SELECT error, payload FROM events.dead_letters WHERE payload LIKE $1`, [`%${tooLongEvent}%`]);
      return rows[0];
    }, { what: 'the request over the limit to be dead-lettered' });
    expect(letter.error).toContain(`firstMessage.text is longer than the ${maxCustomerMessageLength} characters a message may have`);
    expect((await t.http.get(`/v1/contacts/${inboundContactId('acme-cc', tooLong)}`).set(service())).status).toBe(404);
  }, 120_000);
});
