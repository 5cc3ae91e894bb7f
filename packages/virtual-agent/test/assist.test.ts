import { assist, checkAgentReply, ibanValid, luhnValid } from '../src';

describe('checkAgentReply', () => {
  it('blocks a Luhn-valid card number and masks it, but not other long numbers', () => {
    const flags = checkAgentReply('The card we have is 4111 1111 1111 1111, thanks', { channel: 'chat' });
    expect(flags).toEqual([expect.objectContaining({ kind: 'card_number', severity: 'block', evidence: '4111 **** 1111' })]);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(checkAgentReply('Your tracking number is 4111 1111 1111 1112', { channel: 'chat' })).toEqual([]);
  });

  it('flags IBANs and full account numbers', () => {
    expect(ibanValid('GB82 WEST 1234 5698 7654 32')).toBe(true);
    const flags = checkAgentReply('Refund goes to GB82 WEST 1234 5698 7654 32; account number 12345678 on file', { channel: 'email' });
    expect(flags.map((f) => f.kind)).toEqual(['iban', 'account_number']);
  });

  it('flags a missing call-recording notice on voice, not when it was said earlier, not on chat', () => {
    expect(checkAgentReply('How can I help?', { channel: 'voice' })).toEqual([expect.objectContaining({ kind: 'missing_disclosure', disclosureId: 'call_recording' })]);
    expect(checkAgentReply('How can I help?', { channel: 'voice', previousAgentMessages: ['Hello, this call is recorded for quality purposes.'] })).toEqual([]);
    expect(checkAgentReply('How can I help?', { channel: 'chat' })).toEqual([]);
    const custom = [{ id: 'fee_notice', pattern: 'early termination fee', description: 'mention the early termination fee' }];
    expect(checkAgentReply('Cancelled.', { channel: 'chat', requiredDisclosures: custom })).toEqual([expect.objectContaining({ disclosureId: 'fee_notice' })]);
  });

  it('rejects an unknown channel', () => {
    expect(() => checkAgentReply('hi', { channel: 'fax' as never })).toThrow(/context\.channel/);
  });
});

describe('assist', () => {
  it('recomputes articles, a drafted reply and compliance flags on each customer message', async () => {
    const transcript = [
      { at: '2026-03-04T10:00:00Z', from: 'customer' as const, text: 'Hi, how long does a refund take?' },
      { at: '2026-03-04T10:00:30Z', from: 'agent' as const, text: 'Let me check. Is the card 4111 1111 1111 1111 the one you paid with?' },
      { at: '2026-03-04T10:01:00Z', from: 'customer' as const, text: 'yes. also what time do you close on saturday?' },
    ];
    const first = await assist({ channel: 'voice', transcript: transcript.slice(0, 1), now: '2026-03-04T10:00:00Z', customerName: 'Dana Reyes' });
    expect(first.articles[0]?.article.id).toBe('kb-refund-policy');
    expect(first.draft).toMatchObject({ source: 'local', articleIds: ['kb-refund-policy'], text: expect.stringMatching(/^Hi Dana\. You can return/) });
    expect(first.complianceFlags).toEqual([]);
    const next = await assist({ channel: 'voice', transcript, now: '2026-03-04T10:01:00Z' });
    expect(next.articles[0]?.article.id).toBe('kb-opening-hours');
    expect(next.complianceFlags.map((f) => f.kind).sort()).toEqual(['card_number', 'missing_disclosure']);
  });
});
