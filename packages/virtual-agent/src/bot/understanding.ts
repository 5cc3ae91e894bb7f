/**
 * Reading a message in the context of the conversation: a yes or no to the bot's question, an answer to
 * the slot it asked for, "get me a human" or "thanks" beside what the customer came for, and
 * circumstances told without a request.
 */
import { type MessageAnalysis } from '../analyze';
import { NO_INTENT } from '../intents/default-intents';
import { type BotOptions } from '../options';
import { type ConversationState } from '../state';

/** Intents that are conversation, not the customer's need: they never replace the need already known. */
export const CONVERSATIONAL_INTENTS = new Set(['greeting', 'goodbye', 'human_request']);
export const AFFIRMATIVE = /^\W*(?:yes|yeah|yep|yup|ya|y|sure|correct|it did|that did|that helps?|that helped|perfect|great|brilliant|thanks?|thank you|cheers|ok(?:ay)?|sorted|that'?s? (?:it|great|perfect|all|everything))\b/i;
export const NEGATIVE = /^\W*(?:no|nope|nah|not really|it didn'?t|that didn'?t|didn'?t help|doesn'?t help|not helpful|wrong|that'?s not (?:it|what i (?:asked|need|meant)))\b/i;

/** Whether the message answers what the bot just asked (a slot or a yes/no), so "AB123456" is not "low confidence". */
export function isAnswerToPrompt(state: ConversationState, options: BotOptions, analysis: MessageAnalysis, message: string): boolean {
  if (state.awaitingConfirmation && (AFFIRMATIVE.test(message) || NEGATIVE.test(message))) return true;
  const slot = state.pendingSlot && options.slots.find((s) => s.name === state.pendingSlot?.name);
  return Boolean(slot && analysis.entities.some((e) => e.type === slot.entity));
}

/** The customer told us about their situation (a vulnerable-customer trigger) without a request we understood. */
export function toldCircumstances(analysis: MessageAnalysis): boolean {
  return analysis.intent === NO_INTENT && analysis.triggers.some((t) => t.kind === 'vulnerable_customer');
}
