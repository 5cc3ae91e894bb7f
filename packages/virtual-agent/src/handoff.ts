import {
  channelSchema,
  customerSchema,
  handoffPackageSchema,
  transcriptEntrySchema,
  type Channel,
  type CustomerInput,
  type EscalationTrigger,
  type HandoffPackage,
  type TranscriptEntry,
} from '@tandem/contracts';
import { z } from 'zod';
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
}

const handoffInputSchema = z.object({
  contactId: z.string().min(1, 'contactId is required'),
  channel: channelSchema,
  customer: customerSchema,
  state: conversationStateSchema.nullable(),
  transcript: z.array(transcriptEntrySchema),
  now: z.string(),
  node: z.object({ nodeId: z.string().min(1), label: z.string().optional() }).optional(),
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
  const stuckAt =
    state && state.status !== 'resolved'
      ? {
          nodeId: parsed.node?.nodeId ?? 'bot',
          ...(parsed.node?.label ? { label: parsed.node.label } : {}),
          reason: state.stopReason ?? trigger?.reason ?? 'handed off while the bot was still talking',
        }
      : null;
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
    intent: state?.intent ?? null,
    entities: state?.entities ?? [],
    sentiment: sentimentTrend(state?.sentiment ?? []),
    topics: state?.topics ?? [],
    trigger,
    stuckAt,
    tried: state?.tried ?? [],
    summary: summary.text,
    transcript: parsed.transcript,
    createdAt,
  });
}
