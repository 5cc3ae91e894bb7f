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
/** Classifier confidence at which the bot is sure of an intent (with most of the message's words known to it). */
export const SURE_INTENT = 0.8;

/** What the article search is for. */
export interface ArticleQuery {
  /** The recognised intent: articles tagged with it rank higher. */
  intent?: string;
  /**
   * The classifier is sure of `intent` (see `sureOf`): then an article tagged with the intent is its
   * answer, however few words it shares with the question ("where is my package?" and the order
   * tracking article, which says "parcel").
   */
  sure?: boolean;
  /** A second answer to a need whose first answer failed: only an article tagged with the intent, or a clearly better one. */
  another?: boolean;
}

/** The best article for the question that the customer has not rejected, or undefined: see {@link ArticleQuery}. */
export function findArticle(state: ConversationState, options: BotOptions, text: string, query: ArticleQuery = {}): KnowledgeHit | undefined {
  if (!options.knowledge.enabled) return undefined;
  const { intent, sure = false, another = false } = query;
  const kb = options.knowledge.articles ? knowledgeBaseFor(options.knowledge.articles) : KnowledgeBase.default();
  const rejected = new Set(state.tried.filter((a) => a.kind === 'knowledge_article' && a.succeeded === false).map((a) => a.detail.split(':')[0]));
  const threshold = options.knowledge.answerThreshold;
  const hits = kb.search(text, { ...(intent ? { intent } : {}), limit: 3 + rejected.size }).filter((hit) => !rejected.has(hit.article.id));
  const tagged = (hit: KnowledgeHit) => intent !== undefined && hit.article.tags.includes(intent);
  if (another) return hits.find((hit) => hit.confidence >= threshold && (intent ? tagged(hit) : hit.confidence >= threshold + ANOTHER_ANSWER_MARGIN));
  if (sure && intent) {
    const forIntent = hits.find(tagged) ?? kb.articles().filter((a) => a.tags.includes(intent) && !rejected.has(a.id)).map((article) => ({ article, confidence: 0, score: 0, matched: [] }))[0];
    if (forIntent) return forIntent;
  }
  return hits.find((hit) => hit.confidence >= threshold);
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
