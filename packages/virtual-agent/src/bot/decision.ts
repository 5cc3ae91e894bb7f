/**
 * What the bot does with an understood message, in order of precedence: escalate on a trigger, take
 * the customer's reply to its offer of a person, their reaction to its answer (confirm → resolved;
 * "that did not help" → repair), the answer to its slot question, goodbye, a greeting, then a need:
 * collect the intent's slots and answer it, answer from the knowledge base, or clarify.
 */
import { type EscalationTrigger } from '@tandem/contracts';
import { type MessageAnalysis } from '../analyze';
import { NO_INTENT } from '../intents/default-intents';
import { type BotOptions } from '../options';
import { type ConversationState } from '../state';
import { excerpt } from '../text';
import { answerRephrased, canAnswer, clarify, confirmAnswer, noteQuestion, repair, sureOf } from './answers';
import { attempt, failuresOfNeed, settleAttempt, settleOpenAttempts } from './attempts';
import { answerWithArticle, findArticle } from './knowledge-answers';
import { type Decision, escalateOnTriggers, handOver, stopIfExhausted } from './outcome';
import { recordTriggers } from './conversation-triggers';
import { answerPendingSlot, collectSlotsAndAnswer } from './slots';
import { CONVERSATIONAL_INTENTS, feedbackOn, saysItFailed, saysStillFailing, saysYes, toldCircumstances } from './understanding';

/** One customer message as the decision sees it. */
export interface TurnMessage {
  text: string;
  messageIndex: number;
  analysis: MessageAnalysis;
  triggers: EscalationTrigger[];
  /** The flow (or the bot) greeted the customer before this message. */
  greeted: boolean;
  /** The message turns to a new request instead of answering the bot's question (see `movesOn`). */
  movedOn: boolean;
}

/** Decides the turn's outcome and reply, updating the conversation state (status, slots, attempts, failures). */
export function decide(state: ConversationState, options: BotOptions, turn: TurnMessage): Decision {
  const open = state.tried.filter((a) => a.outcome === undefined);
  const decision = decideTurn(state, options, turn);
  // Whatever the customer's reply meant for attempts no step above settled.
  const understood = turn.analysis.intent !== NO_INTENT || decision.awaitingConfirmation === true;
  for (const a of open.filter((x) => x.outcome === undefined)) {
    const answer = a.kind === 'knowledge_article' || a.kind === 'message';
    if (answer) settleAttempt(a, turn.text, 'the customer moved on to something else');
    else settleAttempt(a, turn.text, understood ? 'the customer said more and was understood' : 'still not understood', understood);
  }
  return decision;
}

function decideTurn(state: ConversationState, options: BotOptions, turn: TurnMessage): Decision {
  const { texts } = options;
  const { analysis, text: message, messageIndex } = turn;
  const escalation = escalateOnTriggers(state, options, turn.triggers, message);
  if (escalation) return escalation;

  if (state.offeredPerson) {
    state.offeredPerson = false;
    if (saysYes(message)) return acceptOffer(state, options, turn);
    // "No, still broken": not a refusal of the person but the same need failing again — counted like
    // "that did not help", so at `failureLimit` it goes to a person.
    if (failuresOfNeed(state) > 0 && saysStillFailing(message)) {
      const repaired = repair(state, options, analysis, message, messageIndex, 'rejected');
      if (repaired) return repaired;
    }
    if (/^\W*(?:no|nope|nah|not yet|not now)\b/i.test(message) && message.split(/\s+/).length <= 4) {
      settleOpenAttempts(state, message, 'the customer declined the offer of a person', false);
      return stopIfExhausted(state, options, { outcome: 'continue', reply: texts.offerDeclined, escalation: null });
    }
    // Saying more about the need whose answer failed, rather than asking something new (which the
    // classifier would be sure of).
    const sameNeed = analysis.intent === NO_INTENT || analysis.intent === state.question?.intent || saysItFailed(message) || !sureOf(analysis);
    if (failuresOfNeed(state) > 0 && sameNeed && analysis.intent !== 'goodbye') {
      settleOpenAttempts(state, message, 'the customer said more about what they need');
      return answerRephrased(state, options, message, messageIndex);
    }
  }

  const feedback = feedbackOn(state, analysis, message);
  if (feedback === 'confirmed' || feedback === 'goodbye') return confirmAnswer(state, options, message, feedback);
  if (feedback === 'rejected' || feedback === 'asked_again') {
    const repaired = repair(state, options, analysis, message, messageIndex, feedback);
    if (repaired) return repaired;
  }

  const slotAnswer = answerPendingSlot(state, options, turn);
  if (slotAnswer) return slotAnswer;

  if (analysis.intent === 'goodbye' && !saysItFailed(message)) return goodbyeWithoutAnswer(state, options);
  if (analysis.intent === 'greeting') {
    const greeting = turn.greeted || state.greeted ? texts.greetingPrompt : texts.greeting;
    state.greeted = true;
    return stopIfExhausted(state, options, { outcome: 'continue', reply: greeting, escalation: null });
  }

  const request = analysis.intent !== NO_INTENT && !CONVERSATIONAL_INTENTS.has(analysis.intent);
  const sure = sureOf(analysis);
  if (request && (sure || canAnswer(state, options, analysis, message))) {
    noteQuestion(state, analysis.intent, message, messageIndex);
    attempt(state, options, { kind: 'intent', detail: `${analysis.intent} (${analysis.confidence.toFixed(2)})`, outcome: 'recognised' });
    return stopIfExhausted(state, options, collectSlotsAndAnswer(state, options, analysis.intent, sure));
  }

  if (toldCircumstances(analysis)) return stopIfExhausted(state, options, { outcome: 'continue', reply: texts.acknowledge, escalation: null });
  const hit = saysItFailed(message) || request ? undefined : findArticle(state, options, message);
  if (hit) {
    noteQuestion(state, NO_INTENT, message, messageIndex);
    return stopIfExhausted(state, options, answerWithArticle(state, options, hit));
  }
  return clarify(state, options, message, messageIndex);
}

/** The customer said yes to the offer of a person: a request for a person, with their yes as evidence. */
function acceptOffer(state: ConversationState, options: BotOptions, turn: TurnMessage): Decision {
  const trigger: EscalationTrigger = {
    kind: 'human_request',
    reason: 'accepted the offer of a person',
    evidence: [{ messageIndex: turn.messageIndex, text: excerpt(turn.text), words: [] }],
  };
  state.humanRequests += 1;
  state.triggers = recordTriggers(state.triggers, [trigger]);
  return handOver(state, options, trigger, turn.text);
}

/**
 * Goodbye before any answer: nothing was resolved. After small talk alone (nothing asked, nothing
 * misunderstood) the conversation simply ends; otherwise — a need unmet, or "thanks, that helped" to a
 * question the bot never understood — it ends as `no_match`, so the flow can follow up: a goodbye is no
 * evidence of containment.
 */
function goodbyeWithoutAnswer(state: ConversationState, options: BotOptions): Decision {
  const smallTalkOnly = !state.question && state.failures.length === 0 && !state.tried.some((a) => a.kind === 'clarification');
  settleOpenAttempts(state, undefined, 'the customer left');
  if (smallTalkOnly) {
    state.status = 'resolved';
    state.stopReason = 'the customer said goodbye before asking for anything';
    return { outcome: 'resolved', reply: options.texts.farewell, escalation: null };
  }
  state.status = 'no_match';
  state.stopReason = 'the customer said goodbye before their need was met';
  return { outcome: 'no_match', reply: options.texts.farewell, escalation: null };
}
