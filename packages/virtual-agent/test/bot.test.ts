import { nluSnapshotSchema } from '@tandem/contracts';
import { botGreeting, conversationStateSchema, runBotTurn, VirtualAgentInputError, type BotOptionsInput } from '../src';
import { converse } from './support/conversation';

const orderSlot: BotOptionsInput = {
  slots: [{ name: 'orderNumber', entity: 'order_number', prompt: 'What is your order number?', reprompt: 'It looks like AB123456. What is yours?', maxReprompts: 1, intents: ['order_status'] }],
};

describe('runBotTurn', () => {
  it('answers from the best knowledge article, says which, and resolves only when the customer confirms', async () => {
    const { turns, last } = await converse({}, ['what time do you open on saturday?', 'yes, thanks']);
    expect(turns[0]!.articleId).toBe('kb-opening-hours');
    expect(turns[0]!.reply).toMatch(/Saturday 9am/);
    expect(turns[0]!).toMatchObject({ outcome: 'continue', awaitingConfirmation: true });
    expect(last).toMatchObject({ outcome: 'resolved', awaitingConfirmation: false });
    expect(last.state.tried).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'knowledge_article', succeeded: true, customerAnswer: 'yes, thanks' })]));
  });

  it('fills a slot, re-prompting when the answer lacks it, then answers the intent and waits for confirmation', async () => {
    const { turns, last } = await converse(orderSlot, ['where is my parcel?', 'I think it was last week', 'it is AB-554321']);
    expect(turns.map((t) => t.reply)).toEqual(['What is your order number?', 'It looks like AB123456. What is yours?', expect.stringMatching(/tracking link/)]);
    expect(turns.map((t) => t.awaitingConfirmation)).toEqual([false, false, true]);
    expect(last).toMatchObject({ outcome: 'continue', articleId: 'kb-order-tracking', slots: { orderNumber: 'AB554321' } });
    expect(last.nlu.intent).toBe('order_status');
  });

  it('takes a slot given up front without asking', async () => {
    const { turns, last } = await converse(orderSlot, ['where is my order AB778899?']);
    expect(turns).toHaveLength(1);
    expect(last).toMatchObject({ outcome: 'continue', awaitingConfirmation: true });
    expect(last.slots.orderNumber).toBe('AB778899');
  });

  it('hands over as bot_failure after the maximum re-prompts, whatever the node escalates on, naming the unmet need', async () => {
    const messages = ['where is my parcel?', 'not sure', 'no idea sorry'];
    for (const escalateOn of [['human_request'] as const, ['bot_failure'] as const]) {
      const { last } = await converse({ ...orderSlot, escalateOn: [...escalateOn] }, messages);
      expect(last.outcome).toBe('escalate');
      expect(last.escalation).toMatchObject({ kind: 'bot_failure', reason: expect.stringMatching(/the order number after 2 tries/) });
      expect(last.escalation?.evidence.map((e) => e.text)).toEqual(['not sure', 'no idea sorry']);
      expect(last.state.stuck).toMatchObject({ need: 'the order number' });
    }
  });

  it('escalates on a request for a human, with the words as evidence', async () => {
    const { last } = await converse({}, ['hi', 'can I talk to a real person please']);
    expect(last.outcome).toBe('escalate');
    expect(last.escalation).toMatchObject({ kind: 'human_request', evidence: [{ messageIndex: 2, words: expect.arrayContaining([expect.stringMatching(/real person/)]) }] });
    expect(last.state.status).toBe('escalated');
  });

  it('escalates on a human request even when the node lists no triggers', async () => {
    const { last } = await converse({ escalateOn: [] }, ['agent']);
    expect(last.outcome).toBe('escalate');
  });

  it('treats "operator" said again as a request for a human', async () => {
    const { last } = await converse({ escalateOn: [] }, ['OPERATOR', 'operator']);
    expect(last.escalation?.kind).toBe('human_request');
  });

  it('fires frustration on a repeated message', async () => {
    const { last } = await converse({ escalateOn: ['frustration'] }, ['hello?', 'Hello?']);
    expect(last.outcome).toBe('escalate');
    expect(last.escalation).toMatchObject({ kind: 'frustration', reason: expect.stringMatching(/repeated/) });
  });

  it('fires low confidence after N misunderstandings: escalates if listed, else offers a person, then hands over as bot_failure', async () => {
    const gibberish = ['zxcv qwer', 'plorp snarf', 'blorb'];
    const escalating = await converse({ lowConfidenceLimit: 2 }, gibberish);
    expect(escalating.turns).toHaveLength(2);
    expect(escalating.last.escalation?.kind).toBe('low_confidence');
    const notListed = await converse({ lowConfidenceLimit: 2, escalateOn: ['human_request'] }, gibberish);
    expect(notListed.turns.map((t) => t.reply)).toEqual([
      'Sorry, I did not quite get that. Could you say it another way?',
      'I am sorry, I am still not sure what you need. Would you like me to bring in a colleague?',
      expect.stringMatching(/^I am sorry I could not sort this out\. I will bring in a colleague/),
    ]);
    expect(notListed.last.escalation).toMatchObject({ kind: 'bot_failure', evidence: gibberish.map((text) => expect.objectContaining({ text })) });
    expect(notListed.last.nlu.triggers).toContain('low_confidence');
  });

  it('acknowledges circumstances told without a request instead of "I did not get that", and does not count them as a miss', async () => {
    const options: BotOptionsInput = { escalateOn: ['human_request'], lowConfidenceLimit: 1 };
    const { turns, last } = await converse(options, ['my brother died in a car accident last month', 'I need to close his account']);
    expect(turns[0]!.reply).toMatch(/sorry to hear/);
    expect(turns[0]!.outcome).toBe('continue');
    expect(turns[0]!.state.lowConfidenceStreak).toBe(0);
    expect(turns[0]!.nlu.topics).toContain('vulnerable_customer:bereavement');
    expect(last).toMatchObject({ outcome: 'continue', awaitingConfirmation: true, articleId: expect.stringMatching(/^kb-(bereavement|cancellation)$/) });
    expect(last.nlu.intent).toBe('cancel_service');
  });

  it('detects a worsening sentiment trend', async () => {
    const pizza: BotOptionsInput = {
      useDefaultIntents: false,
      intents: [
        { name: 'order_pizza', phrases: ['I want to order a pizza', 'one large margherita please'] },
        { name: 'pizza_menu', phrases: ['what toppings do you have', 'show me the menu'] },
      ],
      knowledge: { enabled: false },
      lowConfidenceLimit: 5,
      escalateOn: ['negative_sentiment'],
    };
    const { last } = await converse(pizza, ['hello', 'my broadband keeps dropping out and it is really annoying', 'still broken, this is terrible and I am fed up']);
    expect(last.escalation?.kind).toBe('negative_sentiment');
    expect(last.state.sentiment.length).toBe(3);
  });

  it('reports high-value and repeat contacts, escalating only when the node lists them', async () => {
    const customer = { id: 'c-1', tier: 'vip', attributes: { recentContacts: 3 } };
    const reported = await converse({}, ['what are your opening hours'], { customer });
    expect(reported.last.outcome).toBe('continue');
    expect(reported.last.nlu.triggers).toEqual(expect.arrayContaining(['high_value', 'repeat_contact']));
    const escalated = await converse({ escalateOn: ['high_value'] }, ['what are your opening hours'], { customer });
    expect(escalated.last.escalation?.reason).toMatch(/vip/);
  });

  it('stops at max turns with no_match', async () => {
    const { turns, last } = await converse({ maxTurns: 2, lowConfidenceLimit: 5, knowledge: { enabled: false } }, ['hello', 'hello again', 'hi']);
    expect(turns).toHaveLength(2);
    expect(last.outcome).toBe('no_match');
    expect(last.state.stopReason).toMatch(/2 turns/);
  });

  it('is a pure function of its input: same input, same output, and the state is compact JSON', async () => {
    const input = { options: orderSlot, state: null, message: 'Where is order AB123456? I paid £20 yesterday!!', now: '2026-03-04T10:00:00Z' };
    const a = await runBotTurn(input);
    const b = await runBotTurn(JSON.parse(JSON.stringify(input)));
    expect(JSON.parse(JSON.stringify(a))).toEqual(JSON.parse(JSON.stringify(b)));
    expect(conversationStateSchema.parse(JSON.parse(JSON.stringify(a.state)))).toEqual(a.state);
    expect(nluSnapshotSchema.parse(a.nlu)).toEqual(a.nlu);
    expect(JSON.stringify(a.state).length).toBeLessThan(2000);
  });

  it('continues a conversation whose state was saved before the repair and handoff fields existed (a running contact)', async () => {
    const first = await runBotTurn({ options: {}, message: 'what are your opening hours?', now: '2026-03-04T10:00:00Z' });
    const { question: _q, failures: _f, offeredPerson: _o, greeted: _g, stuck: _s, ...older } = first.state;
    const next = await runBotTurn({ options: {}, state: older as typeof first.state, message: 'thanks', now: '2026-03-04T10:01:00Z' });
    expect(next.outcome).toBe('resolved');
    expect(next.state).toMatchObject({ failures: [], offeredPerson: false, stuck: null });
  });

  it('answers bad input with a specific error', async () => {
    const now = '2026-03-04T10:00:00Z';
    await expect(runBotTurn({ options: { maxTurns: 0 }, message: 'hi', now })).rejects.toThrow(/options\.maxTurns/);
    await expect(runBotTurn({ options: { escalateOn: ['angry'] as never }, message: 'hi', now })).rejects.toThrow(/options\.escalateOn\.0/);
    await expect(runBotTurn({ options: {}, message: '   ', now })).rejects.toThrow(/message: is empty/);
    await expect(runBotTurn({ options: {}, message: 'hi', now: 'yesterday' })).rejects.toThrow(/now: expected an ISO-8601 time/);
    await expect(runBotTurn({ options: {}, state: { v: 1 } as never, message: 'hi', now })).rejects.toThrow(VirtualAgentInputError);
    const ended = await runBotTurn({ options: {}, message: 'bye', now });
    expect(ended).toMatchObject({ outcome: 'resolved', reply: 'Thanks for getting in touch.' });
    await expect(runBotTurn({ options: {}, state: ended.state, message: 'hi', now })).rejects.toThrow(/already ended \(resolved\)/);
  });

  it('greets with the configured text', () => {
    expect(botGreeting({ texts: { greeting: 'Welcome to Acme.' } })).toBe('Welcome to Acme.');
  });
});
