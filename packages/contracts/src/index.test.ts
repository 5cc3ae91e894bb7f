import {
  contactWorkflowId,
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
