/**
 * Triggers that come from who the customer is rather than what they wrote: `high_value` from the tier,
 * and `repeat_contact` from Tandem's own history of the customer (`customer.attributes.recentContacts`,
 * attached by the API at contact start) or the caller's word. Shared by the bot and the classify node.
 */
import { type Customer, type EscalationTrigger, type EscalationTriggerKind } from '@tandem/contracts';
import { z } from 'zod';
import { excerpt } from './text';

/** One earlier contact of the customer, as the API attaches it to `customer.attributes.recentContacts`. */
export const recentContactSchema = z.object({
  contactId: z.string().min(1),
  /** ISO-8601 time the contact ended. */
  endedAt: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'expected an ISO-8601 time'),
  intent: z.string().optional(),
  topics: z.array(z.string()).optional(),
  outcome: z.string().optional(),
});
export type RecentContact = z.infer<typeof recentContactSchema>;

/** What the contact triggers are judged on. */
export interface ContactTriggerInput {
  customer: Customer | undefined;
  /** The caller says this is a repeat contact about the same issue. */
  repeatContact: boolean;
  /** The conversation's need so far: its intent and topics. */
  intent: string | undefined;
  topics: readonly string[];
  now: Date;
  windowDays: number;
  highValueTiers: readonly string[];
  /** The message the trigger is evaluated on, for evidence. */
  messageIndex: number;
  message: string;
  /** Kinds already fired in this conversation (fired once). */
  already: ReadonlySet<EscalationTriggerKind>;
}

// Conversation, not a need: an earlier "hello" is no reason to call a contact a repeat.
const NOT_A_NEED = new Set(['none', 'greeting', 'goodbye', 'human_request', 'smalltalk', 'handoff']);
const DAY_MS = 86_400_000;

/** `high_value` and `repeat_contact` for this turn, each at most once per conversation. */
export function contactTriggers(input: ContactTriggerInput): EscalationTrigger[] {
  const triggers: EscalationTrigger[] = [];
  const { customer } = input;
  if (customer && input.highValueTiers.includes(customer.tier) && !input.already.has('high_value')) {
    triggers.push({ kind: 'high_value', reason: `customer tier "${customer.tier}"`, evidence: [] });
  }
  if (!input.already.has('repeat_contact')) {
    const repeat = repeatContactTrigger(input);
    if (repeat) triggers.push(repeat);
  }
  return triggers;
}

function repeatContactTrigger(input: ContactTriggerInput): EscalationTrigger | undefined {
  const attributes = input.customer?.attributes ?? {};
  const recent = attributes.recentContacts;
  const matching = Array.isArray(recent) ? matchingContacts(recent, input) : [];
  const latest = matching[0];
  if (latest) {
    const what = latest.intent !== undefined && latest.intent === input.intent ? latest.intent : (latest.topics ?? []).find((t) => input.topics.includes(t)) ?? 'the same issue';
    const more = matching.length > 1 ? `; ${matching.length} contacts about it in the last ${input.windowDays} days` : '';
    return {
      kind: 'repeat_contact',
      reason: `contacted us about ${what.replace(/_/g, ' ')} ${ago(input.now, new Date(latest.endedAt))} (contact ${latest.contactId}${latest.outcome ? `, ${latest.outcome}` : ''})${more}`,
      evidence: [{ messageIndex: input.messageIndex, text: excerpt(input.message), words: [what, latest.contactId] }],
    };
  }
  const count = typeof recent === 'number' ? recent : 0;
  if (input.repeatContact || attributes.repeatContact === true || count >= 2) {
    return { kind: 'repeat_contact', reason: count >= 2 ? `${count} recent contacts about this issue` : 'repeat contact about the same issue', evidence: [] };
  }
  return undefined;
}

/** Earlier contacts within the window about the same intent or a shared topic, latest first; malformed entries are skipped. */
function matchingContacts(recent: unknown[], input: ContactTriggerInput): RecentContact[] {
  const intent = input.intent !== undefined && !NOT_A_NEED.has(input.intent) ? input.intent : undefined;
  const topics = new Set(input.topics.filter((t) => !NOT_A_NEED.has(t)));
  if (intent === undefined && topics.size === 0) return [];
  const now = input.now.getTime();
  return recent
    .flatMap((entry) => {
      const parsed = recentContactSchema.safeParse(entry);
      return parsed.success ? [parsed.data] : [];
    })
    .filter((c) => {
      const age = now - Date.parse(c.endedAt);
      // A few minutes of clock skew between the API and the worker is not "the future".
      if (age < -5 * 60_000 || age > input.windowDays * DAY_MS) return false;
      return (intent !== undefined && c.intent === intent) || (c.topics ?? []).some((t) => topics.has(t));
    })
    .sort((a, b) => Date.parse(b.endedAt) - Date.parse(a.endedAt));
}

function ago(now: Date, then: Date): string {
  const ms = Math.max(0, now.getTime() - then.getTime());
  const days = Math.floor(ms / DAY_MS);
  if (days >= 1) return `${days} day${days === 1 ? '' : 's'} ago`;
  const hours = Math.floor(ms / 3_600_000);
  return hours >= 1 ? `${hours} hour${hours === 1 ? '' : 's'} ago` : 'less than an hour ago';
}
