/**
 * The conversation guarantees of issue 19 on the bot's side, as whole conversations: what the customer
 * says, turn by turn, and what the bot does in reply.
 */
import type { NluSnapshot } from '@tandem/contracts';
import { botTextsSchema, buildHandoffPackage, endAfterQuietPeriod, KnowledgeBase, runBotTurn, type BotOptionsInput, type BotTurnResult } from '../src';
import { talk } from './support/conversation';

/** The shipped "AI first, human backup" support bot, as the worker maps its config. */
const supportBot: BotOptionsInput = {
  nodeId: 'support-bot',
  nodeLabel: 'Support bot',
  intents: [{ name: 'order_status', phrases: ['where is my order', 'has my parcel shipped', 'track my order', 'when will my package arrive'], reply: 'Let me look up order {{ctx.orderNumber}} for you.' }],
  knowledge: { enabled: true, answerThreshold: 0.65 },
  confidenceThreshold: 0.6,
  escalateOn: ['human_request', 'negative_sentiment', 'frustration', 'low_confidence', 'complaint', 'legal_threat', 'regulatory', 'vulnerable_customer', 'repeat_contact', 'high_value'],
  slots: [{ name: 'order', entity: 'order_number', prompt: 'What is your order number?', maxReprompts: 0, required: false, intents: ['order_status'] }],
};
/** A bot that does not escalate on low confidence, to see clarification and the offer of a person. */
const patientBot: BotOptionsInput = { escalateOn: ['human_request', 'frustration', 'legal_threat', 'vulnerable_customer'] };
const GREETINGS = /virtual assistant|how can i help you today/i;

/** A handoff built by an escalate step that no bot came before. */
function handoffPackage({ nlu }: { nlu: NluSnapshot }) {
  return buildHandoffPackage({ contactId: 'c-9', channel: 'chat', customer: { id: 'cust-9' }, state: null, transcript: [], now: '2026-03-04T10:00:00Z', nlu });
}

describe('no double greeting (#1)', () => {
  it('answers the problem that follows a "hi" instead of greeting again', async () => {
    const [turn] = await talk(supportBot, [['hi, my internet keeps dropping every evening', { outcome: 'continue', awaiting: true, articleId: 'kb-connection-problems', reply: /restart your router/ }]]);
    expect(turn!.reply).not.toMatch(GREETINGS);
  });

  it('meets a pure greeting after the flow greeted with a short prompt, and greets in full only when nobody has', async () => {
    await talk(supportBot, [
      ['hello', { outcome: 'continue', reply: 'Hello! Tell me in a few words what you need help with.' }],
      ['what time do you open on saturday?', { awaiting: true, reply: /Saturday 9am/ }],
    ]);
    await talk(
      patientBot,
      [
        ['hi', { reply: 'Hi, I am the virtual assistant. How can I help you today?' }],
        ['hello there', { reply: 'Hello! Tell me in a few words what you need help with.' }],
      ],
      { greeted: false },
    );
  });
});

describe('containment needs evidence (#2, #4, #5)', () => {
  it.each(['yes thanks', 'that helped', 'perfect', 'thanks, bye', 'yes please'])('resolves only once the customer confirms an earlier answer: "%s"', async (confirmation) => {
    const [answer, confirmed] = await talk(supportBot, [
      ['how much notice do I need to give to cancel?', { outcome: 'continue', awaiting: true, articleId: 'kb-cancellation' }],
      [confirmation, { outcome: 'resolved', awaiting: false, reply: 'You are welcome.' }],
    ]);
    expect(answer!.state.status).toBe('active');
    expect(confirmed!.state.tried.find((a) => a.kind === 'knowledge_article')).toMatchObject({ succeeded: true, customerAnswer: confirmation });
  });

  it('never resolves in the same turn as its own answer, a promise or a slot prompt', async () => {
    const firstMessages = [
      'why was I charged twice this month?',
      'Where is my order ORD-55512?',
      'has my parcel shipped yet?',
      'what are your opening hours?',
      'I want to cancel my contract',
      'can I get a refund?',
      'hi',
      'asdf qwerty',
    ];
    for (const message of firstMessages) {
      const turn = await runBotTurn({ options: supportBot, message, now: '2026-03-04T10:00:00Z' });
      expect({ message, outcome: turn.outcome }).toEqual({ message, outcome: expect.not.stringMatching(/^resolved$/) });
      expect(turn.reply).not.toMatch(/let me look into it|glad i could help|i have everything i need/i);
    }
  });

  it('takes no goodbye as evidence: "thanks, that helped" to a question it never understood is no containment', async () => {
    await talk(patientBot, [
      ['zxcv qwer', { reply: /^Sorry, I did not quite get that/ }],
      ['thank you, that helped', { outcome: 'no_match', reply: 'Thanks for getting in touch.' }],
    ]);
    await talk(patientBot, [
      ['hello', { outcome: 'continue' }],
      ['bye', { outcome: 'resolved', reply: 'Thanks for getting in touch.' }],
    ]);
  });

  it('answers a double charge and waits; the quiet period, not the bot, ends it (#4)', async () => {
    const [answer] = await talk(supportBot, [['why was I charged twice this month?', { outcome: 'continue', awaiting: true, articleId: 'kb-duplicate-charges' }]]);
    const quiet = endAfterQuietPeriod(answer!.state);
    expect(quiet).toMatchObject({ status: 'resolved', awaitingConfirmation: null, stuck: null });
    expect(quiet.tried.find((a) => a.kind === 'knowledge_article')).toMatchObject({ outcome: expect.stringMatching(/no reply within the quiet period/) });
    expect(answer!.state.status).toBe('active');
  });

  it('answers a "resolves" intent and awaits confirmation too; without any answer it hands the intent back to the flow, saying nothing', async () => {
    const invoice = { name: 'invoice_copy', phrases: ['send me a copy of my invoice', 'I need my last bill', 'where can I download my invoice'], resolves: true };
    await talk({ intents: [{ ...invoice, reply: 'You can download every invoice from Account › Billing.' }] }, [
      ['can you send me a copy of my invoice?', { outcome: 'continue', awaiting: true, reply: 'You can download every invoice from Account › Billing.' }],
      ['brilliant, thank you', { outcome: 'resolved' }],
    ]);
    await talk({ intents: [invoice], knowledge: { enabled: false } }, [['can you send me a copy of my invoice?', { outcome: 'resolved', reply: '', awaiting: false }]]);
  });

  it('ends slot filling with the intent\'s answer, never "I have everything I need" (#5)', async () => {
    const [upFront] = await talk(supportBot, [['Where is my order ORD-55512?', { outcome: 'continue', awaiting: true, reply: 'Let me look up order {{ctx.orderNumber}} for you.' }]]);
    expect(upFront!.slots).toEqual({ order: 'ORD55512' });
    const asked = await talk(supportBot, [
      ['has my parcel shipped yet?', { outcome: 'continue', awaiting: false, reply: 'What is your order number?' }],
      ["it's A-1042", { outcome: 'continue', awaiting: true, reply: 'Let me look up order {{ctx.orderNumber}} for you.' }],
      ['thanks!', { outcome: 'resolved' }],
    ]);
    expect(asked[1]!.slots).toEqual({ order: 'A1042' });
    // An optional detail the customer does not have: a general answer instead of the one that needs it.
    await talk(supportBot, [
      ['where is my package?', { reply: 'What is your order number?' }],
      ["I don't have the number to hand", { outcome: 'continue', awaiting: true, articleId: 'kb-order-tracking' }],
    ]);
  });
});

describe('negative feedback leads to repair, never goodbye (#2)', () => {
  it.each(['no', 'that did not help', 'wrong', 'still broken', "that's not what I asked"])('"%s" after an answer: repair, not goodbye', async (feedback) => {
    const [, repaired] = await talk(supportBot, [
      ['how long do refunds take to come through?', { awaiting: true, articleId: 'kb-refund-policy' }],
      [feedback, { outcome: 'continue', awaiting: false, reply: /^Sorry that did not help\. Could you tell me a bit more .* bring in a colleague\.$/ }],
    ]);
    expect(repaired!.reply).not.toMatch(/glad|welcome|goodbye/i);
    expect(repaired!.state.tried.find((a) => a.kind === 'knowledge_article')).toMatchObject({ succeeded: false, outcome: 'the customer said it did not help', customerAnswer: feedback });
  });

  it('hands over as bot_failure on the second failure of the same need, with the loop as evidence', async () => {
    const turns = await talk(supportBot, [
      ['how do I reset my password?', { awaiting: true, articleId: 'kb-password-reset' }],
      ['that did not help', { outcome: 'continue' }],
      ['the reset email never arrives, I have checked my spam folder', { outcome: 'escalate', escalation: 'bot_failure', reply: /^I am sorry I could not sort this out\. I will bring in a colleague/ }],
    ]);
    const last = turns[2]!;
    expect(last.escalation?.evidence.map((e) => [e.messageIndex, e.text])).toEqual([
      [0, 'how do I reset my password?'],
      [2, 'that did not help'],
      [4, 'the reset email never arrives, I have checked my spam folder'],
    ]);
    expect(last.state.stuck).toEqual({ reason: expect.stringMatching(/first answer did not help/), need: 'access to the account (a password reset or unlock)' });
  });

  it('offers another article for the same need when there is one', async () => {
    const turns = await talk(supportBot, [
      ['how do I pay my bill?', { awaiting: true, articleId: 'kb-payment-methods' }],
      ['no', { outcome: 'continue', awaiting: true, reply: /^Sorry that did not help\. This may answer it better: / }],
      ['no, that did not help either', { outcome: 'escalate', escalation: 'bot_failure' }],
    ]);
    // The second article is another one about the same intent.
    expect(turns[1]!.articleId).not.toBe('kb-payment-methods');
    expect(KnowledgeBase.default().get(turns[1]!.articleId!)?.tags).toContain('billing_question');
  });

  it('takes the customer at their word when they accept the offer of a person, or decline it', async () => {
    const [, , accepted] = await talk(supportBot, [
      ["what's your refund policy for faulty items?", { awaiting: true }],
      ['no', { outcome: 'continue' }],
      ['yes please', { outcome: 'escalate', escalation: 'human_request', reply: 'I will bring in a colleague; they will see everything we have discussed.' }],
    ]);
    expect(accepted!.escalation).toMatchObject({ reason: 'accepted the offer of a person', evidence: [{ messageIndex: 4, text: 'yes please' }] });
    await talk(supportBot, [
      ["what's your refund policy for faulty items?", { awaiting: true }],
      ['no', { outcome: 'continue' }],
      ['no thanks', { outcome: 'continue', reply: 'All right. Tell me in a few words what you need and I will do my best to help.' }],
    ]);
  });

  it('"no, still broken" after the offer of a person is the failure again, not a refusal: it goes to a person', async () => {
    await talk(supportBot, [
      ['my internet keeps dropping every evening', { awaiting: true }],
      ['that did not help', { outcome: 'continue', reply: /I can bring in a colleague/ }],
      ['no, still broken', { outcome: 'escalate', escalation: 'bot_failure' }],
    ]);
  });

  it('counts the same need asked again after an answer as a failure', async () => {
    await talk(supportBot, [
      ['how do I change my address?', { awaiting: true, articleId: 'kb-address-change' }],
      ['how can I update my address then', { outcome: 'continue', awaiting: false, reply: /^Sorry that did not help/ }],
    ]);
  });

  it('a new request after "no" is a new question, and the failed answer is still counted', async () => {
    const [, , done] = await talk(supportBot, [
      ["what's your returns policy?", { awaiting: true, articleId: 'kb-refund-policy' }],
      ['no, I want to know how to change my appointment', { outcome: 'continue', awaiting: true, articleId: 'kb-appointments' }],
      ["that's it, thanks", { outcome: 'resolved' }],
    ]);
    expect(done!.state.failures).toEqual([expect.objectContaining({ need: 'refund', count: 1 })]);
  });
});

describe('an unrecognised first message: clarify once, then offer a person (#5)', () => {
  it('clarifies, offers a person, and takes the yes as a request for a person', async () => {
    await talk(patientBot, [
      ['zxcv qwer', { outcome: 'continue', reply: 'Sorry, I did not quite get that. Could you say it another way?' }],
      ['plorp snarf', { outcome: 'continue', reply: 'I am sorry, I am still not sure what you need. Would you like me to bring in a colleague?' }],
      ['yes', { outcome: 'escalate', escalation: 'human_request' }],
    ]);
  });

  it('clarifies as often as configured, and hands over as bot_failure after fallbackLimit messages not understood', async () => {
    const turns = await talk({ ...patientBot, clarifyLimit: 2, fallbackLimit: 3 }, [
      ['zxcv qwer', { reply: /^Sorry, I did not quite get that/ }],
      ['plorp snarf', { reply: /^Sorry, I did not quite get that/ }],
      ['blorb', { outcome: 'escalate', escalation: 'bot_failure', reply: /^I am sorry I could not sort this out/ }],
    ]);
    expect(turns[2]!.escalation?.evidence.map((e) => e.text)).toEqual(['zxcv qwer', 'plorp snarf', 'blorb']);
    await talk({ ...patientBot, offerPerson: false, fallbackLimit: 2 }, [
      ['zxcv qwer', { reply: /^Sorry, I did not quite get that/ }],
      ['plorp snarf', { outcome: 'escalate', escalation: 'bot_failure' }],
    ]);
  });

  it('escalates as low_confidence where the node lists it, and is not fooled by a confident guess on unknown words', async () => {
    await talk(supportBot, [
      ['purple monkey dishwasher', { outcome: 'continue', reply: /^Sorry, I did not quite get that/ }],
      ['banana telephone', { outcome: 'escalate', escalation: 'low_confidence' }],
    ]);
  });
});

describe('honest handoff (#10)', () => {
  it('names where the bot was stuck and the unmet need, and every attempt with its outcome and the customer\'s answer', async () => {
    const options: BotOptionsInput = { ...supportBot, slots: [{ name: 'order', entity: 'order_number', prompt: 'What is your order number?', maxReprompts: 1, intents: ['order_status'] }] };
    const turns = await talk(options, [
      ['has my parcel shipped yet?', { reply: 'What is your order number?' }],
      ['I am not sure', { reply: 'What is your order number?' }],
      ['no idea, sorry', { outcome: 'escalate', escalation: 'bot_failure' }],
    ]);
    const transcript = turns.flatMap((t, i) => [
      { at: '2026-03-04T10:00:00Z', from: 'customer' as const, text: ['has my parcel shipped yet?', 'I am not sure', 'no idea, sorry'][i]! },
      { at: '2026-03-04T10:00:01Z', from: 'bot' as const, text: t.reply },
    ]);
    const pkg = await buildHandoffPackage({
      contactId: 'c-1',
      channel: 'chat',
      customer: { id: 'cust-1' },
      state: turns[2]!.state,
      transcript,
      now: '2026-03-04T10:05:00Z',
      node: { nodeId: 'support-bot', label: 'Support bot' },
      attributes: { contactsLast7Days: 2 },
    });
    expect(pkg.stuckAt).toEqual({ nodeId: 'support-bot', label: 'Support bot', reason: 'could not get the order number after 2 tries', need: 'the order number' });
    expect(pkg.trigger).toMatchObject({ kind: 'bot_failure', evidence: [{ text: 'I am not sure' }, { text: 'no idea, sorry' }] });
    expect(pkg.tried).toEqual([
      expect.objectContaining({ kind: 'intent', detail: expect.stringMatching(/^order_status/), outcome: 'recognised' }),
      expect.objectContaining({ kind: 'slot_prompt', succeeded: false, outcome: 'the answer did not contain the order number', customerAnswer: 'I am not sure', nodeId: 'support-bot' }),
      expect.objectContaining({ kind: 'slot_prompt', succeeded: false, outcome: 'the answer did not contain the order number', customerAnswer: 'no idea, sorry' }),
    ]);
    expect(pkg.attributes).toEqual({ contactsLast7Days: 2 });
  });

  it('names the need and what the bot was doing when a person is asked for mid-answer, not the trigger again', async () => {
    const [, asked] = await talk(supportBot, [
      ['why was I charged twice this month?', { awaiting: true }],
      ['can I speak to someone instead?', { outcome: 'escalate', escalation: 'human_request' }],
    ]);
    expect(asked!.state.stuck).toEqual({
      reason: 'waiting to hear whether its answer (kb-duplicate-charges) helped; handed over because the customer asked for a person',
      need: 'an answer about a charge the customer thinks is wrong (such as a double charge)',
    });
    expect(asked!.state.tried.find((a) => a.kind === 'knowledge_article')).toMatchObject({
      outcome: 'the conversation went to a person instead: the customer asked for a person',
      customerAnswer: 'can I speak to someone instead?',
    });
  });

  it('fills in what a classify step learnt when no bot ran', async () => {
    const pkg = await handoffPackage({ nlu: { intent: 'billing_dispute', confidence: 0.91, sentiment: -0.4, topics: ['billing'], triggers: ['complaint'] } });
    expect(pkg).toMatchObject({ intent: { name: 'billing_dispute', confidence: 0.91 }, topics: ['billing'], sentiment: { current: -0.4 }, stuckAt: null });
  });
});

describe('every sentence is the flow\'s to edit (#13)', () => {
  /** A conversation that makes the bot say each text. */
  const sayings: Record<string, { options?: BotOptionsInput; messages: string[]; greeted?: boolean }> = {
    greeting: { messages: ['hi'], greeted: false },
    greetingPrompt: { messages: ['hi'] },
    fallback: { options: patientBot, messages: ['zxcv qwer'] },
    offerPerson: { options: patientBot, messages: ['zxcv qwer', 'plorp snarf'] },
    offerDeclined: { options: patientBot, messages: ['zxcv qwer', 'plorp snarf', 'no'] },
    escalating: { messages: ['I want to speak to a person'] },
    noAnswer: { options: { knowledge: { enabled: false } }, messages: ['how do I reset my password?'] },
    gaveUp: { options: { ...patientBot, fallbackLimit: 1 }, messages: ['zxcv qwer'] },
    goodbye: { messages: ['what are your opening hours?', 'thanks'] },
    farewell: { messages: ['bye'] },
    confirmAnswer: { messages: ['what are your opening hours?'] },
    anotherAnswer: { messages: ['how do I pay my bill?', 'no'] },
    answerRejected: { messages: ['how long do refunds take?', 'no'] },
    noMatch: { options: { ...patientBot, maxTurns: 1 }, messages: ['hi'] },
    acknowledge: { options: { escalateOn: ['human_request'] }, messages: ['my brother died last month'] },
  };

  it.each(Object.entries(sayings))('"%s" is said in the flow\'s words when the flow sets it', async (key, { options = {}, messages, greeted }) => {
    const custom = `[custom ${key}]`;
    let state: BotTurnResult['state'] | null = null;
    const replies: string[] = [];
    for (const [i, message] of messages.entries()) {
      const turn: BotTurnResult = await runBotTurn({ options: { ...options, texts: { [key]: custom } }, state, message, now: '2026-03-04T10:00:00Z', messageIndex: 2 * i, ...(greeted === undefined ? {} : { greeted }) });
      replies.push(turn.reply);
      state = turn.state;
    }
    expect(replies.at(-1)).toContain(custom);
  });

  it('lists every text in the README, and none is left out of the conversations above', async () => {
    const keys = Object.keys(botTextsSchema.shape).filter((k) => k !== 'slotsComplete');
    expect(keys.sort()).toEqual(Object.keys(sayings).sort());
    const { readFileSync } = await import('node:fs');
    const readme = readFileSync(`${__dirname}/../README.md`, 'utf8');
    for (const key of Object.keys(botTextsSchema.shape)) expect({ key, listed: readme.includes(`\`${key}\``) }).toEqual({ key, listed: true });
  });

  it('has defaults that promise no timing and say no goodbye the flow says after them', () => {
    const texts = botTextsSchema.parse({});
    expect(texts.escalating).toBe('I will bring in a colleague; they will see everything we have discussed.');
    for (const text of Object.values(texts)) expect(text).not.toMatch(/\bnow\b|one of my colleagues|goodbye|let me look into it/i);
  });
});
