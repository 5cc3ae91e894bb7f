/**
 * Questions a customer asks while queued for a person ("when do you open?"): the bot answers the ones
 * it can answer with confidence, so a waiting customer is not left in silence. Everything else — a
 * request, a complaint, "is anyone there?" — waits for the person (the flow acknowledges it).
 */
import { channelSchema, type Channel } from '@tandem/contracts';
import { analyzeMessage } from './analyze';
import { parseInput, parseNow, VirtualAgentInputError } from './errors';
import { KnowledgeBase } from './knowledge/knowledge-base';
import { getIntentModel } from './nlu/intent-model';
import { analysedText } from './text';

/** A message from a customer waiting for a person. */
export interface WaitingMessage {
  message: string;
  channel: Channel;
  /** ISO-8601 time of the message (workflow time). */
  now: string;
}

/** An answer the bot can give while the customer waits: the article's text and id. */
export interface WaitingAnswer {
  reply: string;
  articleId: string;
}

/** Questions whose answer is the same for every customer (hours, how-tos, policies): safe to answer while a person is on the way. "Where is my order" is not: it is about this customer's order. */
const FACTUAL_INTENTS = new Set(['opening_hours', 'password_reset', 'billing_question', 'appointment_book', 'appointment_change', 'address_change', 'data_privacy']);
/** Higher than a bot node's usual threshold: a wrong answer while waiting is worse than none. */
const WAITING_ANSWER_THRESHOLD = 0.7;

/**
 * A confident knowledge answer to a question asked while queued for a person, or null: null for
 * anything that is not a plain factual question (a request for a person, a complaint, a sensitive
 * topic, frustration, small talk), or when no article is confidently about it. On voice only the
 * article's first two sentences are read.
 *
 * @example
 * await answerWhileWaiting({ message: 'when do you open on Saturday?', channel: 'chat', now });
 * // { reply: 'Our customer support team is available Monday to Friday 8am to 8pm and Saturday 9am to 5pm. …', articleId: 'kb-opening-hours' }
 */
export async function answerWhileWaiting(input: WaitingMessage): Promise<WaitingAnswer | null> {
  if (input === null || typeof input !== 'object') throw new VirtualAgentInputError('input', ['input: expected an object { message, channel, now }']);
  const channel = parseInput(channelSchema, input.channel, 'channel');
  const now = parseNow(input.now);
  if (typeof input.message !== 'string' || input.message.trim() === '') return null;
  const text = analysedText(input.message.trim());
  const model = await getIntentModel({ useDefaultIntents: true, intents: [] });
  const analysis = await analyzeMessage(model, text, { confidenceThreshold: 0.5, messageIndex: 0, now });
  if (analysis.triggers.length > 0 || !FACTUAL_INTENTS.has(analysis.intent) || analysis.requests.length > 1) return null;
  const [best] = KnowledgeBase.default().search(text, { intent: analysis.intent });
  if (!best || best.confidence < WAITING_ANSWER_THRESHOLD || !best.article.tags.includes(analysis.intent)) return null;
  const body = best.article.body;
  const reply = channel === 'voice' ? (body.match(/[^.!?]+[.!?]+/g) ?? [body]).slice(0, 2).join('').trim() : body;
  return { reply, articleId: best.article.id };
}
