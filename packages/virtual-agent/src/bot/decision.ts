/**
 * What the bot does with an understood message, in order of precedence: escalate on a trigger, take
 * the answer to its own question (a yes/no or a slot), end on goodbye, greet, collect the slots of the
 * intent, answer from the knowledge base, hand the recognised intent back to the flow, or ask again.
 */
import { type EscalationTrigger } from '@tandem/contracts';
import { type MessageAnalysis } from '../analyze';
import { DEFAULT_CX_INTENTS, NO_INTENT } from '../intents/default-intents';
import { type BotOptions } from '../options';
import { STATE_LIMITS, type ConversationState } from '../state';
import { answerConfirmation, answerFromKnowledge } from './knowledge-answers';
import { type Decision, escalateOnTriggers, stop, stopIfExhausted } from './outcome';
import { answerPendingSlot, collectSlotsFor } from './slots';
import { toldCircumstances } from './understanding';

/** Decides the turn's outcome and reply, updating the conversation state (status, slots, attempts). */
export function decide(state: ConversationState, options: BotOptions, analysis: MessageAnalysis, message: string, triggers: EscalationTrigger[]): Decision {
  const { texts } = options;
  const escalation = escalateOnTriggers(state, options, triggers);
  if (escalation) return escalation;

  const confirmation = answerConfirmation(state, options, message);
  if (confirmation) return confirmation;

  const slotAnswer = answerPendingSlot(state, options, analysis, message);
  if (slotAnswer) return slotAnswer;

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
    const collecting = collectSlotsFor(state, options, analysis.intent);
    if (collecting) return collecting;
  }

  const answer = answerFromKnowledge(state, options, analysis, message);
  if (answer) return answer;

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

const DEFAULT_REPLIES = new Map(DEFAULT_CX_INTENTS.flatMap((i) => (i.reply ? [[i.name, i.reply] as const] : [])));
function defaultReply(intent: string): string | undefined {
  return DEFAULT_REPLIES.get(intent);
}
