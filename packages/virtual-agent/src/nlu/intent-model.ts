/**
 * The intent model: NLP.js trained on one intent set (or loaded from the model cache directory), how
 * much of a message its vocabulary covers, and the classification of a message, clause by clause.
 * Models are trained once per configuration and kept in the process (`getIntentModel`).
 */
import { join } from 'node:path';
import { type Nlp, type NlpResult } from '@nlpjs/nlp';
import { SpellCheck } from '@nlpjs/similarity';
import { OUT_OF_SCOPE_INTENT, type IntentDefinition } from '../intents/default-intents';
import { splitClauses } from './clauses';
import { ENTITY_REGEX_RULES } from './entities';
import { classifyScores, combineClauses, type IntentClassification, roundScore } from './intent-classification';
import { intentModelKey, mergeIntents, type IntentModelSpec } from './intent-spec';
import { loadSavedModel, saveModel } from './model-files';
import { createNlp, type LanguageTools, languageTools } from './nlpjs';

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
    /** How long training (or loading from the model cache) took, in milliseconds (informational; never part of a result). */
    readonly trainingMs: number,
    /** Whether the model was trained in this process or loaded from the model cache directory. */
    readonly source: 'trained' | 'cache',
    private readonly language: LanguageTools,
    private readonly vocabulary: SpellCheck,
  ) {}

  /**
   * Trains a model, or loads it from `cacheDir` when a previous process trained the same
   * configuration there (and saves it there after training). Prefer {@link getIntentModel}, which
   * also caches in memory.
   */
  static async train(spec: IntentModelSpec, options: { cacheDir?: string } = {}): Promise<IntentModel> {
    const started = performance.now();
    const intents = mergeIntents(spec);
    const key = intentModelKey(spec);
    const cacheFile = options.cacheDir === undefined ? undefined : join(options.cacheDir, `${key}.nlp.json`);
    let { nlp, container } = createNlp();
    const saved = cacheFile === undefined ? undefined : loadSavedModel(nlp, cacheFile);
    let vocabulary: string[];
    if (saved) vocabulary = saved.vocabulary;
    else {
      // A failed import may have left half a model behind: train from a fresh instance.
      if (cacheFile !== undefined) ({ nlp, container } = createNlp());
      for (const intent of intents) {
        for (const phrase of intent.phrases) nlp.addDocument('en', phrase, intent.name);
      }
      for (const rule of ENTITY_REGEX_RULES) nlp.addNerRegexRule('en', rule.entity, rule.regex);
      await nlp.train();
      vocabulary = inScopeVocabulary(intents, languageTools(container));
      if (cacheFile !== undefined) saveModel(nlp, vocabulary, cacheFile);
    }
    return new IntentModel(
      nlp,
      new Map(intents.map((i) => [i.name, i])),
      key,
      performance.now() - started,
      saved ? 'cache' : 'trained',
      languageTools(container),
      new SpellCheck({ features: Object.fromEntries(vocabulary.map((stem) => [stem, 1])), minLength: 4 }),
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
    return roundScore(known / stems.length);
  }

  /** Runs NLP.js on one message: intent scores, NER matches and its lexicon sentiment. */
  async process(text: string): Promise<NlpResult> {
    // A fresh context each time: NLP.js would otherwise remember conversations in memory, and our
    // conversation state travels with the workflow instead.
    return this.nlp.process('en', text, {});
  }

  /** Classifies a processed message (as one piece of text) against a confidence threshold. */
  classify(result: NlpResult, confidenceThreshold: number, text: string): IntentClassification {
    return classifyScores(result, confidenceThreshold, this.coverage(text));
  }

  /**
   * Classifies a whole message, clause by clause when it has several: the intent is the whole
   * message's when a clause confirms it, else the first request made; `requests` lists every request
   * in order. Pass the NLP.js result of the whole text when you already have it.
   */
  async classifyMessage(text: string, confidenceThreshold: number, processed?: NlpResult): Promise<IntentClassification> {
    const whole = this.classify(processed ?? (await this.process(text)), confidenceThreshold, text);
    const clauses = splitClauses(text);
    if (clauses.length < 2) return whole;
    const parts: IntentClassification[] = [];
    for (const clause of clauses) parts.push(this.classify(await this.process(clause), confidenceThreshold, clause));
    return combineClauses(whole, parts);
  }

  /** The model as NLP.js exports it (used to check that training is deterministic). */
  export(): string {
    return this.nlp.export(true);
  }
}

/** The in-scope vocabulary: content stems of the real intents' phrases (not the out-of-scope class). */
function inScopeVocabulary(intents: readonly IntentDefinition[], language: LanguageTools): string[] {
  const stems = new Set<string>();
  for (const intent of intents) {
    if (intent.name === OUT_OF_SCOPE_INTENT) continue;
    for (const phrase of intent.phrases) for (const stem of language.contentStems(phrase)) stems.add(stem);
  }
  return [...stems].sort();
}

/** Whether a stem is in the vocabulary as it is (`checkToken` returns a known stem and a stem with no near miss alike: unchanged). */
function isKnown(vocabulary: SpellCheck, stem: string): boolean {
  return (vocabulary as unknown as { features: Record<string, number> }).features[stem] === 1;
}

/**
 * Environment variable naming a directory where trained models are saved for other processes (a
 * restarted worker, a second worker on the host) and loaded from instead of training again: loading
 * the default model takes ~20 ms, training it ~0.3–0.5 s. Unset (the default): nothing is written.
 */
export const MODEL_CACHE_DIR_ENV = 'TANDEM_VA_MODEL_CACHE_DIR';

const MAX_CACHED_MODELS = 32;
const cache = new Map<string, Promise<IntentModel>>();
const keyByRawSpec = new Map<string, string>();

/**
 * The trained model for an intent set, trained on first use and cached in the process by content hash
 * (LRU, 32 models). Concurrent callers share one training; a failed training is not cached. With
 * `TANDEM_VA_MODEL_CACHE_DIR` set, models are also loaded from and saved to that directory.
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
  const cacheDir = process.env[MODEL_CACHE_DIR_ENV]?.trim();
  const training = IntentModel.train(spec, cacheDir ? { cacheDir } : {});
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
