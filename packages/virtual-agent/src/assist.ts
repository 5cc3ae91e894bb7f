import { channelSchema, transcriptEntrySchema, type Channel, type TranscriptEntry } from '@tandem/contracts';
import { z } from 'zod';
import { analyzeMessage, type MessageAnalysis } from './analyze';
import { parseInput, parseNow } from './errors';
import { NO_INTENT } from './intents/default-intents';
import { KnowledgeBase, type KnowledgeHit } from './knowledge/knowledge-base';
import { getIntentModel } from './nlu/intent-model';
import { parseBotOptions, type BotOptionsInput } from './options';
import { LocalReplyDrafter, type Draft, type ReplyDrafter } from './providers/providers';

/** A disclosure an agent must make on a channel, e.g. the call-recording notice on voice. */
export const requiredDisclosureSchema = z.object({
  id: z.string().min(1),
  /** Channels it applies to; all when absent. */
  channels: z.array(channelSchema).optional(),
  /** The agent's messages must contain a match (case-insensitive regular expression source). */
  pattern: z.string().min(1),
  description: z.string().min(1),
});
export type RequiredDisclosure = z.infer<typeof requiredDisclosureSchema>;

/** The shipped default: tell voice callers the call is recorded. */
export const DEFAULT_REQUIRED_DISCLOSURES: RequiredDisclosure[] = [
  {
    id: 'call_recording',
    channels: ['voice'],
    pattern: String.raw`\b(?:call|conversation)s? (?:is|are|may be|will be) (?:being )?recorded\b|\brecorded for (?:quality|training)\b`,
    description: 'tell the caller the call is recorded',
  },
];

/** A compliance problem in what an agent wrote (or is about to send). */
export interface ComplianceFlag {
  kind: 'card_number' | 'iban' | 'account_number' | 'missing_disclosure';
  severity: 'block' | 'warn';
  message: string;
  /** The offending text, masked (`4111 **** **** 1111`); absent for a missing disclosure. */
  evidence?: string;
  disclosureId?: string;
}

/** Context for {@link checkAgentReply}. */
export interface AgentReplyContext {
  channel: Channel;
  /** What the agent has already said in this conversation: a disclosure made earlier counts. */
  previousAgentMessages?: readonly string[];
  requiredDisclosures?: readonly RequiredDisclosure[];
}

/** Luhn checksum, the check every payment card number passes. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** ISO 13616 IBAN check (mod 97 = 1). */
export function ibanValid(iban: string): boolean {
  const compact = iban.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(compact)) return false;
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const value = /[A-Z]/.test(ch) ? String(ch.charCodeAt(0) - 55) : ch;
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

function mask(text: string): string {
  const digits = text.replace(/\D/g, '');
  return digits.length <= 8 ? '*'.repeat(digits.length) : `${digits.slice(0, 4)} **** ${digits.slice(-4)}`;
}

/**
 * Checks an agent's reply before it is sent: a payment card number (Luhn-valid PAN), an IBAN, or an
 * account number written out in full; and, across the conversation, a required disclosure not made yet.
 *
 * @example
 * checkAgentReply('Your card 4111 1111 1111 1111 is on file', { channel: 'chat' })
 * // [{ kind: 'card_number', severity: 'block', evidence: '4111 **** 1111', … }]
 */
export function checkAgentReply(text: string, context: AgentReplyContext): ComplianceFlag[] {
  if (typeof text !== 'string') throw new TypeError('checkAgentReply: text must be a string');
  const channel = parseInput(channelSchema, context?.channel, 'context.channel');
  const flags: ComplianceFlag[] = [];
  const cardDigits = new Set<string>();
  for (const match of text.matchAll(/\b\d(?:[ -]?\d){12,18}\b/g)) {
    const digits = match[0].replace(/\D/g, '');
    if (digits.length >= 13 && digits.length <= 19 && luhnValid(digits)) {
      cardDigits.add(digits);
      flags.push({ kind: 'card_number', severity: 'block', message: 'a payment card number must never be written to the customer', evidence: mask(match[0]) });
    }
  }
  for (const match of text.matchAll(/\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b/gi)) {
    if (ibanValid(match[0])) flags.push({ kind: 'iban', severity: 'block', message: 'a full IBAN must not be sent; quote the last 4 characters', evidence: mask(match[0]) });
  }
  for (const match of text.matchAll(/\b(?:account|acct|a\/c)(?: number| no\.?| #)?\s*(?:is|:)?\s*(\d[\d -]{6,16}\d)\b/gi)) {
    const digits = (match[1] ?? '').replace(/\D/g, '');
    if (digits.length >= 8 && !cardDigits.has(digits)) {
      flags.push({ kind: 'account_number', severity: 'warn', message: 'write only the last 4 digits of an account number', evidence: mask(digits) });
    }
  }
  const said = [...(context.previousAgentMessages ?? []), text];
  for (const disclosure of context.requiredDisclosures ?? DEFAULT_REQUIRED_DISCLOSURES) {
    if (disclosure.channels && !disclosure.channels.includes(channel)) continue;
    const pattern = new RegExp(disclosure.pattern, 'i');
    if (!said.some((m) => pattern.test(m))) {
      flags.push({ kind: 'missing_disclosure', severity: 'warn', message: `required disclosure missing: ${disclosure.description}`, disclosureId: disclosure.id });
    }
  }
  return flags;
}

/** Input for {@link assist}: the conversation a human is handling, after a new customer message. */
export interface AssistInput {
  /** Same options as the bot, for intents and the knowledge base. */
  options?: BotOptionsInput;
  channel: Channel;
  /** The full conversation, the new customer message last. */
  transcript: TranscriptEntry[];
  now: string;
  customerName?: string;
  requiredDisclosures?: RequiredDisclosure[];
  /** Defaults to the local drafter. */
  drafter?: ReplyDrafter;
}

/** Suggestions for the agent, recomputed on each customer message. */
export interface AssistSuggestions {
  /** Understanding of the latest customer message (intent, entities, sentiment, triggers). */
  analysis: MessageAnalysis | null;
  articles: KnowledgeHit[];
  draft: Draft;
  /** Compliance problems in what the agent has written so far (the last agent message, and missing disclosures). */
  complianceFlags: ComplianceFlag[];
}

const assistInputSchema = z.object({
  channel: channelSchema,
  transcript: z.array(transcriptEntrySchema),
  now: z.string(),
  customerName: z.string().optional(),
  requiredDisclosures: z.array(requiredDisclosureSchema).optional(),
});

/**
 * Agent assist: for a conversation a human handles, the relevant articles for the latest customer
 * message, a drafted reply, and compliance flags on the agent's side of the conversation.
 */
export async function assist(input: AssistInput): Promise<AssistSuggestions> {
  const parsed = parseInput(assistInputSchema, { ...input, options: undefined, drafter: undefined }, 'assist');
  const options = parseBotOptions(input.options ?? {});
  const now = parseNow(parsed.now);
  const lastCustomerIndex = parsed.transcript.map((e) => e.from).lastIndexOf('customer');
  const lastCustomer = parsed.transcript[lastCustomerIndex];
  let analysis: MessageAnalysis | null = null;
  let articles: KnowledgeHit[] = [];
  if (lastCustomer) {
    const model = await getIntentModel({ useDefaultIntents: options.useDefaultIntents, intents: options.intents });
    analysis = await analyzeMessage(model, lastCustomer.text, { confidenceThreshold: options.confidenceThreshold, messageIndex: lastCustomerIndex, now });
    const kb = options.knowledge.articles ? new KnowledgeBase(options.knowledge.articles) : KnowledgeBase.default();
    articles = kb.search(lastCustomer.text, analysis.intent === NO_INTENT ? { limit: 3 } : { intent: analysis.intent, limit: 3 });
  }
  const drafter = input.drafter ?? new LocalReplyDrafter();
  const relevant = articles.filter((a) => a.confidence >= options.knowledge.answerThreshold * 0.8);
  const draft = await drafter.draftReply({
    transcript: parsed.transcript,
    articles: relevant.map((a) => a.article),
    ...(analysis ? { intent: analysis.intent } : {}),
    ...(parsed.customerName ? { customerName: parsed.customerName } : {}),
  });
  const agentMessages = parsed.transcript.filter((e) => e.from === 'agent').map((e) => e.text);
  const lastAgent = agentMessages.at(-1);
  const complianceFlags = lastAgent
    ? checkAgentReply(lastAgent, {
        channel: parsed.channel,
        previousAgentMessages: agentMessages.slice(0, -1),
        ...(parsed.requiredDisclosures ? { requiredDisclosures: parsed.requiredDisclosures } : {}),
      })
    : [];
  return { analysis, articles, draft, complianceFlags };
}
