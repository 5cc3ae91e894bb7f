/**
 * Answers from the knowledge base: the best article above the node's threshold (never one the
 * customer already rejected), then the customer's yes or no to "did that answer your question?".
 */
import { type MessageAnalysis } from '../analyze';
import { NO_INTENT } from '../intents/default-intents';
import { KnowledgeBase } from '../knowledge/knowledge-base';
import { type BotOptions } from '../options';
import { STATE_LIMITS, type ConversationState } from '../state';
import { type Decision, stopIfExhausted } from './outcome';
import { AFFIRMATIVE, NEGATIVE } from './understanding';

/**
 * The customer's reply to a knowledge answer: yes resolves, no counts the article as failed. Undefined
 * when the bot was not waiting for one, or the reply is neither yes nor no (then it is a new question).
 */
export function answerConfirmation(state: ConversationState, options: BotOptions, message: string): Decision | undefined {
  if (!state.awaitingConfirmation) return undefined;
  const { texts } = options;
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
  return undefined;
}

/** Answers from the best article and waits for the customer to confirm; undefined when no article is good enough. */
export function answerFromKnowledge(state: ConversationState, options: BotOptions, analysis: MessageAnalysis, message: string): Decision | undefined {
  if (!options.knowledge.enabled) return undefined;
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
  return undefined;
}

const knowledgeBases = new WeakMap<object, KnowledgeBase>();
const knowledgeBasesByContent = new Map<string, KnowledgeBase>();
/** A node's own knowledge base, built once per articles array (and per content, for configurations that arrive as new objects each turn). */
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
