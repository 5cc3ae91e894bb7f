/**
 * The bot turn, the entry the worker's bot activity calls: validates the input, understands the
 * message, updates the conversation state, fires the conversation's triggers, lets the bot decide
 * (bot/decision.ts) and returns the reply with the flow's `nlu` view of the conversation.
 */
import { customerSchema, type CustomerInput, type Entity, type EscalationTrigger, type NluSnapshot } from '@tandem/contracts';
import { analyzeMessage, type MessageAnalysis } from './analyze';
import { canAnswer, sureOf } from './bot/answers';
import { settleOpenAttempts } from './bot/attempts';
import { conversationTriggers, recordTriggers } from './bot/conversation-triggers';
import { decide } from './bot/decision';
import { findArticle } from './bot/knowledge-answers';
import { type BotOutcome, type Decision } from './bot/outcome';
import { afterGreeting, CONVERSATIONAL_INTENTS, isAnswerToPrompt, movesOn, saysItFailed, withOwnPhrases } from './bot/understanding';
import { parseInput, parseNow, VirtualAgentInputError } from './errors';
import { NO_INTENT } from './intents/default-intents';
import { getIntentModel } from './nlu/intent-model';
import { parseBotOptions, type BotOptionsInput } from './options';
import { conversationStateSchema, initialConversationState, STATE_LIMITS, type ConversationState } from './state';
import { analysedText } from './text';
import { normalizeForRepetition } from './triggers';

export type { BotOutcome } from './bot/outcome';

/** One customer message for the bot, with everything it needs: a pure function of this input. */
export interface BotTurnInput {
  /** The bot's configuration (see {@link botOptionsSchema}); validated on every call. */
  options: BotOptionsInput;
  /** The state returned by the previous turn; `null`/absent for the first customer message. */
  state?: ConversationState | null;
  /** What the customer wrote (or the transcription of what they said). */
  message: string;
  /** The turn's time (ISO-8601), e.g. workflow time: relative dates resolve against it. */
  now: string;
  /** Index of this message in the contact's transcript; defaults to the bot's own count. */
  messageIndex?: number;
  /** The customer, for the `high_value` (tier) and `repeat_contact` (attributes) triggers. */
  customer?: CustomerInput;
  /** The contact is a repeat contact about the same issue (e.g. from the flow's input). */
  repeatContact?: boolean;
  /** The customer's UTC offset in minutes or a zone abbreviation, for relative dates; UTC when absent. */
  timezone?: string | number;
  /**
   * The flow already greeted the customer (the bot node's greeting, a welcome message): a "hi" then
   * gets `texts.greetingPrompt`, not a second greeting. Absent: assumed, so a greeting is never doubled.
   */
  greeted?: boolean;
}

/** What a bot turn produced. Serializable; `state` goes back into the next turn. */
export interface BotTurnResult {
  reply: string;
  /** The knowledge article the reply comes from, if any. */
  articleId?: string;
  outcome: BotOutcome;
  state: ConversationState;
  /** What flows see as `nlu`: the conversation's intent, the latest sentiment, topics and all triggers so far. */
  nlu: NluSnapshot;
  /** This message on its own: intent, alternatives, entities, sentiment, topics and message triggers. */
  analysis: MessageAnalysis;
  /** Triggers fired on this turn (message and conversation level), with evidence. */
  triggers: EscalationTrigger[];
  /** The trigger that made the bot escalate (outcome `escalate`), else null. */
  escalation: EscalationTrigger | null;
  /** Slot values collected so far, by slot name. */
  slots: Record<string, string>;
  /**
   * This turn's reply gave an answer (a knowledge article, an intent's answer, the answer after slot
   * filling; outcome `continue`): the conversation counts as resolved once the customer confirms it
   * (a later turn returns `resolved`) or stays quiet for the flow's quiet period (the caller decides
   * that; see {@link endAfterQuietPeriod}).
   */
  awaitingConfirmation: boolean;
}

/** The bot's first message, before the customer has said anything. */
export function botGreeting(options: BotOptionsInput): string {
  return parseBotOptions(options).texts.greeting;
}

/**
 * Runs one bot turn: understands the message, updates the conversation state, decides the outcome
 * and replies. Deterministic: the same input gives the same output (no clock, no randomness; models
 * train deterministically and are cached per configuration). Safe to retry.
 *
 * @example
 * let state = null;
 * const turn = await runBotTurn({ options: {}, state, message: 'when do you open on Sunday?', now: '2026-03-01T10:00:00Z' });
 * turn.reply;    // the opening-hours article, then "Did that answer your question?"
 * turn.outcome;  // 'continue'
 * state = turn.state;
 */
export async function runBotTurn(input: BotTurnInput): Promise<BotTurnResult> {
  if (input === null || typeof input !== 'object') throw new VirtualAgentInputError('input', ['input: expected an object { options, state, message, now }']);
  const options = parseBotOptions(input.options);
  const previous = input.state == null ? initialConversationState() : parseInput(conversationStateSchema, input.state, 'state');
  if (previous.status !== 'active') {
    throw new VirtualAgentInputError('state', [`state.status: this conversation already ended (${previous.status}); start from a null state for a new bot visit`]);
  }
  const message = validateMessage(input.message);
  const now = parseNow(input.now);
  const customer = input.customer === undefined ? undefined : parseInput(customerSchema, input.customer, 'customer');
  if (input.messageIndex !== undefined && (!Number.isInteger(input.messageIndex) || input.messageIndex < 0)) {
    throw new VirtualAgentInputError('messageIndex', [`messageIndex: expected a non-negative integer, got ${JSON.stringify(input.messageIndex)}`]);
  }
  const messageIndex = input.messageIndex ?? previous.nextMessageIndex;

  const model = await getIntentModel({ useDefaultIntents: options.useDefaultIntents, intents: options.intents });
  const analyze = (text: string) =>
    analyzeMessage(model, analysedText(text), {
      confidenceThreshold: options.confidenceThreshold,
      messageIndex,
      now,
      ...(input.timezone === undefined ? {} : { timezone: input.timezone }),
    });
  let analysis = await analyze(message);
  // "hi, my internet keeps dropping every evening" is the problem, not a greeting: read what follows the hello.
  const request = analysis.intent === 'greeting' ? afterGreeting(message) : undefined;
  if (request !== undefined) analysis = await analyze(request);
  analysis = withOwnPhrases(analysis, options, request ?? message);

  const state: ConversationState = structuredClone(previous);
  state.turns += 1;
  state.nextMessageIndex = messageIndex + 2;
  state.sentiment = [...state.sentiment, analysis.sentiment].slice(-STATE_LIMITS.sentiment);
  state.entities = mergeEntities(state.entities, analysis.entities);
  state.topics = [...new Set([...state.topics, ...analysis.topics])];
  // "Get me a human", "thanks" or "I don't have it" (to the bot's question) does not replace what the
  // customer came for: the agent needs that.
  const movedOn = movesOn(state, analysis, message);
  const keepsNeed =
    (CONVERSATIONAL_INTENTS.has(analysis.intent) && state.intent && !CONVERSATIONAL_INTENTS.has(state.intent.name)) || (state.pendingSlot !== null && !movedOn);
  if (analysis.intent !== NO_INTENT && !keepsNeed) state.intent = { name: analysis.intent, confidence: analysis.confidence };

  // Understood: an answer to the bot's question, a request the bot can act on (or the classifier is
  // sure of), or a question the knowledge base answers whatever the classifier made of it.
  const text = analysedText(request ?? message);
  const understood =
    isAnswerToPrompt(state, options, analysis, message) ||
    (analysis.intent === NO_INTENT
      ? !saysItFailed(message) && findArticle(state, options, text) !== undefined
      : CONVERSATIONAL_INTENTS.has(analysis.intent) || sureOf(analysis) || canAnswer(state, options, analysis, text));
  const triggers = conversationTriggers(state, options, { analysis, message, messageIndex, now, customer, repeatContact: input.repeatContact === true, understood });
  state.recent = [...state.recent, normalizeForRepetition(message)].slice(-STATE_LIMITS.recent);
  state.triggers = recordTriggers(state.triggers, triggers);

  const decision = decide(state, options, { text: request ?? message, messageIndex, analysis, triggers, greeted: input.greeted !== false, movedOn });
  return finish(state, decision, analysis, triggers);
}

function validateMessage(message: unknown): string {
  if (typeof message !== 'string') throw new VirtualAgentInputError('message', [`message: expected the customer's text as a string, got ${typeof message}`]);
  const trimmed = message.trim();
  if (trimmed.length === 0) throw new VirtualAgentInputError('message', ['message: is empty; a wait node should not hand an empty reply to the bot']);
  // No upper limit here: the contact's entry points enforce one; a long message is analysed by its start and end (see analysedText).
  return trimmed;
}

/** Entities known so far plus the message's new ones (the latest, capped). */
function mergeEntities(known: Entity[], found: Entity[]): Entity[] {
  const merged = [...known];
  for (const entity of found) {
    if (!merged.some((e) => e.type === entity.type && e.value === entity.value)) merged.push(entity);
  }
  return merged.slice(-STATE_LIMITS.entities);
}

/** The turn's result: the decision, the state for the next turn and what the flow sees as `nlu`. */
function finish(state: ConversationState, decision: Decision, analysis: MessageAnalysis, triggers: EscalationTrigger[]): BotTurnResult {
  const nlu: NluSnapshot = {
    intent: state.intent?.name ?? NO_INTENT,
    confidence: state.intent?.confidence ?? analysis.confidence,
    sentiment: analysis.sentiment,
    topics: [...state.topics],
    triggers: [...new Set(state.triggers.map((t) => t.kind))],
  };
  return {
    reply: decision.reply,
    ...(decision.articleId ? { articleId: decision.articleId } : {}),
    outcome: decision.outcome,
    state,
    nlu,
    analysis,
    triggers,
    escalation: decision.escalation,
    slots: { ...state.slots },
    awaitingConfirmation: decision.outcome === 'continue' && decision.awaitingConfirmation === true,
  };
}

/**
 * Trains (and caches) the models of the given bot configurations ahead of the first turn, e.g. when a
 * worker starts with the bot nodes of the published flows, so no customer waits for training.
 */
export async function preloadBotModels(optionsList: readonly BotOptionsInput[]): Promise<void> {
  for (const input of optionsList) {
    const options = parseBotOptions(input);
    await getIntentModel({ useDefaultIntents: options.useDefaultIntents, intents: options.intents });
  }
}

/**
 * The conversation after the customer stayed quiet for the flow's quiet period following an answer
 * (`awaitingConfirmation` was true): resolved, with the answer's attempt settled as unanswered, so a
 * later handoff (say, from a survey) does not report the bot as stuck. Returns a new state.
 *
 * @example
 * if (turn.awaitingConfirmation && noReplyWithin(quietSeconds)) conversation = endAfterQuietPeriod(turn.state);
 */
export function endAfterQuietPeriod(state: ConversationState): ConversationState {
  const ended = structuredClone(parseInput(conversationStateSchema, state, 'state'));
  if (ended.status !== 'active' || !ended.awaitingConfirmation) return ended;
  settleOpenAttempts(ended, undefined, 'no reply within the quiet period after it; counted as resolved');
  ended.stopReason = `answered (${ended.awaitingConfirmation}); the customer stayed quiet`;
  ended.awaitingConfirmation = null;
  ended.stuck = null;
  ended.status = 'resolved';
  return ended;
}
