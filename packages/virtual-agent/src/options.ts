import { escalationTriggerKindSchema } from '@tandem/contracts';
import { z } from 'zod';
import { parseInput } from './errors';
import { knowledgeArticleSchema } from './knowledge/knowledge-base';

/** The kinds of entity the virtual agent extracts. */
export const entityTypeSchema = z.enum(['order_number', 'date', 'amount', 'email', 'phone']);
export type EntityType = z.infer<typeof entityTypeSchema>;

const intentNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,63}$/, 'intent names are snake_case: lower-case letters, digits and _, starting with a letter');

/** An intent a bot node adds to (or extends in) the default set. */
export const extraIntentSchema = z.object({
  name: intentNameSchema,
  /** Training phrases. Phrases for a default intent's name extend that intent. */
  phrases: z.array(z.string().trim().min(1, 'a training phrase cannot be empty')).min(1, 'give at least one training phrase'),
  /** What the bot says when it recognises the intent and nothing more specific applies. */
  reply: z.string().min(1).optional(),
  topic: z.string().min(1).optional(),
});
export type ExtraIntent = z.infer<typeof extraIntentSchema>;

/** A detail the bot collects before it considers an intent handled (e.g. the order number for `order_status`). */
export const slotSchema = z.object({
  /** Name the value is reported under in `BotTurnResult.slots`. */
  name: z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]*$/, 'slot names are identifiers (letters, digits, _)'),
  entity: entityTypeSchema,
  /** The question that asks for it. */
  prompt: z.string().min(1),
  /** Asked again (with `reprompt`, or the prompt) when the answer does not contain the entity, at most this many times. */
  maxReprompts: z.number().int().min(0).max(10).default(2),
  reprompt: z.string().min(1).optional(),
  /** Only collect it for these intents; all intents when absent. */
  intents: z.array(intentNameSchema).optional(),
});
export type SlotOptions = z.infer<typeof slotSchema>;

const DEFAULT_ESCALATE_ON = [
  'human_request',
  'frustration',
  'complaint',
  'legal_threat',
  'regulatory',
  'vulnerable_customer',
  'negative_sentiment',
  'low_confidence',
] as const;

export const botTextsSchema = z.object({
  greeting: z.string().min(1).default('Hi, I am the virtual assistant. How can I help you today?'),
  fallback: z.string().min(1).default('Sorry, I did not quite get that. Could you say it another way?'),
  escalating: z.string().min(1).default('I am passing you to one of my colleagues now. They will see everything we have discussed.'),
  goodbye: z.string().min(1).default('Glad I could help. Goodbye!'),
  /** Asked after a knowledge answer. */
  confirmAnswer: z.string().min(1).default('Did that answer your question?'),
  /** When the customer says a knowledge answer did not help. */
  answerRejected: z.string().min(1).default('Sorry that did not help. Can you tell me a bit more about what you need?'),
  /** When max turns or repeated low confidence end the conversation without escalation. */
  noMatch: z.string().min(1).default('I am sorry I could not help with that.'),
  /**
   * When the customer tells the bot about a bereavement, an illness or money trouble without asking
   * for anything yet, and the node does not escalate on `vulnerable_customer`: an acknowledgement
   * instead of "I did not get that".
   */
  acknowledge: z.string().min(1).default('I am very sorry to hear that. Tell me what you need and I will do my best to help.'),
  /** When all slots of an intent are collected. `{slots}` is replaced by the collected values. */
  slotsComplete: z.string().min(1).default('Thank you, I have everything I need.'),
});
export type BotTexts = z.infer<typeof botTextsSchema>;

/**
 * Configuration of one bot: the flow's bot node maps its config onto this. Every field has a default,
 * so `{}` is a working CX bot with the default intents and knowledge base.
 *
 * @example
 * const options: BotOptionsInput = {
 *   intents: [{ name: 'loyalty_points', phrases: ['how many points do I have', 'points balance'] }],
 *   knowledge: { enabled: true, answerThreshold: 0.45 },
 *   maxTurns: 6,
 *   confidenceThreshold: 0.6,
 *   lowConfidenceLimit: 2,
 *   escalateOn: ['human_request', 'legal_threat', 'vulnerable_customer', 'low_confidence'],
 *   slots: [{ name: 'orderNumber', entity: 'order_number', prompt: 'What is your order number?', intents: ['order_status'] }],
 * };
 */
export const botOptionsSchema = z
  .object({
    /** The flow node running the bot; reported as `stuckAt.nodeId` in handoff packages. */
    nodeId: z.string().min(1).default('bot'),
    nodeLabel: z.string().optional(),
    /** Start from the shipped CX intent set (recommended); `false` trains only `intents`. */
    useDefaultIntents: z.boolean().default(true),
    /** Extra intents or extra phrases for default intents. */
    intents: z.array(extraIntentSchema).default([]),
    knowledge: z
      .object({
        enabled: z.boolean().default(true),
        /** 0…1; the bot answers from the best article only at or above it. */
        answerThreshold: z.number().min(0).max(1).default(0.5),
        /** A custom knowledge base; the shipped one when absent. */
        articles: z.array(knowledgeArticleSchema).min(1, 'a custom knowledge base needs at least one article').optional(),
      })
      .prefault({}),
    /** The bot stops (no_match, or escalate if `bot_failure` is listed) after this many customer messages. */
    maxTurns: z.number().int().min(1).max(100).default(8),
    /** Below this the intent is `none`. */
    confidenceThreshold: z.number().min(0).max(1).default(0.5),
    /** Low confidence this many times in a row fires the `low_confidence` trigger. */
    lowConfidenceLimit: z.number().int().min(1).max(20).default(2),
    /** Trigger kinds that make the bot escalate. A request for a human always escalates. */
    escalateOn: z.array(escalationTriggerKindSchema).default([...DEFAULT_ESCALATE_ON]),
    /** Customer tiers that fire `high_value`. */
    highValueTiers: z.array(z.string().min(1)).default(['vip', 'platinum', 'gold']),
    /** Sentiment at or below which (averaged over the last two messages, worsening) `negative_sentiment` fires. */
    negativeSentimentThreshold: z.number().min(-1).max(0).default(-0.45),
    texts: botTextsSchema.prefault({}),
    slots: z.array(slotSchema).default([]),
  })
  .superRefine((options, ctx) => {
    const slotNames = new Set<string>();
    options.slots.forEach((slot, i) => {
      if (slotNames.has(slot.name)) ctx.addIssue({ code: 'custom', path: ['slots', i, 'name'], message: `slot "${slot.name}" is declared twice` });
      slotNames.add(slot.name);
    });
    const intentNames = new Set<string>();
    options.intents.forEach((intent, i) => {
      if (intentNames.has(intent.name)) ctx.addIssue({ code: 'custom', path: ['intents', i, 'name'], message: `intent "${intent.name}" is declared twice; list its phrases once` });
      intentNames.add(intent.name);
      if (intent.name === 'none') ctx.addIssue({ code: 'custom', path: ['intents', i, 'name'], message: '"none" is reserved for "nothing understood"' });
    });
    if (!options.useDefaultIntents && options.intents.length < 2) {
      ctx.addIssue({ code: 'custom', path: ['intents'], message: 'without the default intents, give at least two intents to tell apart' });
    }
  });

export type BotOptions = z.output<typeof botOptionsSchema>;
export type BotOptionsInput = z.input<typeof botOptionsSchema>;

/** Validates bot options and fills in defaults; throws a `VirtualAgentInputError` naming each bad field. */
export function parseBotOptions(options: unknown): BotOptions {
  // Every turn validates the same configuration again; remember valid ones by their JSON text.
  // The parsed object is shared, so it is frozen: nothing downstream may change it.
  const raw = JSON.stringify(options ?? {});
  const cached = parsedOptions.get(raw);
  if (cached) return cached;
  const parsed = deepFreeze(parseInput(botOptionsSchema, options ?? {}, 'options'));
  parsedOptions.set(raw, parsed);
  if (parsedOptions.size > 64) {
    const oldest = parsedOptions.keys().next().value;
    if (oldest !== undefined) parsedOptions.delete(oldest);
  }
  return parsed;
}

const parsedOptions = new Map<string, BotOptions>();

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
