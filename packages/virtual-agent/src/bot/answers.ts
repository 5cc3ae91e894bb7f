/**
 * Answering a need and what follows: the intent's own answer or an article (then waiting for the
 * customer's confirmation or a quiet period — never `resolved` in the same turn), resolving once the
 * customer confirms, repair when they say it did not help, and clarifying what the bot did not
 * understand. Repeated failure hands over as `bot_failure` with the loop as evidence.
 */
import { type TriggerEvidence } from '@tandem/contracts';
import { type MessageAnalysis } from '../analyze';
import { NO_INTENT } from '../intents/default-intents';
import { type BotOptions } from '../options';
import { type ConversationState } from '../state';
import { excerpt } from '../text';
import { attempt, describeNeed, NOT_UNDERSTOOD, recordFailure, settleOpenAttempts } from './attempts';
import { answerWithArticle, findArticle, SURE_INTENT } from './knowledge-answers';
import { type Decision, escalateAsFailure, stopIfExhausted } from './outcome';
import { CONVERSATIONAL_INTENTS, type Feedback, withoutFeedback } from './understanding';

/** The message that states a need, remembered to look for another answer if the first fails. */
export function noteQuestion(state: ConversationState, intent: string, message: string, messageIndex: number): void {
  if (state.question?.intent === intent && intent !== NO_INTENT) return;
  state.question = { messageIndex, text: excerpt(message), intent };
}

function questionEvidence(state: ConversationState): TriggerEvidence[] {
  return state.question ? [{ messageIndex: state.question.messageIndex, text: state.question.text, words: [] }] : [];
}

/** How to answer an intent. */
export interface AnswerHow {
  /** An optional detail is missing: not the intent's own answer, which may need it. */
  withoutOwnAnswer?: boolean;
  /** The classifier is sure of the intent (see `sureOf`); by default, when it was at least {@link SURE_INTENT} confident. */
  sure?: boolean;
}

/**
 * Answers a recognised intent: the node's own answer (a template the flow renders), else the best
 * article (found with the intent's help when the classifier is sure of it, by the words alone when it
 * guessed); a `resolves` intent with neither goes back to the flow; otherwise the bot has no answer
 * and hands over as `bot_failure` rather than promise what it cannot do.
 */
export function answerIntent(state: ConversationState, options: BotOptions, intent: string, how: AnswerHow = {}): Decision {
  const { withoutOwnAnswer = false, sure = (state.intent?.confidence ?? 0) >= SURE_INTENT } = how;
  const own = options.intents.find((i) => i.name === intent);
  const detail = `the answer of ${intent}`;
  const ownRejected = state.tried.some((a) => a.kind === 'message' && a.detail === detail && a.succeeded === false);
  if (own?.reply && !ownRejected && !withoutOwnAnswer) {
    state.awaitingConfirmation = `intent:${intent}`;
    attempt(state, options, { kind: 'message', detail });
    return { outcome: 'continue', reply: own.reply, escalation: null, awaitingConfirmation: true };
  }
  const hit = findArticle(state, options, state.question?.text ?? '', sure ? { intent, sure } : {});
  if (hit) return answerWithArticle(state, options, hit);
  if (own?.resolves) {
    // The flow acts on the intent itself (a lookup, a message): nothing was answered here, so nothing to confirm.
    state.status = 'resolved';
    state.stopReason = `recognised ${intent}, which the flow handles`;
    return { outcome: 'resolved', reply: '', escalation: null };
  }
  return escalateAsFailure(state, options, `no answer for ${intent}: no answer configured and no article above the threshold`, questionEvidence(state), options.texts.noAnswer);
}

/** The classifier is sure of the intent: confident, on words it knows. */
export function sureOf(analysis: MessageAnalysis): boolean {
  return analysis.confidence >= SURE_INTENT && analysis.coverage >= 0.5;
}

/**
 * Whether the bot has something to do for a recognised intent: its own answer, a flow that takes it
 * (`resolves`), details to collect, or an article. A guess it cannot answer is better clarified than
 * handed over as "no answer".
 */
export function canAnswer(state: ConversationState, options: BotOptions, analysis: MessageAnalysis, message: string): boolean {
  const own = options.intents.find((i) => i.name === analysis.intent);
  if (own?.reply || own?.resolves) return true;
  if (options.slots.some((s) => !s.intents || s.intents.includes(analysis.intent))) return true;
  // A guess (not sure) is answered only by an article the words themselves find.
  return findArticle(state, options, message, sureOf(analysis) ? { intent: analysis.intent, sure: true } : {}) !== undefined;
}

/** The customer confirmed the answer (or said goodbye after it): resolved. */
export function confirmAnswer(state: ConversationState, options: BotOptions, message: string, feedback: 'confirmed' | 'goodbye'): Decision {
  const answered = state.awaitingConfirmation;
  settleOpenAttempts(state, message, feedback === 'confirmed' ? 'the customer confirmed it helped' : 'the customer said goodbye after it', true);
  state.awaitingConfirmation = null;
  state.offeredPerson = false;
  state.stuck = null;
  state.status = 'resolved';
  state.stopReason = `answered (${answered ?? 'answer'}), ${feedback === 'confirmed' ? 'confirmed by the customer' : 'and the customer said goodbye'}`;
  return { outcome: 'resolved', reply: options.texts.goodbye, escalation: null };
}

/**
 * Repair after the customer said the answer did not help, or asked the same again: the failure is
 * counted against the need; at `failureLimit` the bot hands over as `bot_failure` with the loop as
 * evidence; otherwise another article, or a request to say more with the offer of a person. Undefined
 * when the same message makes a new, different request, which is then handled as such.
 */
export function repair(
  state: ConversationState,
  options: BotOptions,
  analysis: MessageAnalysis,
  message: string,
  messageIndex: number,
  feedback: Extract<Feedback, 'rejected' | 'asked_again'>,
): Decision | undefined {
  const answered = state.awaitingConfirmation;
  state.awaitingConfirmation = null;
  settleOpenAttempts(state, message, feedback === 'rejected' ? 'the customer said it did not help' : 'the customer asked the same again', false);
  const failure = recordFailure(state, { messageIndex, text: message, words: [] });
  if (failure.count >= options.failureLimit) {
    const need = describeNeed(state, options) ?? 'the request';
    return escalateAsFailure(
      state,
      options,
      `${failure.count} answers did not help with ${need} (last: ${answered ?? 'an answer'})`,
      [...questionEvidence(state), ...failure.evidence],
      options.texts.gaveUp,
    );
  }
  const question = state.question;
  // "No, I wanted to change my appointment": past the feedback, a different request.
  const movedOn = withoutFeedback(message) !== '' && analysis.intent !== NO_INTENT && !CONVERSATIONAL_INTENTS.has(analysis.intent) && analysis.intent !== question?.intent;
  if (movedOn) return undefined;
  const intent = question && question.intent !== NO_INTENT ? question.intent : undefined;
  const hit = findArticle(state, options, `${question?.text ?? ''} ${withoutFeedback(message)}`, { ...(intent ? { intent } : {}), another: true });
  if (hit) return stopIfExhausted(state, options, answerWithArticle(state, options, hit, options.texts.anotherAnswer));
  attempt(state, options, { kind: 'clarification', detail: 'asked the customer to say more and offered a person' });
  state.offeredPerson = true;
  return stopIfExhausted(state, options, { outcome: 'continue', reply: options.texts.answerRejected, escalation: null });
}

/**
 * The customer said more about a need whose answer failed (after `texts.answerRejected`): another
 * article for the need and what they added, or — the bot has nothing else — a handover as
 * `bot_failure`, with the loop as evidence.
 */
export function answerRephrased(state: ConversationState, options: BotOptions, message: string, messageIndex: number): Decision {
  const question = state.question;
  const intent = question && question.intent !== NO_INTENT ? question.intent : undefined;
  const hit = findArticle(state, options, `${question?.text ?? ''} ${withoutFeedback(message) || message}`, { ...(intent ? { intent } : {}), another: true });
  if (hit) return stopIfExhausted(state, options, answerWithArticle(state, options, hit));
  const failure = recordFailure(state, { messageIndex, text: message, words: [] });
  const need = describeNeed(state, options) ?? 'the request';
  return escalateAsFailure(state, options, `nothing else to offer for ${need} after the first answer did not help`, [...questionEvidence(state), ...failure.evidence], options.texts.gaveUp);
}

/**
 * A message the bot did not understand: clarify (`clarifyLimit` times in a row), then offer a person;
 * `fallbackLimit` such messages in the conversation hand over as `bot_failure`, with them as evidence.
 */
export function clarify(state: ConversationState, options: BotOptions, message: string, messageIndex: number): Decision {
  const misunderstood = recordFailure(state, { messageIndex, text: message, words: [] }, NOT_UNDERSTOOD);
  if (misunderstood.count >= options.fallbackLimit) {
    return escalateAsFailure(state, options, `did not understand ${misunderstood.count} messages`, misunderstood.evidence, options.texts.gaveUp);
  }
  if (options.offerPerson && state.lowConfidenceStreak > options.clarifyLimit && !state.offeredPerson) {
    attempt(state, options, { kind: 'clarification', detail: 'offered a person after asking the customer to say it another way' });
    state.offeredPerson = true;
    return stopIfExhausted(state, options, { outcome: 'continue', reply: options.texts.offerPerson, escalation: null });
  }
  attempt(state, options, { kind: 'clarification', detail: 'asked the customer to say it another way' });
  return stopIfExhausted(state, options, { outcome: 'continue', reply: options.texts.fallback, escalation: null });
}
