import { handoffPackageSchema } from '@tandem/contracts';
import { buildHandoffPackage, type BotOptionsInput, type Summarizer } from '../src';
import { converse } from './support/conversation';

const options: BotOptionsInput = {
  nodeId: 'bot-1',
  nodeLabel: 'Front-door bot',
  slots: [{ name: 'orderNumber', entity: 'order_number', prompt: 'What is your order number?', intents: ['order_status'] }],
};
const customer = { id: 'cust-42', name: 'Dana Reyes', tier: 'gold', authenticated: true, authMethod: 'otp' as const };

describe('buildHandoffPackage from real conversations', () => {
  it('hands off a human request with intent, entities, trigger evidence, what was tried and the transcript', async () => {
    const { transcript, last } = await converse(options, [
      'Hi, my parcel never turned up',
      'It should have arrived yesterday, I paid £25.50 for next day delivery',
      'this is ridiculous, I want to speak to a real person',
    ]);
    expect(last.outcome).toBe('escalate');
    const pkg = await buildHandoffPackage({
      contactId: 'contact-1',
      channel: 'chat',
      customer,
      state: last.state,
      transcript,
      now: '2026-03-04T10:10:00Z',
      node: { nodeId: 'bot-1', label: 'Front-door bot' },
    });
    expect(handoffPackageSchema.parse(pkg)).toEqual(pkg);
    expect(pkg.customer).toEqual({ id: 'cust-42', name: 'Dana Reyes', tier: 'gold', authenticated: true, authMethod: 'otp' });
    expect(pkg.intent?.name).toBe('order_status');
    expect(pkg.entities).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'amount', value: '25.50 GBP' }), expect.objectContaining({ type: 'date', value: '2026-03-03' })]));
    expect(pkg.trigger).toMatchObject({ kind: 'human_request', evidence: [{ messageIndex: 4 }] });
    expect(pkg.stuckAt).toEqual({
      nodeId: 'bot-1',
      label: 'Front-door bot',
      reason: 'asking for the order number (asked 2 time(s)); handed over because the customer asked for a person',
      need: 'the order number',
    });
    expect(pkg.tried).toEqual([
      expect.objectContaining({ kind: 'intent', detail: expect.stringMatching(/^order_status/), outcome: 'recognised', nodeId: 'bot-1' }),
      expect.objectContaining({ kind: 'slot_prompt', detail: 'slot orderNumber', succeeded: false, outcome: 'the answer did not contain the order number', customerAnswer: expect.stringMatching(/^It should have arrived yesterday/) }),
      expect.objectContaining({ kind: 'slot_prompt', outcome: expect.stringMatching(/^the conversation went to a person instead/), customerAnswer: 'this is ridiculous, I want to speak to a real person' }),
    ]);
    expect(pkg.summary).toMatch(/£25\.50/);
    expect(pkg.transcript).toHaveLength(6);
    expect(pkg.sentiment.history).toHaveLength(3);
  });

  it('hands off a vulnerable customer with the bereavement detail', async () => {
    const { transcript, last } = await converse(options, ['my husband passed away last month and I need to close his account']);
    const pkg = await buildHandoffPackage({ contactId: 'contact-2', channel: 'voice', customer: { id: 'c-2' }, state: last.state, transcript, now: '2026-03-04T10:01:00Z' });
    expect(handoffPackageSchema.safeParse(pkg).success).toBe(true);
    expect(pkg.trigger).toMatchObject({ kind: 'vulnerable_customer', detail: 'bereavement' });
    expect(pkg.topics).toContain('vulnerable_customer:bereavement');
    expect(pkg.customer).toMatchObject({ tier: 'standard', authenticated: false, authMethod: 'none' });
  });

  it('hands off after an unhelpful article and a rephrasing with nothing else to offer: bot_failure, the loop as evidence, the article as tried', async () => {
    const { transcript, last } = await converse({ ...options, lowConfidenceLimit: 2 }, ['how long do refunds take?', 'no', 'grmbl zzzt']);
    expect(last.escalation).toMatchObject({ kind: 'bot_failure', evidence: [{ text: 'how long do refunds take?' }, { text: 'no' }, { text: 'grmbl zzzt' }] });
    const pkg = await buildHandoffPackage({ contactId: 'contact-3', channel: 'chat', customer, state: last.state, transcript, now: '2026-03-04T10:09:00Z', node: { nodeId: 'bot-1' } });
    expect(handoffPackageSchema.safeParse(pkg).success).toBe(true);
    expect(pkg.stuckAt).toMatchObject({ need: 'a refund or a return', reason: expect.stringMatching(/first answer did not help/) });
    expect(pkg.tried).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'knowledge_article', detail: expect.stringMatching(/^kb-refund-policy/), succeeded: false, outcome: 'the customer said it did not help', customerAnswer: 'no' }),
      ]),
    );
    expect(pkg.transcript.some((e) => e.articleId === 'kb-refund-policy')).toBe(true);
  });

  it('builds a package without a bot (the flow escalated straight away) and uses a given summarizer', async () => {
    const summarizer: Summarizer = { summarize: async () => ({ text: 'Caller wants to upgrade.', source: 'test' }) };
    const pkg = await buildHandoffPackage({
      contactId: 'contact-4',
      channel: 'voice',
      customer,
      state: null,
      transcript: [{ at: '2026-03-04T10:00:00Z', from: 'customer', text: 'I want to upgrade' }],
      now: '2026-03-04T10:00:05Z',
      trigger: { kind: 'flow_rule', reason: 'VIP line', evidence: [] },
      summarizer,
    });
    expect(handoffPackageSchema.safeParse(pkg).success).toBe(true);
    expect(pkg).toMatchObject({ intent: null, stuckAt: null, trigger: { kind: 'flow_rule' }, summary: 'Caller wants to upgrade.' });
  });

  it('rejects bad input naming the field', async () => {
    await expect(buildHandoffPackage({ contactId: '', channel: 'fax' as never, customer, state: null, transcript: [], now: '2026-03-04T10:00:00Z' })).rejects.toThrow(
      /handoff\.contactId[\s\S]*handoff\.channel/,
    );
  });
});
