/**
 * What the bot and the classify node detect (issue 19: #6, #7, #9, #10, #11 and the escape hatch):
 * vulnerable customers, frustration in words, a request for a person in any phrasing, repeat contacts
 * from Tandem's own history, and order numbers in common formats — stateless where the worker's
 * escape hatch needs it (`classifyMessage` at waits and surveys), and in whole conversations.
 */
import fc from 'fast-check';
import { analysedText, classifyMessage, runBotTurn, VirtualAgentInputError, type BotOptionsInput } from '../src';
import { talk } from './support/conversation';

const now = '2026-03-04T10:00:00Z';
const kinds = async (message: string, customer?: Parameters<typeof classifyMessage>[0]['customer']) =>
  (await classifyMessage({ message, now, ...(customer ? { customer } : {}) })).nlu.triggers;

describe('vulnerable customers (#6)', () => {
  it('hands the hospice conversation to a person as vulnerable_customer, never password_reset → resolved', async () => {
    const message = 'My dad is in hospice and I handle his account, he keeps getting charged';
    const { nlu, analysis } = await classifyMessage({ message, now });
    expect(nlu.triggers).toContain('vulnerable_customer');
    expect(analysis.triggers.find((t) => t.kind === 'vulnerable_customer')?.detail).toBe('illness');
    expect(nlu.intent).not.toBe('password_reset');
    const [turn] = await talk({}, [[message, { outcome: 'escalate', escalation: 'vulnerable_customer' }]]);
    expect(turn!.nlu.intent).toBe('billing_dispute');
  });

  it.each([
    ['my mum is in palliative care', 'illness'],
    ['he is receiving end of life care', 'illness'],
    ['my father has just moved into a nursing home', 'illness'],
  ])('"%s" is vulnerable_customer (%s)', async (message, detail) => {
    const { analysis } = await classifyMessage({ message, now });
    expect(analysis.triggers).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'vulnerable_customer', detail })]));
  });
});

describe('frustration without a request (#11)', () => {
  it.each(['I already tried resetting it three times', 'why is this so hard', 'nothing works', 'this is so frustrating, nothing works', "I've rung three times today and nobody answers", 'I give up'])(
    '"%s" is frustration, found statelessly (for a survey or a wait) and not mistaken for a complaint',
    async (message) => {
      const triggers = await kinds(message);
      expect(triggers).toContain('frustration');
      expect(triggers).not.toContain('complaint');
    },
  );

  it('escalates on frustration told after an answer, not on the answer', async () => {
    await talk({}, [
      ['how do I update my card details?', { outcome: 'continue', awaiting: true }],
      ['why is this so hard', { outcome: 'escalate', escalation: 'frustration' }],
    ]);
  });

  it('does not call a plain question with numbers frustration', async () => {
    for (const message of ['I was charged three times for one order', 'can I pay in three instalments', 'what time do you open'])
      expect({ message, triggers: await kinds(message) }).toEqual({ message, triggers: expect.not.arrayContaining(['frustration']) });
  });
});

describe('a request for a person, in any phrasing, anywhere (escape hatch)', () => {
  const phrasings = [
    'I want to talk to a real person please',
    'can I speak to someone',
    'is there a human I can talk to',
    'put me through to your team',
    "I'd rather deal with a person",
    'get me someone who actually knows what they are doing',
    'connect me to customer service',
    'let me talk to your manager',
    'agent',
    'REPRESENTATIVE!!',
  ];
  it.each(phrasings)('"%s" is a request for a person, statelessly (classifyMessage at a wait or a survey)', async (message) => {
    expect(await kinds(message)).toContain('human_request');
  });

  it('finds the sensitive topics statelessly too', async () => {
    expect(await kinds('I will take you to court over this')).toContain('legal_threat');
    expect(await kinds('I am reporting you to the ombudsman')).toContain('regulatory');
    expect(await kinds('I want to make a formal complaint')).toContain('complaint');
    expect(await kinds('my husband passed away last week')).toContain('vulnerable_customer');
  });

  it('honours a request for a person while the bot waits for an order number, and after an answer', async () => {
    const slots: BotOptionsInput = { slots: [{ name: 'order', entity: 'order_number', prompt: 'What is your order number?', intents: ['order_status'] }] };
    await talk(slots, [
      ['where is my parcel?', { reply: 'What is your order number?' }],
      ['just let me talk to a human', { outcome: 'escalate', escalation: 'human_request' }],
    ]);
    await talk({}, [
      ['what are your opening hours?', { awaiting: true }],
      ['I want to talk to a real person please', { outcome: 'escalate', escalation: 'human_request' }],
    ]);
  });
});

describe('repeat contacts from Tandem\'s own history (#7, #9)', () => {
  const contact = (daysAgo: number, extra: Record<string, unknown>) => ({
    contactId: `contact-${daysAgo}`,
    endedAt: new Date(Date.parse(now) - daysAgo * 86_400_000).toISOString(),
    ...extra,
  });

  it('fires repeat_contact once the intent matches an earlier contact within the window, naming it', async () => {
    const customer = { id: 'c-1', attributes: { recentContacts: [contact(2, { intent: 'order_status', outcome: 'resolved_by_bot' }), contact(20, { intent: 'order_status' })] } };
    const turns = await talk({ escalateOn: ['human_request'] }, [
      ['hello', { outcome: 'continue' }],
      ['where is my parcel? it still has not come', { outcome: 'continue' }],
    ], { customer });
    expect(turns[0]!.triggers.map((t) => t.kind)).not.toContain('repeat_contact');
    const repeat = turns[1]!.triggers.find((t) => t.kind === 'repeat_contact');
    expect(repeat).toMatchObject({ reason: 'contacted us about order status 2 days ago (contact contact-2, resolved_by_bot)', evidence: [{ messageIndex: 2, words: ['order_status', 'contact-2'] }] });
    await talk({ escalateOn: ['human_request', 'repeat_contact'] }, [['where is my parcel? it still has not come', { outcome: 'escalate', escalation: 'repeat_contact' }]], { customer });
  });

  it('matches a shared topic, honours the window option, and skips what it cannot read', async () => {
    const billing = { id: 'c-2', attributes: { recentContacts: [contact(10, { intent: 'billing_question', topics: ['billing'] }), { contactId: 'broken', endedAt: 'yesterday' }, 'junk'] } };
    const message = 'why was I charged twice this month?';
    const inWeek = await runBotTurn({ options: { escalateOn: [] }, message, now, customer: billing });
    expect(inWeek.nlu.triggers).not.toContain('repeat_contact');
    const inFortnight = await runBotTurn({ options: { escalateOn: [], repeatContactWindowDays: 14 }, message, now, customer: billing });
    expect(inFortnight.triggers.find((t) => t.kind === 'repeat_contact')?.reason).toMatch(/^contacted us about billing 10 days ago \(contact contact-10\)$/);
  });

  it('keeps honouring the caller\'s word and the old count, and tells the classify node too (for a flow rule)', async () => {
    expect((await runBotTurn({ options: {}, message: 'hi', now, repeatContact: true })).nlu.triggers).toContain('repeat_contact');
    expect(await kinds('hi', { id: 'c-3', attributes: { recentContacts: 3 } })).toContain('repeat_contact');
    const customer = { id: 'c-4', tier: 'gold', attributes: { recentContacts: [contact(1, { intent: 'refund' })] } };
    const result = await classifyMessage({ message: 'where is my refund?', now, customer });
    expect(result.nlu.triggers).toEqual(expect.arrayContaining(['repeat_contact', 'high_value']));
    expect(result.contactTriggers.find((t) => t.kind === 'repeat_contact')?.reason).toMatch(/contact-1/);
    expect(result.analysis.triggers.map((t) => t.kind)).not.toContain('repeat_contact');
  });
});

describe('order numbers in common formats (#10)', () => {
  it.each([
    ['where is order A-1042', 'A1042'],
    ['Where is my order ORD-55512?', 'ORD55512'],
    ['my order 12345678 has not arrived', '12345678'],
    ['12345678', '12345678'],
    ['order #48213 please', '48213'],
  ])('finds the order number in "%s"', async (message, value) => {
    const { analysis } = await classifyMessage({ message, now });
    expect(analysis.entities).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'order_number', value })]));
  });

  it('does not read a phone number as an order number', async () => {
    const { analysis } = await classifyMessage({ message: 'call me on 07700 900123', now });
    expect(analysis.entities.map((e) => e.type)).toEqual(['phone']);
  });

  it('never asks for an order number the customer already gave, in any format', async () => {
    const slots: BotOptionsInput = {
      intents: [{ name: 'order_status', phrases: ['where is my order'], reply: 'Let me look up order {{ctx.orderNumber}}.' }],
      slots: [{ name: 'order', entity: 'order_number', prompt: 'What is your order number?', intents: ['order_status'] }],
    };
    for (const message of ['where is order A-1042?', 'I ordered on Monday, it is 12345678, where is it?']) {
      const [turn] = await talk(slots, [[message, { outcome: 'continue', awaiting: true, reply: 'Let me look up order {{ctx.orderNumber}}.' }]]);
      expect(turn!.slots.order).toMatch(/^(A1042|12345678)$/);
    }
    await talk(slots, [
      ['where is my order?', { reply: 'What is your order number?' }],
      ['it is 123456789', { awaiting: true }],
    ]);
  });
});

describe('long messages (#7)', () => {
  it('answers a message of 10,000 characters, analysing its start and end, with bounded evidence and state', async () => {
    const story = 'I ordered a sofa and the delivery was booked for a Tuesday morning. '.repeat(150);
    const message = `${story}Please put me through to a person.`.slice(-10_000);
    expect(message.length).toBe(10_000);
    const turn = await runBotTurn({ options: {}, message, now });
    expect(turn).toMatchObject({ outcome: 'escalate', escalation: { kind: 'human_request' } });
    expect(turn.escalation!.evidence[0]!.text.length).toBeLessThanOrEqual(280);
    expect(JSON.stringify(turn.state).length).toBeLessThan(4_000);
    expect(analysedText(message).length).toBeLessThan(2_100);
  });

  it('never throws on any text up to 10,000 characters: unicode, emoji, control characters', async () => {
    const text = fc.oneof(
      fc.string({ maxLength: 200, unit: 'grapheme' }),
      fc.string({ minLength: 5_000, maxLength: 10_000, unit: 'binary' }),
      fc.constantFrom('😡😡😡', '\u0000\u0007\u001b[31m', 'ﷺ'.repeat(3_000), ' \n\t '),
    );
    await fc.assert(
      fc.asyncProperty(text, async (message) => {
        const run = async () => {
          const turn = await runBotTurn({ options: {}, message, now });
          await classifyMessage({ message, now });
          return turn;
        };
        if (message.trim() === '') await expect(run()).rejects.toThrow(VirtualAgentInputError);
        else expect(['continue', 'escalate', 'resolved', 'no_match']).toContain((await run()).outcome);
      }),
      { numRuns: 25, seed: 19 },
    );
  });
});
