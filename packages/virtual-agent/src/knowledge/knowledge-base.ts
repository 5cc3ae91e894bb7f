import MiniSearch, { type SearchResult } from 'minisearch';
import { z } from 'zod';
import { parseInput } from '../errors';
import defaultArticles from './default-knowledge-base.json';

/** One knowledge article the bot can answer from and agents are shown. */
export const knowledgeArticleSchema = z.object({
  id: z.string().min(1),
  title: z.string().min(1),
  body: z.string().min(1),
  /** Keywords and the intent names the article answers (`refund`, `opening_hours`). */
  tags: z.array(z.string().min(1)).default([]),
  url: z.string().optional(),
});
export type KnowledgeArticle = z.infer<typeof knowledgeArticleSchema>;
export type KnowledgeArticleInput = z.input<typeof knowledgeArticleSchema>;

/** A search hit with a score the bot can hold against a threshold. */
export interface KnowledgeHit {
  article: KnowledgeArticle;
  /**
   * 0 … 1: how much of the question the article covers (share of the query's words it matches),
   * blended with the BM25 score and raised when the article is tagged with the recognised intent.
   */
  confidence: number;
  /** The raw BM25+ score from MiniSearch, for diagnostics. */
  score: number;
  /** Query words that matched. */
  matched: string[];
}

// Words that carry no topic. Removing them keeps "what are your opening hours" from matching every
// article that says "your".
const STOP_WORDS = new Set(
  'a an and are as at be been but by can could do does did for from had has have how i i\'m i\'ve if in into is it its me my of on or our please so that the their them then there these they this to too us was we were what when where which who why will with would you your yours hi hello thanks thank just want need get got help still every not no also very really again any some take tell know'.split(
    ' ',
  ),
);

/** Saturation constant: a BM25 score of this size counts as half of "certainly relevant". */
const SCORE_HALF = 8;
const INTENT_TAG_BOOST = 0.25;

function processTerm(term: string): string | null {
  const t = term.toLowerCase();
  if (t.length < 2 || STOP_WORDS.has(t)) return null;
  // A light plural/verb-form folding so "refunds" finds "refund" and "returned" finds "return".
  return t.replace(/(?:'s|ies|es|s|ed|ing)$/, (m) => (m === 'ies' ? 'y' : '')) || t;
}

/**
 * A searchable knowledge base (MiniSearch, BM25+ ranking). Pure and in memory: build one per article
 * set and reuse it.
 *
 * @example
 * const kb = KnowledgeBase.default();
 * const [best] = kb.search('how long do refunds take', { intent: 'refund' });
 * best?.article.id; // 'kb-refund-policy'
 */
export class KnowledgeBase {
  private readonly index: MiniSearch<KnowledgeArticle>;
  private readonly byId: Map<string, KnowledgeArticle>;

  constructor(articles: readonly KnowledgeArticleInput[]) {
    const parsed = parseInput(z.array(knowledgeArticleSchema).min(1, 'a knowledge base needs at least one article'), articles, 'articles');
    this.byId = new Map();
    parsed.forEach((article, i) => {
      if (this.byId.has(article.id)) throw new Error(`articles[${i}].id: "${article.id}" is used by two articles`);
      this.byId.set(article.id, article);
    });
    this.index = new MiniSearch<KnowledgeArticle>({
      fields: ['title', 'body', 'tagText'],
      storeFields: [],
      processTerm,
      extractField: (doc, field) => (field === 'tagText' ? doc.tags.join(' ').replace(/_/g, ' ') : String(doc[field as keyof KnowledgeArticle] ?? '')),
      searchOptions: { boost: { title: 2, tagText: 2 }, fuzzy: (term) => (term.length >= 6 ? 0.2 : 0), combineWith: 'OR' },
    });
    this.index.addAll(parsed);
  }

  private static shipped: KnowledgeBase | undefined;

  /** The knowledge base shipped with the package (a dozen common customer-service articles). */
  static default(): KnowledgeBase {
    KnowledgeBase.shipped ??= new KnowledgeBase(defaultArticles);
    return KnowledgeBase.shipped;
  }

  /** The shipped articles, for display or to extend. */
  static defaultArticles(): KnowledgeArticle[] {
    return KnowledgeBase.default().articles();
  }

  articles(): KnowledgeArticle[] {
    return [...this.byId.values()];
  }

  get(id: string): KnowledgeArticle | undefined {
    return this.byId.get(id);
  }

  /**
   * Articles for a customer message, best first. `intent` (the recognised intent) raises articles
   * tagged with it, so "what time do you shut on Sunday" finds the opening-hours article although it
   * shares few words with it.
   */
  search(text: string, options: { intent?: string; limit?: number } = {}): KnowledgeHit[] {
    const queryTerms = [...new Set(text.split(/[^\p{L}\p{N}']+/u).map(processTerm).filter((t): t is string => t !== null))];
    if (queryTerms.length === 0) return [];
    const results: SearchResult[] = this.index.search(queryTerms.join(' '));
    const hits = results.map((result) => {
      const article = this.byId.get(String(result.id));
      if (!article) throw new Error(`knowledge index returned unknown article ${String(result.id)}`);
      const matched = [...new Set(result.queryTerms)];
      const coverage = matched.length / queryTerms.length;
      const saturation = result.score / (result.score + SCORE_HALF);
      const intentBoost = options.intent && article.tags.includes(options.intent) ? INTENT_TAG_BOOST : 0;
      const confidence = Math.min(1, 0.6 * coverage + 0.4 * saturation + intentBoost);
      return { article, confidence: Math.round(confidence * 1000) / 1000, score: Math.round(result.score * 1000) / 1000, matched };
    });
    // Stable order: confidence, then id, so equal scores never flip between runs.
    hits.sort((a, b) => b.confidence - a.confidence || (a.article.id < b.article.id ? -1 : 1));
    return hits.slice(0, options.limit ?? 3);
  }
}
