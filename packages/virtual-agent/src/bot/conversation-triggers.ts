/**
 * Triggers that need the whole conversation, not one message: a repeated message, "operator" said
 * again, not understood several times in a row, sentiment getting worse, a high-value or repeat
 * customer. Also how fired triggers are recorded in the conversation state (one per kind and detail).
 */
import { type Customer, type EscalationTrigger } from '@tandem/contracts';
import { type MessageAnalysis } from '../analyze';
import { sentimentTrend } from '../nlu/sentiment';
import { type BotOptions } from '../options';
import { STATE_LIMITS, type ConversationState } from '../state';
import { contactTriggers } from '../contact-triggers';
import { excerpt } from '../text';
import { normalizeForRepetition } from '../triggers';
import { AFFIRMATIVE, saysItFailed, toldCircumstances } from './understanding';

/** One customer message, with what the conversation triggers need to know about it. */
export interface TriggerTurn {
  analysis: MessageAnalysis;
  message: string;
  messageIndex: number;
  now: Date;
  customer: Customer | undefined;
  /** The caller says this is a repeat contact about the same issue. */
  repeatContact: boolean;
  /** The message was understood in context (an answer to the bot's question, or a question the knowledge base answers). */
  understood: boolean;
}

/**
 * The message's own triggers plus the conversation's, for this turn. Updates the counters they depend
 * on (`humanRequests`, `lowConfidenceStreak`); call before the message joins `state.recent`.
 */
export function conversationTriggers(state: ConversationState, options: BotOptions, turn: TriggerTurn): EscalationTrigger[] {
  const { analysis, message, messageIndex } = turn;
  // The classifier's reading of a reply to the bot's own question reads it out of context: "I don't
  // have the number to hand" is no complaint, and "yes please" to "did that answer your question?" no
  // request for a person. There only the words count.
  const replying = state.pendingSlot !== null || state.awaitingConfirmation !== null || state.offeredPerson;
  const classifiedOnly = (t: EscalationTrigger) => t.evidence.every((e) => e.words.length === 0);
  const outOfContext = (t: EscalationTrigger) => replying && classifiedOnly(t) && (t.kind === 'complaint' || (t.kind === 'human_request' && (AFFIRMATIVE.test(message) || saysItFailed(message)) && message.split(/\s+/).length <= 4));
  const triggers = analysis.triggers.filter((t) => !outOfContext(t)).map((t) => structuredClone(t));
  const evidence = (words: string[]) => [{ messageIndex, text: excerpt(message, words), words }];
  const already = new Set(state.triggers.map((t) => t.kind));

  const human = triggers.find((t) => t.kind === 'human_request');
  if (human) {
    state.humanRequests += 1;
    if (state.humanRequests > 1) human.reason = `asked for a human ${state.humanRequests} times; last: ${human.reason.replace(/^asked for a human: /, '')}`;
  }

  const normalized = normalizeForRepetition(message);
  if (normalized.length > 0 && state.recent.includes(normalized)) {
    const repeated = { kind: 'frustration' as const, reason: 'repeated the same message', evidence: evidence([excerpt(message, [], 80)]) };
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
  // A guessed intent the bot cannot act on is one.
  if (!turn.understood && !toldCircumstances(analysis)) state.lowConfidenceStreak += 1;
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

  triggers.push(
    ...contactTriggers({
      customer: turn.customer,
      repeatContact: turn.repeatContact,
      intent: state.intent?.name,
      topics: state.topics,
      now: turn.now,
      windowDays: options.repeatContactWindowDays,
      highValueTiers: options.highValueTiers,
      messageIndex,
      message,
      already,
    }),
  );
  return triggers;
}

/** Adds the fired triggers to the recorded ones: a kind and detail already recorded gets the new reason and more evidence (capped). */
export function recordTriggers(recorded: EscalationTrigger[], fired: EscalationTrigger[]): EscalationTrigger[] {
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
