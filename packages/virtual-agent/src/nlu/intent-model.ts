import { createHash } from 'node:crypto';
import { containerBootstrap } from '@nlpjs/core';
import { LangEn } from '@nlpjs/lang-en';
import { Nlp, type NlpResult } from '@nlpjs/nlp';
import { SpellCheck } from '@nlpjs/similarity';
import { DEFAULT_CX_INTENTS, NO_INTENT, OUT_OF_SCOPE_INTENT, type IntentDefinition } from '../intents/default-intents';
import { ENTITY_REGEX_RULES } from './entities';

/** Bumped whenever the default intents, entity rules or classifier settings change, so cached models are retrained. */
export const MODEL_VERSION = 1;

/** One candidate intent with its score. */
export interface IntentScore {
  intent: string;
  confidence: number;
}

/** What the classifier made of a message. */
export interface IntentClassification {
  /** The best intent, or `none` below the confidence threshold or when the message is off-topic. */
  intent: string;
  /** The best candidate's score, 0 … 1 (also when the intent is reported as `none`). */
  confidence: number;
  /** The best candidate even when it is below the threshold (`out_of_scope` for off-topic messages). */
  top: IntentScore;
  /**
   * Share of the message's content words (stems, stop words excluded) the model was trained on, 0 … 1;
   * 1 when the message has no content words.
   */
  coverage: number;
  /** The other candidates, best first (at most 3, scores above 0.05). */
  alternatives: IntentScore[];
}

/** The intents a model is trained on: the default set (optionally) merged with a bot node's own. */
export interface IntentModelSpec {
  useDefaultIntents: boolean;
  intents: readonly IntentDefinition[];
}

/** Merges extra intents into the default set: phrases for an existing name extend it, new names are added. */
export function mergeIntents(spec: IntentModelSpec): IntentDefinition[] {
  const merged = new Map<string, IntentDefinition>();
  const base = spec.useDefaultIntents ? DEFAULT_CX_INTENTS : DEFAULT_CX_INTENTS.filter((i) => i.name === OUT_OF_SCOPE_INTENT);
  for (const intent of base) merged.set(intent.name, { ...intent, phrases: [...intent.phrases] });
  for (const extra of spec.intents) {
    const existing = merged.get(extra.name);
    if (existing) {
      existing.phrases.push(...extra.phrases);
      if (extra.reply) existing.reply = extra.reply;
      if (extra.topic) existing.topic = extra.topic;
    } else {
      merged.set(extra.name, { ...extra, phrases: [...extra.phrases] });
    }
  }
  return [...merged.values()];
}

/** Content hash of what a model is trained on: the cache key. Phrase order does not matter. */
export function intentModelKey(spec: IntentModelSpec): string {
  const intents = mergeIntents(spec)
    .map((i) => ({ name: i.name, phrases: [...new Set(i.phrases.map((p) => p.trim().toLowerCase()))].sort() }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  return createHash('sha256').update(JSON.stringify({ v: MODEL_VERSION, intents })).digest('hex');
}

/**
 * An NLP.js model trained on one intent set, with the package's entity rules. NLP.js training starts
 * from zero weights and iterates a fixed schedule, so the same phrases give the same model (a test
 * checks the exported models are identical).
 */
export class IntentModel {
  private constructor(
    private readonly nlp: Nlp,
    /** Intent definitions the model knows, by name. */
    readonly intents: ReadonlyMap<string, IntentDefinition>,
    readonly key: string,
    /** How long training took, in milliseconds (informational; never part of a result). */
    readonly trainingMs: number,
    private readonly language: LanguageTools,
    private readonly vocabulary: SpellCheck,
  ) {}

  /** Trains a model. Prefer {@link getIntentModel}, which caches by configuration. */
  static async train(spec: IntentModelSpec): Promise<IntentModel> {
    const started = performance.now();
    const container = containerBootstrap();
    container.use(LangEn);
    const nlp = new Nlp(
      {
        // Never write model.nlp next to the worker; the model lives in memory.
        autoSave: false,
        autoLoad: false,
        forceNER: true,
        // Thresholding is ours (per bot); NLP.js would otherwise replace low scores with "None".
        threshold: 0,
        calculateSentiment: true,
        languages: ['en'],
        // Spell checking against the training vocabulary lets "pasword" and "refnd" reach their intent.
        nlu: { log: false, spellCheck: true, spellCheckDistance: 1, minLength: 5 },
      },
      container,
    );
    const intents = mergeIntents(spec);
    for (const intent of intents) {
      for (const phrase of intent.phrases) nlp.addDocument('en', phrase, intent.name);
    }
    for (const rule of ENTITY_REGEX_RULES) nlp.addNerRegexRule('en', rule.entity, rule.regex);
    await nlp.train();
    const language = languageTools(container);
    // The in-scope vocabulary: content words of the real intents' phrases (not the out-of-scope class).
    const vocabulary: Record<string, number> = {};
    for (const intent of intents) {
      if (intent.name === OUT_OF_SCOPE_INTENT) continue;
      for (const phrase of intent.phrases) for (const stem of language.contentStems(phrase)) vocabulary[stem] = 1;
    }
    return new IntentModel(
      nlp,
      new Map(intents.map((i) => [i.name, i])),
      intentModelKey(spec),
      performance.now() - started,
      language,
      new SpellCheck({ features: vocabulary, minLength: 4 }),
    );
  }

  /**
   * How much of a message the in-scope vocabulary covers. NLP.js's classifier spreads its whole
   * probability over the known intents even when most words are unknown ("how far away is the moon"
   * scores 0.97 greeting); coverage lets {@link classify} call such messages out of scope. Misspellings
   * within one edit of a known word count as known, as in NLP.js's own spell check.
   */
  coverage(text: string): number {
    const stems = this.language.contentStems(text);
    if (stems.length === 0) return 1;
    const known = stems.filter((stem) => this.vocabulary.checkToken(stem, 1) !== stem || isKnown(this.vocabulary, stem)).length;
    return round(known / stems.length);
  }

  /** Runs NLP.js on one message: intent scores, NER matches and its lexicon sentiment. */
  async process(text: string): Promise<NlpResult> {
    // A fresh context each time: NLP.js would otherwise remember conversations in memory, and our
    // conversation state travels with the workflow instead.
    return this.nlp.process('en', text, {});
  }

  /** Classifies a processed message against a confidence threshold. */
  classify(result: NlpResult, confidenceThreshold: number, text: string): IntentClassification {
    const scores = (result.classifications ?? [{ intent: result.intent, score: result.score }])
      .map((c) => ({ intent: c.intent === 'None' ? OUT_OF_SCOPE_INTENT : c.intent, confidence: round(c.score) }))
      .sort((a, b) => b.confidence - a.confidence || (a.intent < b.intent ? -1 : 1));
    const top = scores[0] ?? { intent: OUT_OF_SCOPE_INTENT, confidence: 0 };
    const coverage = this.coverage(text);
    const understood = top.intent !== OUT_OF_SCOPE_INTENT && top.confidence >= confidenceThreshold && coverage >= MIN_COVERAGE;
    return {
      intent: understood ? top.intent : NO_INTENT,
      confidence: top.confidence,
      top,
      coverage,
      alternatives: scores.slice(1).filter((s) => s.confidence > 0.05 && s.intent !== OUT_OF_SCOPE_INTENT).slice(0, 3),
    };
  }

  /** The model as NLP.js exports it (used to check that training is deterministic). */
  export(): string {
    return this.nlp.export(true);
  }
}

/** Below this share of known content words a message is out of scope, whatever the classifier says. */
export const MIN_COVERAGE = 0.2;

interface LanguageTools {
  contentStems(text: string): string[];
}

interface NlpjsTokenizer {
  tokenize(text: string, normalize?: boolean): string[];
}
interface NlpjsStopwords {
  isStopword(token: string): boolean;
}
interface NlpjsStemmer {
  stemWords(tokens: string[]): string[];
}
interface NlpjsNormalizer {
  normalize(text: string): string;
}

/** NLP.js's English normalizer, tokenizer, stop words and stemmer, as one content-word function. */
function languageTools(container: { get(name: string): unknown }): LanguageTools {
  const normalizer = container.get('normalizer-en') as NlpjsNormalizer;
  const tokenizer = container.get('tokenizer-en') as NlpjsTokenizer;
  const stopwords = container.get('stopwords-en') as NlpjsStopwords;
  const stemmer = container.get('stemmer-en') as NlpjsStemmer;
  return {
    contentStems(text) {
      const tokens = tokenizer.tokenize(normalizer.normalize(text), true).filter((t) => !stopwords.isStopword(t) && /^[a-z]+$/.test(t));
      return stemmer.stemWords(tokens);
    },
  };
}

function isKnown(vocabulary: SpellCheck, stem: string): boolean {
  return (vocabulary as unknown as { features: Record<string, number> }).features[stem] === 1;
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

const MAX_CACHED_MODELS = 32;
const cache = new Map<string, Promise<IntentModel>>();
const keyByRawSpec = new Map<string, string>();

/**
 * The trained model for an intent set, trained on first use and cached in the process by content hash
 * (LRU, 32 models). Concurrent callers share one training; a failed training is not cached.
 */
export function getIntentModel(spec: IntentModelSpec): Promise<IntentModel> {
  // The canonical hash sorts and hashes every phrase (~1 ms for 50 intents); a turn usually brings the
  // same configuration verbatim, so remember the hash of the raw text first.
  const raw = JSON.stringify([spec.useDefaultIntents, spec.intents]);
  let key = keyByRawSpec.get(raw);
  if (key === undefined) {
    key = intentModelKey(spec);
    keyByRawSpec.set(raw, key);
    if (keyByRawSpec.size > MAX_CACHED_MODELS * 2) {
      const oldest = keyByRawSpec.keys().next().value;
      if (oldest !== undefined) keyByRawSpec.delete(oldest);
    }
  }
  const cached = cache.get(key);
  if (cached) {
    cache.delete(key);
    cache.set(key, cached);
    return cached;
  }
  const training = IntentModel.train(spec);
  cache.set(key, training);
  training.catch(() => cache.delete(key));
  while (cache.size > MAX_CACHED_MODELS) {
    const oldest = cache.keys().next().value;
    if (oldest === undefined) break;
    cache.delete(oldest);
  }
  return training;
}

/** Empties the model cache (tests and benchmarks that measure training). */
export function clearIntentModelCache(): void {
  cache.clear();
  keyByRawSpec.clear();
}
