import {
  contactWorkflowId,
  maskPaymentCards,
  customerSchema,
  handoffPackageSchema,
  workItemResolutionSchema,
  type HandoffPackage,
} from './index';

const handoff: HandoffPackage = {
  schemaVersion: 1,
  contactId: 'c-1',
  channel: 'chat',
  customer: { id: 'cust-1', tier: 'gold', authenticated: true, authMethod: 'otp' },
  intent: { name: 'billing_dispute', confidence: 0.82 },
  entities: [{ type: 'amount', value: '42.10', text: '$42.10', messageIndex: 0 }],
  sentiment: { history: [-0.2, -0.6], current: -0.6, direction: 'worsening' },
  topics: ['billing'],
  trigger: {
    kind: 'human_request',
    reason: 'asked for a human',
    evidence: [{ messageIndex: 1, text: 'let me talk to a real person', words: ['real person'] }],
  },
  stuckAt: { nodeId: 'bot-1', label: 'Billing bot', reason: 'customer asked for a human' },
  tried: [{ kind: 'knowledge_article', detail: 'kb-billing-cycle', succeeded: false }],
  summary: 'I was charged $42.10 twice.',
  transcript: [
    { at: '2026-01-01T10:00:00.000Z', from: 'customer', text: 'I was charged $42.10 twice.' },
    { at: '2026-01-01T10:00:01.000Z', from: 'customer', text: 'let me talk to a real person' },
  ],
  createdAt: '2026-01-01T10:00:02.000Z',
};

describe('contracts', () => {
  it('accepts a complete handoff package and rejects one with a bad trigger', () => {
    expect(handoffPackageSchema.parse(handoff)).toEqual(handoff);
    const bad = { ...handoff, trigger: { ...handoff.trigger, kind: 'gut_feeling' } };
    const r = handoffPackageSchema.safeParse(bad);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['trigger', 'kind']);
  });

  it('fills customer defaults', () => {
    expect(customerSchema.parse({ id: 'x' })).toEqual({
      id: 'x',
      tier: 'standard',
      authenticated: false,
      authMethod: 'none',
      language: 'en',
      attributes: {},
    });
  });

  it('requires the work item a resolution names', () => {
    expect(workItemResolutionSchema.safeParse({ schemaVersion: 1, outcome: 'resolved', resolvedAt: 'now' }).success).toBe(false);
    expect(
      workItemResolutionSchema.parse({ schemaVersion: 1, workItemId: 'w1', outcome: 'resolved', resolvedAt: '2026-01-01T00:00:00Z' })
        .reasonTags,
    ).toEqual([]);
  });

  it('names contact workflows', () => {
    expect(contactWorkflowId('42')).toBe('contact-42');
  });
});

describe('payment card masking', () => {
  it('masks Luhn-valid card numbers however they are grouped, keeping the last four digits', () => {
    expect(maskPaymentCards('card 4111 1111 1111 1111 exp 12/29 cvv 123')).toEqual({ text: 'card **** **** **** 1111 exp 12/29 cvv 123', masked: 1 });
    expect(maskPaymentCards('4111-1111-1111-1111 and 5500005555555559').text).toBe('****-****-****-1111 and ************5559');
    expect(maskPaymentCards('amex 378282246310005').text).toBe('amex ***********0005');
  });

  it('finds a card number written straight on with its expiry and CVV, or after other digits (issue 19, observation 8)', () => {
    expect(maskPaymentCards('Is it 4111 1111 1111 1111 12/27 123?')).toEqual({ text: 'Is it **** **** **** 1111 12/27 123?', masked: 1 });
    expect(maskPaymentCards('4111 1111 1111 1111 1227 123')).toEqual({ text: '**** **** **** 1111 1227 123', masked: 1 });
    expect(maskPaymentCards('exp 12 4111 1111 1111 1111')).toEqual({ text: 'exp 12 **** **** **** 1111', masked: 1 });
    expect(maskPaymentCards('4111 1111 1111 1111 5500 0000 0000 0004')).toEqual({ text: '**** **** **** 1111 **** **** **** 0004', masked: 2 });
  });

  it('leaves order numbers, phone numbers and digit runs that fail the Luhn check alone', () => {
    for (const text of ['order 12345678', 'call +44 20 7946 0958', '4111 1111 1111 1112', 'ORD-55512', 'ref 1234567890123']) {
      expect(maskPaymentCards(text)).toEqual({ text, masked: 0 });
    }
  });
});
