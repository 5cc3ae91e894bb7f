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
  /**
   * The flow's "this intent resolves the conversation". With a `reply` (or a knowledge article) the
   * bot answers and awaits confirmation like for any answer; without one it hands the intent back to
   * the flow at once (outcome `resolved`, no reply), for a flow that acts on it itself.
   */
  resolves: z.boolean().optional(),
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
  /**
   * False: when the customer does not give it (after `maxReprompts`), the bot goes on without it and
   * answers from the knowledge base (the intent's own answer may need the value). True (default): not
   * getting it hands over as `bot_failure`, with "the order number" as the unmet need.
   */
  required: z.boolean().default(true),
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

/**
 * Every sentence the bot says, each the flow's to edit. The defaults are written to follow each other
 * without contradiction and to fit whatever the flow does next: `escalating` promises no timing ("now")
 * because the flow may offer a callback, queue the customer or be closed for the night.
 */
export const botTextsSchema = z.object({
  /** The bot's own first message, when the flow has not greeted the customer (see `BotTurnInput.greeted`). */
  greeting: z.string().min(1).default('Hi, I am the virtual assistant. How can I help you today?'),
  /** The answer to a greeting once the customer has been greeted: a short prompt, not a second greeting. */
  greetingPrompt: z.string().min(1).default('Hello! Tell me in a few words what you need help with.'),
  /** The clarifying question after a message the bot did not understand. */
  fallback: z.string().min(1).default('Sorry, I did not quite get that. Could you say it another way?'),
  /** After `clarifyLimit` clarifications in a row that did not help (when `offerPerson` is on). */
  offerPerson: z.string().min(1).default('I am sorry, I am still not sure what you need. Would you like me to bring in a colleague?'),
  /** When the customer declines the offer of a person. */
  offerDeclined: z.string().min(1).default('All right. Tell me in a few words what you need and I will do my best to help.'),
  /** Said whenever the bot hands over to a person (a trigger, a request, repeated failure). */
  escalating: z.string().min(1).default('I will bring in a colleague; they will see everything we have discussed.'),
  /** Said before `escalating` when the bot has no answer for what the customer asked. */
  noAnswer: z.string().min(1).default('I cannot sort that out for you here.'),
  /** Said before `escalating` when the same need failed `failureLimit` times or the bot fell back `fallbackLimit` times. */
  gaveUp: z.string().min(1).default('I am sorry I could not sort this out.'),
  /**
   * When the customer confirms an answer helped, or says goodbye after one. No goodbye by default: what
   * follows `resolved` (a survey, the end step's message) says it, and two goodbyes contradict each other.
   */
  goodbye: z.string().min(1).default('You are welcome.'),
  /** When the customer says goodbye before the bot answered anything. */
  farewell: z.string().min(1).default('Thanks for getting in touch.'),
  /** Asked after every answer (a knowledge article, an intent's answer). */
  confirmAnswer: z.string().min(1).default('Did that answer your question?'),
  /** Said before a second article for the same need, after the customer said the first did not help. */
  anotherAnswer: z.string().min(1).default('Sorry that did not help. This may answer it better:'),
  /** When the customer says an answer did not help and the bot has no other one: rephrase, or a person. */
  answerRejected: z.string().min(1).default('Sorry that did not help. Could you tell me a bit more about what you need? If you prefer, I can bring in a colleague.'),
  /** When max turns or repeated low confidence end the conversation without escalation. */
  noMatch: z.string().min(1).default('I am sorry I could not help with that.'),
  /**
   * When the customer tells the bot about a bereavement, an illness or money trouble without asking
   * for anything yet, and the node does not escalate on `vulnerable_customer`: an acknowledgement
   * instead of "I did not get that".
   */
  acknowledge: z.string().min(1).default('I am very sorry to hear that. Tell me what you need and I will do my best to help.'),
  /**
   * No longer said: slot filling ends with the intent's answer (or hands a `resolves` intent back to
   * the flow). Accepted so existing configurations stay valid.
   */
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
    /** An unrecognised message gets `texts.fallback` this many times in a row before the bot offers a person. */
    clarifyLimit: z.number().int().min(0).max(10).default(1),
    /** After `clarifyLimit` clarifications, offer a person (`texts.offerPerson`); false: keep clarifying until `fallbackLimit`. */
    offerPerson: z.boolean().default(true),
    /** This many unrecognised messages in one conversation escalate as `bot_failure`, with those messages as evidence. */
    fallbackLimit: z.number().int().min(1).max(50).default(3),
    /**
     * The same need failing this many times (the customer says an answer did not help, asks the same
     * again after an answer, or cannot give a detail the intent needs) escalates as `bot_failure`, with
     * the loop as evidence.
     */
    failureLimit: z.number().int().min(1).max(10).default(2),
    /** `customer.attributes.recentContacts` ended this many days before the turn count for `repeat_contact`. */
    repeatContactWindowDays: z.number().min(0).max(365).default(7),
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
