/**
 * Reading a message in the context of the conversation: a yes or no to the bot's question, feedback on
 * an answer ("that did not help", "perfect"), an answer to the slot it asked for, "get me a human" or
 * "thanks" beside what the customer came for, a greeting in front of a request, and circumstances told
 * without a request.
 */
import { type MessageAnalysis } from '../analyze';
import { NO_INTENT } from '../intents/default-intents';
import { type BotOptions } from '../options';
import { type ConversationState } from '../state';

/** Intents that are conversation, not the customer's need: they never replace the need already known. */
export const CONVERSATIONAL_INTENTS = new Set(['greeting', 'goodbye', 'human_request']);

/** "yes", "that helped", "perfect", "thanks": the customer confirms (an answer, or the offer of a person). */
export const AFFIRMATIVE =
  /^\W*(?:yes|yeah|yep|yup|ya|y|sure|correct|please|yes please|go ahead|it did|that did|that helps?|that helped|helpful|perfect|great|brilliant|excellent|lovely|awesome|thanks?|thank you|thx|ty|cheers|ok(?:ay)?|sorted|all (?:good|sorted)|got it|that works|that answers it|that(?:'?s| is) (?:it|great|perfect|all|everything|brilliant|helpful|what i needed|sorted|fine))\b/i;

// "no", "nope", "wrong" at the start, except "no problem", "no worries" and "no, that's all".
const NEGATIVE_START = /^\W*(?:no|nope|nah|not really|not quite|wrong|incorrect)\b(?![\s,.!]*(?:problem|worries|that'?s all|that is all|thanks?,? that'?s all|nothing else))/i;
// Feedback that an answer failed, wherever it is in the message.
const FAILED_ANSWER = [
  String.raw`(?:did|does|do|has|have|is|was)(?:n'?t| not) (?:really )?(?:help|helped|helping|work|worked|working|answer|fix|fixed|solve|solved|make sense)`,
  String.raw`not (?:helpful|useful|right|it|what i (?:asked|meant|need|needed|wanted|was asking(?: for)?|was looking for))`,
  String.raw`(?:that|this|it)(?:'?s| is| was) (?:not (?:it|that|right|correct|my question|what i asked)|wrong|the wrong (?:answer|one|thing))`,
  String.raw`wrong (?:answer|article|one|thing|information)`,
  String.raw`still (?:broken|not \w+|doesn'?t \w+|does not \w+|won'?t \w+|can'?t \w+|\w+ing|drops|happens|fails|breaks|the same|no good|wrong)`,
  String.raw`doesn'?t answer|no use|nothing changed`,
];
const NEGATIVE_ANYWHERE = new RegExp(String.raw`\b(?:${FAILED_ANSWER.join('|')})\b`, 'i');

/** The customer says the answer they got did not help ("no", "that did not help", "still broken"). */
export function saysItFailed(message: string): boolean {
  return NEGATIVE_START.test(message) || NEGATIVE_ANYWHERE.test(message);
}

/** The message says a problem persists or an answer failed, not merely "no" ("no, still broken"). */
export function saysStillFailing(message: string): boolean {
  return NEGATIVE_ANYWHERE.test(message);
}

/** The message without its "no" and "that did not help": what is left is what the customer adds about their need. */
export function withoutFeedback(message: string): string {
  const rest = message.replace(NEGATIVE_START, ' ').replace(new RegExp(NEGATIVE_ANYWHERE.source, 'gi'), ' ');
  return (rest.match(/\p{L}{3,}/gu) ?? []).length >= 2 ? rest.replace(/\s+/g, ' ').trim() : '';
}

/** The customer says yes, or confirms an answer helped, without saying it failed. */
export function saysYes(message: string): boolean {
  return AFFIRMATIVE.test(message) && !saysItFailed(message);
}

/** What the customer's message says about the answer the bot is waiting on. */
export type Feedback = 'confirmed' | 'rejected' | 'asked_again' | 'goodbye';

/**
 * The customer's reaction to the answer the bot gave last turn: confirmed, rejected, the same need asked
 * again (so the answer did not settle it), or goodbye. Undefined when the bot was not waiting for one,
 * or the message is something else (a new question).
 */
export function feedbackOn(state: ConversationState, analysis: MessageAnalysis, message: string): Feedback | undefined {
  if (!state.awaitingConfirmation) return undefined;
  if (saysItFailed(message)) return 'rejected';
  if (AFFIRMATIVE.test(message)) return 'confirmed';
  if (analysis.intent === 'goodbye') return 'goodbye';
  if (analysis.intent !== NO_INTENT && analysis.intent === state.question?.intent) return 'asked_again';
  return undefined;
}

// A greeting in front of the message, and the pleasantries that come with one.
const GREETING_LEAD = /^\W*(?:(?:hi|hello|hey|hiya|heya|howdy|yo|greetings|good (?:morning|afternoon|evening|day)|morning|afternoon|evening)(?:\s+(?:there|team|all|everyone|folks|again|bot))*[\s,!.?:;-]*)+/i;
const PLEASANTRIES = /\b(?:how are (?:you|u)(?: doing| today)?|hope (?:you'?re|you are) well|is (?:anyone|anybody|someone|somebody) there|can (?:you|u|someone) help(?: me)?|i need (?:some )?help|is this the help chat|please|thanks?|thank you)\b/gi;

/**
 * The request after a greeting ("hi, my internet keeps dropping every evening" → "my internet keeps
 * dropping every evening"), or undefined when the message is only a greeting and pleasantries.
 */
export function afterGreeting(message: string): string | undefined {
  const lead = GREETING_LEAD.exec(message);
  if (!lead || lead[0].length === 0) return undefined;
  const rest = message.slice(lead[0].length).trim();
  const words = rest.replace(PLEASANTRIES, ' ').match(/\p{L}{2,}/gu) ?? [];
  return words.length >= 2 ? rest : undefined;
}

// "I don't have it", "no idea": a reply to the bot's question that lacks the detail, not a new request.
const NO_VALUE = /\b(?:don'?t|do not|dont|haven'?t|have not) (?:have|know|got|remember)\b|\bcan'?t (?:find|remember|see)\b|\bno idea\b|\bnot sure\b|\blost (?:it|the)\b/i;

/**
 * The customer turned to something else instead of answering the bot's question: a different request
 * in a message of four words or more that is not "I don't have it". Judged against the need before
 * this message.
 */
export function movesOn(state: ConversationState, analysis: MessageAnalysis, message: string): boolean {
  return (
    analysis.intent !== NO_INTENT &&
    !CONVERSATIONAL_INTENTS.has(analysis.intent) &&
    analysis.intent !== state.intent?.name &&
    message.split(/\s+/).length >= 4 &&
    !NO_VALUE.test(message)
  );
}

/** Whether the message answers what the bot just asked (a slot, a yes/no, feedback), so it is not "low confidence". */
export function isAnswerToPrompt(state: ConversationState, options: BotOptions, analysis: MessageAnalysis, message: string): boolean {
  if ((state.awaitingConfirmation || state.offeredPerson) && (AFFIRMATIVE.test(message) || saysItFailed(message))) return true;
  const slot = state.pendingSlot && options.slots.find((s) => s.name === state.pendingSlot?.name);
  return Boolean(slot && analysis.entities.some((e) => e.type === slot.entity));
}

/** The customer told us about their situation (a vulnerable-customer trigger) without a request we understood. */
export function toldCircumstances(analysis: MessageAnalysis): boolean {
  return analysis.intent === NO_INTENT && analysis.triggers.some((t) => t.kind === 'vulnerable_customer');
}

/** The node's phrases of three words or more, normalised once per (frozen, cached) options object. */
const phrasesByIntents = new WeakMap<BotOptions['intents'], { name: string; phrases: string[] }[]>();
function ownPhrases(intents: BotOptions['intents']): { name: string; phrases: string[] }[] {
  let cached = phrasesByIntents.get(intents);
  if (!cached) {
    cached = intents.map((i) => ({ name: i.name, phrases: i.phrases.filter((p) => p.trim().split(/\s+/).length >= 3).map(normalized) }));
    phrasesByIntents.set(intents, cached);
  }
  return cached;
}

const normalized = (text: string) => ` ${text.toLowerCase().replace(/[^\p{L}\p{N}' ]+/gu, ' ').replace(/\s+/g, ' ').trim()} `;

/**
 * The node's own intents, trained on a handful of phrases beside the default set's hundreds, can lose
 * to a default intent on their own words ("can you send me a copy of my invoice?"). A message that
 * contains one of a node intent's phrases (three words or more) is that intent.
 */
export function withOwnPhrases(analysis: MessageAnalysis, options: BotOptions, message: string): MessageAnalysis {
  if (options.intents.length === 0) return analysis;
  const text = normalized(message);
  const own = ownPhrases(options.intents).find(({ phrases }) => phrases.some((p) => text.includes(p)));
  if (!own || own.name === analysis.intent) return analysis;
  const confidence = Math.max(analysis.confidence, 0.9);
  return {
    ...analysis,
    intent: own.name,
    confidence,
    alternatives: [{ intent: analysis.intent, confidence: analysis.confidence }, ...analysis.alternatives].filter((a) => a.intent !== own.name && a.intent !== NO_INTENT).slice(0, 3),
    requests: [{ intent: own.name, confidence }, ...analysis.requests.filter((r) => r.intent !== own.name)],
  };
}
