import { escalationTriggerKindSchema } from '@tandem/contracts';
import { z } from 'zod';
import { duplicates, escapeHatchOptOut, loopBound, template, variableName } from './common';
import { defineNode, type ExpressionSite, type VariableWrite } from './types';

/** Triggers a bot escalates on unless the designer narrows them. */
const DEFAULT_ESCALATION_TRIGGERS = [
  'human_request',
  'negative_sentiment',
  'frustration',
  'low_confidence',
  'complaint',
  'legal_threat',
  'regulatory',
  'vulnerable_customer',
] as const;

export const botIntentSchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9_.]{0,63}$/, 'must be lower_snake_case (letters, digits, "_" and ".")'),
  /** Example customer sentences; the virtual agent trains on them. */
  phrases: z.array(z.string().trim().min(1)).min(3, 'give at least 3 training phrases').describe('Example customer sentences; the virtual agent trains on them.'),
  /** What the bot answers when it recognises this intent (a template); absent: it only records the intent. */
  answer: template('Answer to this intent').optional().describe('What the bot answers when it recognises this intent (a template); absent: it only records the intent.'),
  /** When true, recognising this intent resolves the conversation (the `resolved` exit). */
  resolves: z.boolean().default(false).describe('When true, recognising this intent resolves the conversation (the `resolved` exit).'),
});

export const botSlotSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/),
  /** Entity type to extract: order_number, email, phone, date, amount, or a custom one. */
  entity: z.string().min(1).describe('Entity type to extract: order_number, email, phone, date, amount, or a custom one.'),
  prompt: template('Question asked to fill the slot'),
  required: z.boolean().default(true),
  /** Flow variable that receives the value. */
  saveAs: variableName.optional().describe('Flow variable that receives the value.'),
  /** Ask for it only when the customer's intent is one of these (e.g. the order number for order_status); every intent when absent. */
  intents: z.array(z.string().min(1)).optional().describe('Ask only for these intents (all when absent).'),
});

const text = (describe: string) => template(describe).refine((t) => t.trim().length > 0, { message: 'the sentence is empty' }).optional().describe(describe);

/**
 * The sentences the bot says besides the flow's intents' answers, each overridable (the virtual agent's
 * `BotTexts`; a worker test keeps the names equal).
 */
export const botTextsSchema = z.strictObject({
  greetingPrompt: text('The answer to a greeting once the customer was greeted'),
  offerPerson: text('Offering a person after clarifications that did not help'),
  offerDeclined: text('When the customer declines a person'),
  escalating: text('Said whenever the bot hands over to a person'),
  noAnswer: text('Before handing over when the bot has no answer'),
  gaveUp: text('Before handing over after repeated failure'),
  goodbye: text('When the customer confirms an answer helped'),
  farewell: text('When the customer says goodbye before any answer'),
  confirmAnswer: text('Asked after every answer'),
  anotherAnswer: text('Before a second answer for the same need'),
  answerRejected: text('When an answer did not help and there is no other'),
  noMatch: text('When the bot runs out of turns'),
  acknowledge: text('When the customer tells of a bereavement, an illness or money trouble'),
});

export const botConfigSchema = z
  .object({
    /** Extra intents on top of the virtual agent's default customer-service set. */
    intents: z.array(botIntentSchema).default([]).describe('Extra intents on top of the virtual agent\'s default customer-service set.'),
    knowledgeBase: z
      .object({
        enabled: z.boolean().default(true),
        /** Minimum score for an article to be used as an answer. */
        answerThreshold: z.number().min(0).max(1).default(0.6).describe('Minimum score for an article to be used as an answer.'),
      })
      .default({ enabled: true, answerThreshold: 0.6 })
      .describe('Answer from knowledge articles'),
    /** Customer turns before the bot gives up (`no_match`). */
    maxTurns: z.number().int().min(1).max(50).default(6).describe('Customer turns before the bot gives up (`no_match`).'),
    /** Below this intent confidence a turn counts as low confidence. */
    confidenceThreshold: z.number().min(0).max(1).default(0.6).describe('Below this intent confidence a turn counts as low confidence.'),
    /** Escalate after this many low-confidence turns (when `low_confidence` is among the triggers). */
    lowConfidenceLimit: z.number().int().min(1).max(20).default(2).describe('Escalate after this many low-confidence turns (when `low_confidence` is among the triggers).'),
    /** When the bot does not understand: ask to say it another way this many times in a row, then offer a person. */
    clarifyLimit: z.number().int().min(0).max(10).default(1).describe('Times in a row the bot asks to say it another way before it offers a person (0: offer at once).'),
    /** After `clarifyLimit` clarifications, offer a person; off: keep asking until `fallbackLimit`. */
    offerPerson: z.boolean().default(true).describe('Offer a person after the clarifications; off: keep asking until fallbackLimit.'),
    /** This many messages not understood in one conversation go to a person (`bot_failure`). */
    fallbackLimit: z.number().int().min(1).max(50).default(3).describe('Messages not understood in one conversation before it goes to a person (bot_failure).'),
    /** The same need failing this many times (an answer that did not help, the same question again) goes to a person (`bot_failure`). */
    failureLimit: z.number().int().min(1).max(10).default(2).describe('Times the same need may fail (an answer that did not help, the same question again) before it goes to a person (bot_failure).'),
    /** Which detected triggers send the conversation to `escalate`. */
    escalateOn: z.array(escalationTriggerKindSchema).default([...DEFAULT_ESCALATION_TRIGGERS]).describe('Which detected triggers send the conversation to `escalate`.'),
    greeting: template('First message of the bot').optional(),
    fallbackMessage: template('What the bot says when it did not understand').default(
      "Sorry, I didn't quite get that. Could you say it another way?",
    ),
    slots: z.array(botSlotSchema).default([]).describe('Values to collect from the customer (order number, email…)'),
    /** The bot's sentences, each the flow's to change (templates); absent ones keep the virtual agent's defaults. */
    texts: botTextsSchema.default({}).describe('What the bot says (each sentence may be changed)'),
    ...loopBound,
    ...escapeHatchOptOut,
  })
  .superRefine((config, issue) => {
    for (const d of duplicates(config.intents, (i) => i.name)) {
      issue.addIssue({ code: 'custom', path: ['intents', d.index, 'name'], message: `the intent "${d.key}" is defined twice` });
    }
    for (const d of duplicates(config.slots, (s) => s.name)) {
      issue.addIssue({ code: 'custom', path: ['slots', d.index, 'name'], message: `the slot "${d.key}" is defined twice` });
    }
    for (const d of duplicates(config.escalateOn, (t) => t)) {
      issue.addIssue({ code: 'custom', path: ['escalateOn', d.index], message: `the trigger "${d.key}" is listed twice` });
    }
  });
export type BotConfig = z.infer<typeof botConfigSchema>;

/** A virtual-agent conversation: intents, knowledge answers, slot filling, escalation triggers. */
export const botNode = defineNode({
  type: 'bot',
  typeVersion: 1,
  title: 'Virtual agent',
  category: 'conversation',
  description: 'Let the virtual agent talk with the customer: answer intents and knowledge questions, fill slots, escalate on triggers.',
  hasInput: true,
  waits: true,
  configSchema: botConfigSchema,
  ports: [
    { id: 'resolved', label: 'Resolved', description: 'The customer’s need was met by the bot.' },
    { id: 'escalate', label: 'Escalate', description: 'A trigger fired (human request, sentiment, sensitive topic, low confidence…).' },
    { id: 'no_match', label: 'No match', description: 'The bot ran out of turns without resolving or escalating.' },
  ],
  loopExitPort: (config) => config.onMaxVisits ?? 'escalate',
  expressions: (config) => {
    const sites: ExpressionSite[] = [];
    if (config.greeting !== undefined) sites.push({ path: ['greeting'], source: config.greeting, kind: 'template', expect: 'any', describe: 'greeting' });
    sites.push({ path: ['fallbackMessage'], source: config.fallbackMessage, kind: 'template', expect: 'any', describe: 'fallback message' });
    config.intents.forEach((intent, i) => {
      if (intent.answer !== undefined) {
        sites.push({ path: ['intents', i, 'answer'], source: intent.answer, kind: 'template', expect: 'any', describe: `answer of intent "${intent.name}"` });
      }
    });
    config.slots.forEach((slot, i) => {
      sites.push({ path: ['slots', i, 'prompt'], source: slot.prompt, kind: 'template', expect: 'any', describe: `prompt of slot "${slot.name}"` });
    });
    return sites;
  },
  writes: (config) =>
    config.slots.flatMap((slot, i): VariableWrite[] =>
      slot.saveAs === undefined ? [] : [{ variable: slot.saveAs, path: ['slots', i, 'saveAs'], accepts: ['string'] }],
    ),
  docs: `Runs the virtual agent for up to \`maxTurns\` customer turns. Each turn the agent classifies the message
(default customer-service intents plus \`intents\`), answers from the knowledge base when an article scores at
least \`knowledgeBase.answerThreshold\`, and asks for missing \`slots\`. The conversation leaves through:

- \`resolved\` when an intent marked \`resolves\` is recognised, or the customer confirms an answer helped;
- \`escalate\` as soon as one of \`escalateOn\` fires — \`low_confidence\` fires after \`lowConfidenceLimit\` turns
  whose confidence is below \`confidenceThreshold\`;
- \`no_match\` after \`maxTurns\` turns without either.

The result is readable afterwards as \`bot\` (\`bot.outcome\`, \`bot.intent\`, \`bot.turns\`, \`bot.articleId\`,
\`bot.trigger\`) and the NLU snapshot as \`nlu\`.`,
});
