/**
 * Answers from the knowledge base: the best article above the node's threshold, never one the
 * customer already said did not help.
 */
import { KnowledgeBase, type KnowledgeHit } from '../knowledge/knowledge-base';
import { type BotOptions } from '../options';
import { type ConversationState } from '../state';
import { attempt } from './attempts';
import { type Decision } from './outcome';

/** A second answer must be more certain than a first: about the intent (tagged with it), or this much above the threshold. */
const ANOTHER_ANSWER_MARGIN = 0.15;

/**
 * The best article for the text above the node's threshold that the customer has not rejected;
 * undefined when none. `another`: looking for a second answer to a need whose first answer failed.
 */
export function findArticle(state: ConversationState, options: BotOptions, text: string, intent: string | undefined, another = false): KnowledgeHit | undefined {
  if (!options.knowledge.enabled) return undefined;
  const kb = options.knowledge.articles ? knowledgeBaseFor(options.knowledge.articles) : KnowledgeBase.default();
  const rejected = new Set(state.tried.filter((a) => a.kind === 'knowledge_article' && a.succeeded === false).map((a) => a.detail.split(':')[0]));
  const threshold = options.knowledge.answerThreshold;
  return kb
    .search(text, { ...(intent ? { intent } : {}), limit: 3 + rejected.size })
    .filter((hit) => !another || (intent ? hit.article.tags.includes(intent) : hit.confidence >= threshold + ANOTHER_ANSWER_MARGIN))
    .find((hit) => hit.confidence >= threshold && !rejected.has(hit.article.id));
}

/** Answers with the article and waits for the customer to confirm it helped (or stay quiet). */
export function answerWithArticle(state: ConversationState, options: BotOptions, hit: KnowledgeHit, lead?: string): Decision {
  state.awaitingConfirmation = hit.article.id;
  attempt(state, options, { kind: 'knowledge_article', detail: `${hit.article.id}: ${hit.article.title} (${hit.confidence.toFixed(2)})` });
  return {
    outcome: 'continue',
    reply: [lead, hit.article.body, options.texts.confirmAnswer].filter(Boolean).join(' '),
    articleId: hit.article.id,
    escalation: null,
    awaitingConfirmation: true,
  };
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
