import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { containerBootstrap, type Container } from '@nlpjs/core';
import { LangEn } from '@nlpjs/lang-en';
import { Nlp, type NlpResult } from '@nlpjs/nlp';
import { SpellCheck } from '@nlpjs/similarity';
import { CIRCUMSTANCES_INTENT, DEFAULT_CX_INTENTS, NO_INTENT, OUT_OF_SCOPE_INTENT, type IntentDefinition } from '../intents/default-intents';
import { splitClauses } from './clauses';
import { ENTITY_REGEX_RULES } from './entities';

/** Bumped whenever the default intents, entity rules or classifier settings change, so cached models are retrained. */
export const MODEL_VERSION = 2;

/** Classes the model is trained on that are not requests: reported as the intent `none`. */
const NOT_A_REQUEST = new Set([OUT_OF_SCOPE_INTENT, CIRCUMSTANCES_INTENT]);
/** Intents that are conversation, not a request: a request in the same message wins over them. */
const CONVERSATIONAL = new Set(['greeting', 'goodbye']);

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
  /**
   * The best candidate even when it is below the threshold (`out_of_scope` for off-topic messages,
   * `personal_circumstances` for a customer telling their situation without asking for anything).
   */
  top: IntentScore;
  /**
   * Share of the message's content words (stems, stop words excluded) the model was trained on, 0 … 1;
   * 1 when the message has no content words.
   */
  coverage: number;
  /** The other candidates, best first (at most 3, scores above 0.05); other requests of the message first. */
  alternatives: IntentScore[];
  /**
   * Every request recognised in the message, in the order the customer made them: one for most
   * messages, several for a multi-intent message ("where is my order? if not, cancel it"), none for
   * small talk, off-topic messages and circumstances told without a request.
   */
  requests: IntentScore[];
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
  return createHash('sha256').update(JSON.stringify({ v: MODEL_VERSION, nlpjs: NLPJS_VERSION, neural: NEURAL_SETTINGS, intents })).digest('hex');
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
    return round(known / stems.length);
  }

  /** Runs NLP.js on one message: intent scores, NER matches and its lexicon sentiment. */
  async process(text: string): Promise<NlpResult> {
    // A fresh context each time: NLP.js would otherwise remember conversations in memory, and our
    // conversation state travels with the workflow instead.
    return this.nlp.process('en', text, {});
  }

  /** Classifies a processed message (as one piece of text) against a confidence threshold. */
  classify(result: NlpResult, confidenceThreshold: number, text: string): IntentClassification {
    const scores = (result.classifications ?? [{ intent: result.intent, score: result.score }])
      .map((c) => ({ intent: c.intent === 'None' ? OUT_OF_SCOPE_INTENT : c.intent, confidence: round(c.score) }))
      .sort((a, b) => b.confidence - a.confidence || (a.intent < b.intent ? -1 : 1));
    const top = scores[0] ?? { intent: OUT_OF_SCOPE_INTENT, confidence: 0 };
    const coverage = this.coverage(text);
    const understood = !NOT_A_REQUEST.has(top.intent) && top.confidence >= confidenceThreshold && coverage >= MIN_COVERAGE;
    const intent = understood ? top.intent : NO_INTENT;
    return {
      intent,
      confidence: top.confidence,
      top,
      coverage,
      alternatives: scores.slice(1).filter((s) => s.confidence > 0.05 && !NOT_A_REQUEST.has(s.intent)).slice(0, 3),
      requests: isRequest(intent) ? [{ intent, confidence: top.confidence }] : [],
    };
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
    const requests = uniqueIntents(parts.flatMap((p) => p.requests));
    if (requests.length === 0) return whole;
    let primary: IntentScore;
    if (isRequest(whole.intent)) {
      // The whole text sees every word together; clauses only decide what else was asked.
      primary = { intent: whole.intent, confidence: whole.confidence };
    } else if (whole.top.intent === CIRCUMSTANCES_INTENT) {
      // Circumstances told at length ("my wife died and everything is in her name"): a clause counts
      // as a request only when the model is sure of it.
      const sure = requests.find((r) => r.confidence >= SURE_CLAUSE_CONFIDENCE);
      if (!sure) return whole;
      primary = sure;
    } else {
      // A greeting, thanks or an unclear lead-in before the request ("Hi there, just checking on my order").
      primary = requests[0]!;
    }
    const ordered = uniqueIntents(requests.some((r) => r.intent === primary.intent) ? requests : [primary, ...requests]);
    return {
      intent: primary.intent,
      confidence: primary.confidence,
      top: primary,
      coverage: whole.coverage,
      alternatives: uniqueIntents([...ordered, ...whole.alternatives, ...(isRequest(whole.intent) ? [] : whole.requests)])
        .filter((a) => a.intent !== primary.intent)
        .slice(0, 3),
      requests: ordered,
    };
  }

  /** The model as NLP.js exports it (used to check that training is deterministic). */
  export(): string {
    return this.nlp.export(true);
  }
}

/** An NLP.js instance with English, the package's classifier settings and no autosave. */
function createNlp(): { nlp: Nlp; container: Container } {
  const container = containerBootstrap();
  container.use(LangEn);
  const nlp = new Nlp(
    {
      // Never write model.nlp next to the worker: models live in memory (and, when configured, in
      // the model cache directory, under a content hash).
      autoSave: false,
      autoLoad: false,
      forceNER: true,
      // Thresholding is ours (per bot); NLP.js would otherwise replace low scores with "None".
      threshold: 0,
      calculateSentiment: true,
      languages: ['en'],
      // Spell checking against the training vocabulary lets "pasword" and "refnd" reach their intent.
      nlu: {
        log: false,
        spellCheck: true,
        spellCheckDistance: 1,
        minLength: 5,
        // The classifier of the (single) default domain: NLP.js's perceptrons with a smaller learning
        // rate and a fixed number of epochs instead of training to convergence. Training to
        // convergence (160 epochs at NLP.js's rate 0.6 on the default set) fits the training
        // phrases exactly and is confidently wrong on new wordings; stopping early at a lower rate
        // generalises better (development set 0.89 → 0.93, see README, Evaluation).
        en: { default: { className: 'NeuralNlu', spellCheck: true, spellCheckDistance: 1, ...NEURAL_SETTINGS } },
      },
    },
    container,
  );
  return { nlp, container };
}

/** The NLP.js release models are trained with: part of the cache key, as its export format may change. */
const NLPJS_VERSION = (JSON.parse(readFileSync(require.resolve('@nlpjs/nlp/package.json'), 'utf8')) as { version: string }).version;

/** What the model cache directory holds per configuration: NLP.js's export and our vocabulary. */
interface SavedModel {
  format: 1;
  /** Content stems of the in-scope phrases (see {@link IntentModel.coverage}). */
  vocabulary: string[];
  /** `Nlp.export()`, parsed. */
  model: Record<string, unknown>;
}

/**
 * Loads a saved model into a fresh `Nlp`. A missing, unreadable or corrupt file is not an error:
 * the caller trains instead (and overwrites it).
 */
function loadSavedModel(nlp: Nlp, file: string): { vocabulary: string[] } | undefined {
  try {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as Partial<SavedModel>;
    if (saved.format !== 1 || !Array.isArray(saved.vocabulary) || typeof saved.model !== 'object' || saved.model === null) return undefined;
    nlp.import(saved.model);
    return { vocabulary: saved.vocabulary };
  } catch {
    return undefined;
  }
}

/**
 * Saves a trained model for other processes, atomically (write, then rename), so a reader never
 * sees half a file. A read-only or full disk only costs the next process a training.
 */
function saveModel(nlp: Nlp, vocabulary: string[], file: string): void {
  const model = JSON.parse(nlp.export(true)) as { nluManager?: { extraSentences?: unknown[] } };
  // NLP.js keeps every training phrase for its language guesser, which a one-language model never
  // uses; re-reading them costs a third of the load time.
  if (model.nluManager) model.nluManager.extraSentences = [];
  const saved: SavedModel = { format: 1, vocabulary, model };
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(temporary, JSON.stringify(saved));
    renameSync(temporary, file);
  } catch {
    // Best effort: the model in memory is what this process uses.
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

/** NLP.js neural network settings (its public `NeuralNetwork` options) used for every model. */
export const NEURAL_SETTINGS = { learningRate: 0.05, iterations: 100 } as const;

/** Below this share of known content words a message is out of scope, whatever the classifier says. */
export const MIN_COVERAGE = 0.2;

/** A clause's request overrides a whole message read as circumstances only at this confidence. */
const SURE_CLAUSE_CONFIDENCE = 0.8;

function isRequest(intent: string): boolean {
  return intent !== NO_INTENT && !NOT_A_REQUEST.has(intent) && !CONVERSATIONAL.has(intent);
}

/** The first occurrence of each intent, order kept. */
function uniqueIntents(scores: readonly IntentScore[]): IntentScore[] {
  const seen = new Set<string>();
  return scores.filter((s) => (seen.has(s.intent) ? false : (seen.add(s.intent), true)));
}

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
