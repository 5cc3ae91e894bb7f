/**
 * The compliance check an agent's message passes before it leaves the API: the virtual agent's checks
 * (`checkAgentReply`: card numbers, IBANs, account numbers, required disclosures), with their severity.
 * A `block` finding refuses the message; `warn` findings go out with it, flagged.
 */
import type { ComplianceFinding } from '@tandem/api-contract';
import { type Channel, type ComplianceFlag, maskPaymentCards } from '@tandem/contracts';
import { checkAgentReply, DEFAULT_REQUIRED_DISCLOSURES, type ComplianceFlag as VirtualAgentFinding } from '@tandem/virtual-agent';

/** What the check found, `block` findings first. */
export interface AgentMessageCheck {
  findings: ComplianceFinding[];
  /** The findings that refuse the message (none: it may be sent). */
  blocking: ComplianceFinding[];
  /** The findings it is sent with. */
  warnings: ComplianceFinding[];
}

const CARD_NUMBER: ComplianceFinding = { kind: 'card_number', severity: 'block', message: 'a payment card number must never be written to the customer' };

/**
 * Checks an agent's message before it is sent. `previousAgentMessages` (what the agent already said in
 * the conversation) lets a disclosure made earlier count.
 *
 * A card number that `maskPaymentCards` would mask is always a `block` finding, even where the
 * checker's own pattern misses it: what PCI DSS forbids storing is never sent masked instead.
 *
 * @example
 * checkAgentMessage('Your card 4111 1111 1111 1111 is on file', { channel: 'chat' }).blocking
 * // [{ kind: 'card_number', severity: 'block', evidence: '4111 **** 1111', … }]
 */
export function checkAgentMessage(text: string, context: { channel: Channel; previousAgentMessages?: readonly string[] }): AgentMessageCheck {
  const findings = checkAgentReply(text, { channel: context.channel, previousAgentMessages: context.previousAgentMessages ?? [] }).map(toFinding);
  if (!findings.some((f) => f.kind === 'card_number') && maskPaymentCards(text).masked > 0) findings.push(CARD_NUMBER);
  findings.sort((a, b) => rank(a) - rank(b));
  return { findings, blocking: findings.filter((f) => f.severity === 'block'), warnings: findings.filter((f) => f.severity === 'warn') };
}

/** Whether a check on this channel depends on what the agent said before (a required disclosure applies). */
export function needsEarlierAgentMessages(channel: Channel): boolean {
  return DEFAULT_REQUIRED_DISCLOSURES.some((d) => !d.channels || d.channels.includes(channel));
}

/** A finding as the workflow's transcript keeps it (the signal's `flags`): kind, severity, message. */
export function toFlag(finding: ComplianceFinding): ComplianceFlag {
  return { kind: finding.kind, severity: finding.severity, message: finding.message };
}

function toFinding(f: VirtualAgentFinding): ComplianceFinding {
  return {
    kind: f.kind,
    severity: f.severity,
    message: f.message,
    ...(f.evidence ? { evidence: f.evidence } : {}),
    ...(f.disclosureId ? { disclosureId: f.disclosureId } : {}),
  };
}

const rank = (f: ComplianceFinding) => (f.severity === 'block' ? 0 : 1);
