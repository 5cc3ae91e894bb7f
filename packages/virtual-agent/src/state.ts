import { attemptSchema, entitySchema, escalationTriggerSchema, triggerEvidenceSchema } from '@tandem/contracts';
import { z } from 'zod';

/**
 * The bot's memory of one conversation: plain JSON the workflow carries between turns (it lives in
 * workflow history, so it is kept small: no transcript, at most a few recent messages, capped lists).
 */
export const conversationStateSchema = z.object({
  v: z.literal(1),
  status: z.enum(['active', 'resolved', 'escalated', 'no_match']),
  /** Customer messages handled so far. */
  turns: z.number().int().min(0),
  /** Next transcript index when the caller does not pass one (customer + bot messages seen by the bot). */
  nextMessageIndex: z.number().int().min(0),
  intent: z.object({ name: z.string(), confidence: z.number().min(0).max(1) }).nullable(),
  lowConfidenceStreak: z.number().int().min(0),
  humanRequests: z.number().int().min(0),
  /** Per-message sentiment, oldest first (last 20). */
  sentiment: z.array(z.number().min(-1).max(1)),
  /** The last three customer messages, normalised, to spot repetition. */
  recent: z.array(z.string()),
  entities: z.array(entitySchema),
  topics: z.array(z.string()),
  slots: z.record(z.string(), z.string()),
  /** The slot being asked for and how many times it was asked again. */
  pendingSlot: z.object({ name: z.string(), reprompts: z.number().int().min(0) }).nullable(),
  /**
   * The answer the bot gave and is waiting on a yes/no for: a knowledge article's id, or
   * `intent:<name>` for an intent's own answer (after its slots were filled).
   */
  awaitingConfirmation: z.string().nullable(),
  tried: z.array(attemptSchema),
  /** Every trigger fired so far (one per kind and detail, evidence capped at 3). */
  triggers: z.array(escalationTriggerSchema),
  /** Why the bot stopped, when it did. */
  stopReason: z.string().nullable(),
  // Added for issue 19; defaults keep the states of running contacts valid.
  /**
   * The message that stated the current need (its words capped) and the intent it was read as
   * (`none` when only the knowledge base understood it): to look for another answer when one fails.
   */
  question: z.object({ messageIndex: z.number().int().min(0), text: z.string(), intent: z.string() }).nullable().default(null),
  /**
   * Needs that failed (an answer rejected, the same asked again, a detail not given; `not understood`
   * counts the messages the bot did not understand), with the messages as evidence.
   */
  failures: z.array(z.object({ need: z.string(), count: z.number().int().min(1), evidence: z.array(triggerEvidenceSchema) })).default([]),
  /** The bot has just offered a person and waits for a yes or no. */
  offeredPerson: z.boolean().default(false),
  /** Whether the bot greeted or prompted after a greeting, so a second "hi" gets no second greeting. */
  greeted: z.boolean().default(false),
  /** Where the bot was stuck when it stopped (the handoff's `stuckAt`): what it was doing and the unmet need. */
  stuck: z.object({ reason: z.string(), need: z.string().optional() }).nullable().default(null),
});
export type ConversationState = z.infer<typeof conversationStateSchema>;

/** The state of a conversation the bot has not seen yet. */
export function initialConversationState(): ConversationState {
  return {
    v: 1,
    status: 'active',
    turns: 0,
    nextMessageIndex: 0,
    intent: null,
    lowConfidenceStreak: 0,
    humanRequests: 0,
    sentiment: [],
    recent: [],
    entities: [],
    topics: [],
    slots: {},
    pendingSlot: null,
    awaitingConfirmation: null,
    tried: [],
    triggers: [],
    stopReason: null,
    question: null,
    failures: [],
    offeredPerson: false,
    greeted: false,
    stuck: null,
  };
}

export const STATE_LIMITS = { sentiment: 20, recent: 3, entities: 20, tried: 20, evidencePerTrigger: 3, failures: 5, quoted: 280 } as const;
