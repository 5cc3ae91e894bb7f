import { checkAgentMessage, needsEarlierAgentMessages, toFlag } from './compliance';

describe("the compliance check before an agent's message is sent", () => {
  it('blocks a card number, however it is written, and never shows it in clear', () => {
    for (const text of [
      'Your card 4111 1111 1111 1111 is on file',
      'card 4111-1111-1111-1111 exp 12/29 cvv 123',
      'card 4111 1111 1111 1111 exp 12/29 cvv 123',
      '4111111111111111',
    ]) {
      const check = checkAgentMessage(text, { channel: 'chat' });
      expect({ text, blocking: check.blocking.map((f) => f.kind) }).toEqual({ text, blocking: ['card_number'] });
      expect(JSON.stringify(check.findings)).not.toContain('4111 1111 1111 1111');
    }
  });

  it('blocks a card number followed straight by its expiry and CVV (issue 19, observation 8)', () => {
    // Fails until @tandem/contracts' maskPaymentCards and the virtual agent's checkAgentReply try the
    // shorter digit run: both patterns run on into the expiry's "12", and 18 digits fail the Luhn check.
    expect(checkAgentMessage('card 4111 1111 1111 1111 12/29 123', { channel: 'chat' }).blocking.map((f) => f.kind)).toEqual(['card_number']);
  });

  it('blocks a full IBAN, warns about an account number written out, passes plain text', () => {
    expect(checkAgentMessage('Please pay to GB82 WEST 1234 5698 7654 32', { channel: 'chat' }).blocking.map((f) => f.kind)).toEqual(['iban']);
    const account = checkAgentMessage('Your account number is 12345678', { channel: 'chat' });
    expect(account).toMatchObject({ blocking: [], warnings: [{ kind: 'account_number', severity: 'warn', evidence: '********' }] });
    expect(checkAgentMessage('Happy to help! Your order ships tomorrow.', { channel: 'chat' })).toEqual({ findings: [], blocking: [], warnings: [] });
  });

  it('warns on voice until the recording notice is given, in this message or an earlier one', () => {
    expect(needsEarlierAgentMessages('voice')).toBe(true);
    expect(needsEarlierAgentMessages('chat')).toBe(false);
    expect(checkAgentMessage('Hello, how can I help?', { channel: 'voice' }).warnings).toEqual([
      expect.objectContaining({ kind: 'missing_disclosure', severity: 'warn', disclosureId: 'call_recording' }),
    ]);
    expect(checkAgentMessage('Hello, this call is recorded for quality.', { channel: 'voice' }).warnings).toEqual([]);
    expect(checkAgentMessage('Let me check that.', { channel: 'voice', previousAgentMessages: ['Hi, this call is being recorded.'] }).warnings).toEqual([]);
  });

  it('lists block findings first and hands the workflow kind, severity and message only', () => {
    const check = checkAgentMessage('Your account number is 12345678 and card 4111 1111 1111 1111', { channel: 'chat' });
    expect(check.findings.map((f) => f.severity)).toEqual(['block', 'warn']);
    expect(toFlag(check.warnings[0]!)).toEqual({ kind: 'account_number', severity: 'warn', message: 'write only the last 4 digits of an account number' });
  });
});
