import {
  channelSchema,
  customerSchema,
  handoffPackageSchema,
  transcriptEntrySchema,
  type Channel,
  type CustomerInput,
  type EscalationTrigger,
  type HandoffPackage,
  type NluSnapshot,
  type TranscriptEntry,
} from '@tandem/contracts';
import { z } from 'zod';
import { describeNeed, describeSituation } from './bot/attempts';
import { parseInput, parseNow } from './errors';
import { sentimentTrend } from './nlu/sentiment';
import { ExtractiveSummarizer, type Summarizer } from './providers/providers';
import { conversationStateSchema, type ConversationState } from './state';
import { byPriority } from './triggers';

/** What a handoff package is built from: the contact, the bot's final state and the full transcript. */
export interface HandoffInput {
  contactId: string;
  channel: Channel;
  customer: CustomerInput;
  /** The bot's state at handoff; `null` when no bot ran (the flow escalated straight away). */
  state: ConversationState | null;
  /** The whole conversation so far, whoever spoke. */
  transcript: TranscriptEntry[];
  /** ISO-8601 creation time (workflow time). */
  now: string;
  /** The trigger that escalated; defaults to the bot's (highest priority) recorded trigger, or null. */
  trigger?: EscalationTrigger | null;
  /** The bot node, for `stuckAt`; taken from the bot when it stopped. */
  node?: { nodeId: string; label?: string };
  /** Defaults to the local extractive summarizer; pass an LLM one to use it (it falls back itself). */
  summarizer?: Summarizer;
  /**
   * What the flow learnt outside the bot (a classify node's `nlu`): its intent, topics and sentiment
   * fill in what the bot's state does not have (no bot ran, or it never recognised an intent).
   */
  nlu?: NluSnapshot;
  /** The customer attributes the escalating node chose to show the agent (an allowlist applied by the caller). */
  attributes?: Record<string, unknown>;
}

const handoffInputSchema = z.object({
  contactId: z.string().min(1, 'contactId is required'),
  channel: channelSchema,
  customer: customerSchema,
  state: conversationStateSchema.nullable(),
  transcript: z.array(transcriptEntrySchema),
  now: z.string(),
  node: z.object({ nodeId: z.string().min(1), label: z.string().optional() }).optional(),
  attributes: z.record(z.string(), z.unknown()).optional(),
});

/**
 * Builds the handoff package routing stores and the agent sees: who the customer is, what they want
 * (intent, entities), how they feel (sentiment trend), why the bot handed off and where it got stuck,
 * what it tried, a short summary and the full transcript. The result always passes
 * `handoffPackageSchema` (it is parsed before it is returned).
 *
 * @example
 * const pkg = await buildHandoffPackage({ contactId, channel: 'chat', customer, state: turn.state, transcript, now, node: { nodeId: 'bot-1' } });
 * pkg.trigger?.kind; // 'human_request'
 */
export async function buildHandoffPackage(input: HandoffInput): Promise<HandoffPackage> {
  const { summarizer = new ExtractiveSummarizer(), trigger: explicitTrigger } = input;
  const parsed = parseInput(handoffInputSchema, { ...input, summarizer: undefined, trigger: undefined }, 'handoff');
  const createdAt = parseNow(parsed.now).toISOString();
  const state = parsed.state;
  const trigger = explicitTrigger === undefined ? ([...(state?.triggers ?? [])].sort(byPriority)[0] ?? null) : explicitTrigger;
  const keywords = [
    ...(state?.entities ?? []).map((e) => e.text ?? e.value),
    ...(state?.triggers ?? []).flatMap((t) => t.evidence.flatMap((e) => e.words)),
  ];
  const summary = await summarizer.summarize({ transcript: parsed.transcript, keywords });
  const stuckAt = state && state.status !== 'resolved' ? { nodeId: parsed.node?.nodeId ?? 'bot', ...(parsed.node?.label ? { label: parsed.node.label } : {}), ...whereStuck(state, trigger) } : null;
  const nlu = input.nlu;
  const nluIntent = nlu && nlu.intent !== 'none' ? { name: nlu.intent, confidence: nlu.confidence } : null;
  const sentiment = state && state.sentiment.length > 0 ? state.sentiment : nlu ? [nlu.sentiment] : [];
  return handoffPackageSchema.parse({
    schemaVersion: 1,
    contactId: parsed.contactId,
    channel: parsed.channel,
    customer: {
      id: parsed.customer.id,
      ...(parsed.customer.name ? { name: parsed.customer.name } : {}),
      tier: parsed.customer.tier,
      authenticated: parsed.customer.authenticated,
      authMethod: parsed.customer.authMethod,
    },
    intent: state?.intent ?? nluIntent,
    entities: state?.entities ?? [],
    sentiment: sentimentTrend(sentiment),
    topics: [...new Set([...(state?.topics ?? []), ...(nlu?.topics ?? [])])],
    trigger,
    stuckAt,
    // An attempt the customer never reacted to says so, rather than nothing.
    tried: (state?.tried ?? []).map((a) => (a.outcome === undefined ? { ...a, outcome: 'no answer from the customer' } : a)),
    summary: summary.text,
    transcript: parsed.transcript,
    ...(parsed.attributes ? { attributes: parsed.attributes } : {}),
    createdAt,
  });
}

/**
 * Where the bot was stuck and the need it had not met: what the bot recorded when it stopped, else
 * (the conversation left the bot elsewhere, say by the escape hatch at a later step) what it was doing.
 */
function whereStuck(state: ConversationState, trigger: EscalationTrigger | null): { reason: string; need?: string } {
  if (state.stuck) return state.stuck;
  const situation = describeSituation(state, undefined);
  const need = describeNeed(state, undefined);
  return { reason: state.stopReason ?? (trigger ? `${situation}; handed over: ${trigger.reason}` : situation), ...(need ? { need } : {}) };
}
