import {
  customerSchema,
  type Attempt,
  type CustomerInput,
  type Entity,
  type EscalationTrigger,
  type NluSnapshot,
} from '@tandem/contracts';
import { analyzeMessage, type MessageAnalysis } from './analyze';
import { parseInput, parseNow, VirtualAgentInputError } from './errors';
import { DEFAULT_CX_INTENTS, NO_INTENT } from './intents/default-intents';
import { KnowledgeBase } from './knowledge/knowledge-base';
import { getIntentModel } from './nlu/intent-model';
import { sentimentTrend } from './nlu/sentiment';
import { parseBotOptions, type BotOptions, type BotOptionsInput, type SlotOptions } from './options';
import { conversationStateSchema, initialConversationState, STATE_LIMITS, type ConversationState } from './state';
import { byPriority, normalizeForRepetition } from './triggers';

/** How a bot turn ended; the flow's bot node maps these onto its ports. */
export type BotOutcome = 'continue' | 'resolved' | 'escalate' | 'no_match';

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
}

const MAX_MESSAGE_LENGTH = 5000;
const CONVERSATIONAL_INTENTS = new Set(['greeting', 'goodbye', 'human_request']);
const AFFIRMATIVE = /^\W*(?:yes|yeah|yep|yup|ya|y|sure|correct|it did|that did|that helps?|that helped|perfect|great|brilliant|thanks?|thank you|cheers|ok(?:ay)?|sorted|that'?s? (?:it|great|perfect|all|everything))\b/i;
const NEGATIVE = /^\W*(?:no|nope|nah|not really|it didn'?t|that didn'?t|didn'?t help|doesn'?t help|not helpful|wrong|that'?s not (?:it|what i (?:asked|need|meant)))\b/i;

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
  const analysis = await analyzeMessage(model, message, {
    confidenceThreshold: options.confidenceThreshold,
    messageIndex,
    now,
    ...(input.timezone === undefined ? {} : { timezone: input.timezone }),
  });

  const state: ConversationState = structuredClone(previous);
  state.turns += 1;
  state.nextMessageIndex = messageIndex + 2;
  state.sentiment = [...state.sentiment, analysis.sentiment].slice(-STATE_LIMITS.sentiment);
  state.entities = mergeEntities(state.entities, analysis.entities);
  state.topics = [...new Set([...state.topics, ...analysis.topics])];
  // "Get me a human" or "thanks" does not replace what the customer came for: the agent needs that.
  const keepsNeed = CONVERSATIONAL_INTENTS.has(analysis.intent) && state.intent && !CONVERSATIONAL_INTENTS.has(state.intent.name);
  if (analysis.intent !== NO_INTENT && !keepsNeed) state.intent = { name: analysis.intent, confidence: analysis.confidence };

  const answersPrompt = isAnswerToPrompt(state, options, analysis, message);
  const triggers = conversationTriggers(state, options, analysis, message, messageIndex, customer, input.repeatContact === true, answersPrompt);
  state.recent = [...state.recent, normalizeForRepetition(message)].slice(-STATE_LIMITS.recent);
  state.triggers = recordTriggers(state.triggers, triggers);

  const decision = decide(state, options, analysis, message, triggers);
  return finish(state, decision, analysis, triggers);
}

function validateMessage(message: unknown): string {
  if (typeof message !== 'string') throw new VirtualAgentInputError('message', [`message: expected the customer's text as a string, got ${typeof message}`]);
  const trimmed = message.trim();
  if (trimmed.length === 0) throw new VirtualAgentInputError('message', ['message: is empty; a wait node should not hand an empty reply to the bot']);
  if (trimmed.length > MAX_MESSAGE_LENGTH) {
    throw new VirtualAgentInputError('message', [`message: ${trimmed.length} characters is more than the ${MAX_MESSAGE_LENGTH} a chat or voice turn can hold`]);
  }
  return trimmed;
}

/** Whether the message answers what the bot just asked (a slot or a yes/no), so "AB123456" is not "low confidence". */
function isAnswerToPrompt(state: ConversationState, options: BotOptions, analysis: MessageAnalysis, message: string): boolean {
  if (state.awaitingConfirmation && (AFFIRMATIVE.test(message) || NEGATIVE.test(message))) return true;
  const slot = state.pendingSlot && options.slots.find((s) => s.name === state.pendingSlot?.name);
  return Boolean(slot && analysis.entities.some((e) => e.type === slot.entity));
}

function conversationTriggers(
  state: ConversationState,
  options: BotOptions,
  analysis: MessageAnalysis,
  message: string,
  messageIndex: number,
  customer: ReturnType<typeof customerSchema.parse> | undefined,
  repeatContact: boolean,
  answersPrompt: boolean,
): EscalationTrigger[] {
  const triggers = analysis.triggers.map((t) => structuredClone(t));
  const evidence = (words: string[]) => [{ messageIndex, text: message, words }];
  const already = (kind: string) => state.triggers.some((t) => t.kind === kind);

  const human = triggers.find((t) => t.kind === 'human_request');
  if (human) {
    state.humanRequests += 1;
    if (state.humanRequests > 1) human.reason = `asked for a human ${state.humanRequests} times; last: ${human.reason.replace(/^asked for a human: /, '')}`;
  }

  const normalized = normalizeForRepetition(message);
  if (normalized.length > 0 && state.recent.includes(normalized)) {
    const repeated = { kind: 'frustration' as const, reason: 'repeated the same message', evidence: evidence([message]) };
    const existing = triggers.find((t) => t.kind === 'frustration');
    if (existing) existing.reason = `${existing.reason}; repeated the same message`;
    else triggers.push(repeated);
  }
  // "operator" on its own twice across messages is the classic IVR way of asking for a person.
  if (!human && /^\W*operator\W*$/i.test(message) && state.recent.some((m) => m === 'operator')) {
    state.humanRequests += 1;
    triggers.push({ kind: 'human_request', reason: 'said "operator" repeatedly', evidence: evidence(['operator']) });
  }

  // Circumstances told without a request ("my husband died last month") were understood: not a miss.
  if (analysis.intent === NO_INTENT && !answersPrompt && !toldCircumstances(analysis)) state.lowConfidenceStreak += 1;
  else state.lowConfidenceStreak = 0;
  if (state.lowConfidenceStreak >= options.lowConfidenceLimit) {
    triggers.push({
      kind: 'low_confidence',
      reason: `not understood ${state.lowConfidenceStreak} times in a row (best guess ${analysis.alternatives[0]?.intent ?? 'none'}, confidence ${analysis.confidence.toFixed(2)})`,
      evidence: evidence([]),
    });
  }

  const trend = sentimentTrend(state.sentiment);
  const lastTwo = state.sentiment.slice(-2);
  const lastTwoMean = lastTwo.reduce((a, b) => a + b, 0) / Math.max(1, lastTwo.length);
  if (
    lastTwo.length === 2 &&
    (lastTwoMean <= options.negativeSentimentThreshold || (trend.direction === 'worsening' && trend.current <= options.negativeSentimentThreshold))
  ) {
    triggers.push({
      kind: 'negative_sentiment',
      reason: `sentiment ${trend.direction}: ${state.sentiment.slice(-4).map((s) => s.toFixed(2)).join(' → ')}`,
      evidence: evidence([]),
    });
  }

  if (customer && options.highValueTiers.includes(customer.tier) && !already('high_value')) {
    triggers.push({ kind: 'high_value', reason: `customer tier "${customer.tier}"`, evidence: [] });
  }
  const attributes = customer?.attributes ?? {};
  const recentContacts = Number(attributes.recentContacts ?? 0);
  if ((repeatContact || attributes.repeatContact === true || recentContacts >= 2) && !already('repeat_contact')) {
    triggers.push({
      kind: 'repeat_contact',
      reason: recentContacts >= 2 ? `${recentContacts} recent contacts about this issue` : 'repeat contact about the same issue',
      evidence: [],
    });
  }
  return triggers;
}

function recordTriggers(recorded: EscalationTrigger[], fired: EscalationTrigger[]): EscalationTrigger[] {
  const result = recorded.map((t) => structuredClone(t));
  for (const trigger of fired) {
    const existing = result.find((t) => t.kind === trigger.kind && t.detail === trigger.detail);
    if (!existing) result.push(structuredClone(trigger));
    else {
      existing.reason = trigger.reason;
      existing.evidence = [...existing.evidence, ...trigger.evidence].slice(-STATE_LIMITS.evidencePerTrigger);
    }
  }
  return result;
}

function mergeEntities(known: Entity[], found: Entity[]): Entity[] {
  const merged = [...known];
  for (const entity of found) {
    if (!merged.some((e) => e.type === entity.type && e.value === entity.value)) merged.push(entity);
  }
  return merged.slice(-STATE_LIMITS.entities);
}

interface Decision {
  outcome: BotOutcome;
  reply: string;
  articleId?: string;
  escalation: EscalationTrigger | null;
}

function decide(state: ConversationState, options: BotOptions, analysis: MessageAnalysis, message: string, triggers: EscalationTrigger[]): Decision {
  const { texts } = options;
  const escalation = triggers.filter((t) => t.kind === 'human_request' || options.escalateOn.includes(t.kind)).sort(byPriority)[0];
  if (escalation) {
    state.status = 'escalated';
    state.stopReason = escalation.reason;
    return { outcome: 'escalate', reply: texts.escalating, escalation };
  }

  if (state.awaitingConfirmation) {
    const articleId = state.awaitingConfirmation;
    state.awaitingConfirmation = null;
    const attempt = [...state.tried].reverse().find((a) => a.kind === 'knowledge_article' && a.detail.startsWith(articleId));
    if (AFFIRMATIVE.test(message) && !NEGATIVE.test(message)) {
      if (attempt) attempt.succeeded = true;
      state.status = 'resolved';
      state.stopReason = `answered from ${articleId}, confirmed by the customer`;
      return { outcome: 'resolved', reply: texts.goodbye, escalation: null };
    }
    if (NEGATIVE.test(message)) {
      if (attempt) attempt.succeeded = false;
      return stopIfExhausted(state, options, { outcome: 'continue', reply: texts.answerRejected, escalation: null });
    }
    // Neither yes nor no: treat it as a new question.
  }

  if (state.pendingSlot) {
    const pending = state.pendingSlot;
    const slot = options.slots.find((s) => s.name === pending.name);
    const value = slot && analysis.entities.find((e) => e.type === slot.entity)?.value;
    if (slot && value) {
      state.slots[slot.name] = value;
      state.pendingSlot = null;
      markAttempt(state, `slot ${slot.name}`, true);
      return askNextSlotOrComplete(state, options);
    }
    // A short answer without the value ("not sure") is a failed answer, whatever the classifier makes
    // of two words; a longer message with a clear intent means the customer moved on.
    const movedOn = analysis.intent !== NO_INTENT && analysis.intent !== state.intent?.name && message.split(/\s+/).length >= 4;
    if (slot && !movedOn) {
      pending.reprompts += 1;
      if (pending.reprompts > slot.maxReprompts) {
        markAttempt(state, `slot ${slot.name}`, false);
        return stop(state, options, `could not get ${slot.name} after ${slot.maxReprompts + 1} tries`);
      }
      return stopIfExhausted(state, options, { outcome: 'continue', reply: slot.reprompt ?? slot.prompt, escalation: null });
    }
    // The customer moved on to something else; drop the question.
    state.pendingSlot = null;
  }

  if (analysis.intent === 'goodbye') {
    state.status = 'resolved';
    state.stopReason = 'the customer said goodbye';
    return { outcome: 'resolved', reply: texts.goodbye, escalation: null };
  }
  if (analysis.intent === 'greeting') {
    return stopIfExhausted(state, options, { outcome: 'continue', reply: texts.greeting, escalation: null });
  }

  if (analysis.intent !== NO_INTENT) {
    state.tried = [...state.tried, { kind: 'intent' as const, detail: `${analysis.intent} (${analysis.confidence.toFixed(2)})` }].slice(-STATE_LIMITS.tried);
    const slots = slotsFor(options, analysis.intent);
    if (slots.length > 0) {
      // Details given up front ("where is order AB123456") fill slots without asking.
      for (const slot of slots) {
        const value = [...state.entities].reverse().find((e) => e.type === slot.entity)?.value;
        if (value && !state.slots[slot.name]) state.slots[slot.name] = value;
      }
      return askNextSlotOrComplete(state, options);
    }
  }

  if (options.knowledge.enabled) {
    const kb = options.knowledge.articles ? knowledgeBaseFor(options.knowledge.articles) : KnowledgeBase.default();
    const [best] = kb.search(message, analysis.intent === NO_INTENT ? {} : { intent: analysis.intent });
    const alreadyRejected = best && state.tried.some((a) => a.kind === 'knowledge_article' && a.detail.startsWith(best.article.id) && a.succeeded === false);
    if (best && best.confidence >= options.knowledge.answerThreshold && !alreadyRejected) {
      state.awaitingConfirmation = best.article.id;
      state.tried = [...state.tried, { kind: 'knowledge_article' as const, detail: `${best.article.id}: ${best.article.title} (${best.confidence.toFixed(2)})` }].slice(
        -STATE_LIMITS.tried,
      );
      return stopIfExhausted(state, options, {
        outcome: 'continue',
        reply: `${best.article.body} ${options.texts.confirmAnswer}`,
        articleId: best.article.id,
        escalation: null,
      });
    }
  }

  if (analysis.intent !== NO_INTENT) {
    // Understood, with nothing more for the bot to do: the flow continues on `nlu.intent`.
    const reply = options.intents.find((i) => i.name === analysis.intent)?.reply ?? defaultReply(analysis.intent) ?? options.texts.slotsComplete;
    state.status = 'resolved';
    state.stopReason = `recognised ${analysis.intent}; the flow continues with it`;
    return { outcome: 'resolved', reply, escalation: null };
  }

  if (state.lowConfidenceStreak >= options.lowConfidenceLimit) {
    return stop(state, options, `not understood ${state.lowConfidenceStreak} times in a row`);
  }
  const reply = toldCircumstances(analysis) ? options.texts.acknowledge : options.texts.fallback;
  return stopIfExhausted(state, options, { outcome: 'continue', reply, escalation: null });
}

/** The customer told us about their situation (a vulnerable-customer trigger) without a request we understood. */
function toldCircumstances(analysis: MessageAnalysis): boolean {
  return analysis.intent === NO_INTENT && analysis.triggers.some((t) => t.kind === 'vulnerable_customer');
}

const DEFAULT_REPLIES = new Map(DEFAULT_CX_INTENTS.flatMap((i) => (i.reply ? [[i.name, i.reply] as const] : [])));
function defaultReply(intent: string): string | undefined {
  return DEFAULT_REPLIES.get(intent);
}

const knowledgeBases = new WeakMap<object, KnowledgeBase>();
const knowledgeBasesByContent = new Map<string, KnowledgeBase>();
function knowledgeBaseFor(articles: NonNullable<BotOptions['knowledge']['articles']>): KnowledgeBase {
  const cached = knowledgeBases.get(articles);
  if (cached) return cached;
  const key = JSON.stringify(articles);
  let kb = knowledgeBasesByContent.get(key);
  if (!kb) {
    kb = new KnowledgeBase(articles);
    knowledgeBasesByContent.set(key, kb);
    if (knowledgeBasesByContent.size > 32) {
      const oldest = knowledgeBasesByContent.keys().next().value;
      if (oldest !== undefined) knowledgeBasesByContent.delete(oldest);
    }
  }
  knowledgeBases.set(articles, kb);
  return kb;
}

function slotsFor(options: BotOptions, intent: string): SlotOptions[] {
  return options.slots.filter((s) => !s.intents || s.intents.includes(intent));
}

function askNextSlotOrComplete(state: ConversationState, options: BotOptions): Decision {
  const intent = state.intent?.name ?? NO_INTENT;
  const missing = slotsFor(options, intent).find((s) => !state.slots[s.name]);
  if (missing) {
    state.pendingSlot = { name: missing.name, reprompts: 0 };
    state.tried = [...state.tried, { kind: 'slot_prompt' as const, detail: `slot ${missing.name}` }].slice(-STATE_LIMITS.tried);
    return stopIfExhausted(state, options, { outcome: 'continue', reply: missing.prompt, escalation: null });
  }
  state.status = 'resolved';
  state.stopReason = `collected ${Object.keys(state.slots).join(', ')} for ${intent}`;
  const values = Object.entries(state.slots)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');
  return { outcome: 'resolved', reply: options.texts.slotsComplete.replace('{slots}', values), escalation: null };
}

function markAttempt(state: ConversationState, detail: string, succeeded: boolean): void {
  const attempt = [...state.tried].reverse().find((a: Attempt) => a.kind === 'slot_prompt' && a.detail === detail);
  if (attempt) attempt.succeeded = succeeded;
}

/** Ends the conversation because the bot cannot make progress: escalate if the node lists bot_failure, else no_match. */
function stop(state: ConversationState, options: BotOptions, reason: string): Decision {
  state.stopReason = reason;
  if (options.escalateOn.includes('bot_failure')) {
    const trigger: EscalationTrigger = { kind: 'bot_failure', reason, evidence: [] };
    state.triggers = recordTriggers(state.triggers, [trigger]);
    state.status = 'escalated';
    return { outcome: 'escalate', reply: options.texts.escalating, escalation: trigger };
  }
  state.status = 'no_match';
  return { outcome: 'no_match', reply: options.texts.noMatch, escalation: null };
}

function stopIfExhausted(state: ConversationState, options: BotOptions, decision: Decision): Decision {
  if (decision.outcome === 'continue' && state.turns >= options.maxTurns) {
    return stop(state, options, `reached the limit of ${options.maxTurns} turns`);
  }
  return decision;
}

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
