import { attemptSchema, entitySchema, escalationTriggerSchema } from '@tandem/contracts';
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
  /** The article the bot answered from and is waiting on a yes/no for. */
  awaitingConfirmation: z.string().nullable(),
  tried: z.array(attemptSchema),
  /** Every trigger fired so far (one per kind and detail, evidence capped at 3). */
  triggers: z.array(escalationTriggerSchema),
  /** Why the bot stopped, when it did. */
  stopReason: z.string().nullable(),
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
  };
}

export const STATE_LIMITS = { sentiment: 20, recent: 3, entities: 20, tried: 20, evidencePerTrigger: 3 } as const;
