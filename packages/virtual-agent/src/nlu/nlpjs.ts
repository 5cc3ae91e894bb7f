/**
 * NLP.js as the intent model uses it: one English instance with the package's classifier settings
 * and no autosave, and NLP.js's own normalizer, tokenizer, stop words and stemmer as one function
 * that gives a text's content words.
 */
import { readFileSync } from 'node:fs';
import { containerBootstrap, type Container } from '@nlpjs/core';
import { LangEn } from '@nlpjs/lang-en';
import { Nlp } from '@nlpjs/nlp';

/** NLP.js neural network settings (its public `NeuralNetwork` options) used for every model. */
export const NEURAL_SETTINGS = { learningRate: 0.05, iterations: 100 } as const;

/** The NLP.js release models are trained with: part of the cache key, as its export format may change. */
export const NLPJS_VERSION = (JSON.parse(readFileSync(require.resolve('@nlpjs/nlp/package.json'), 'utf8')) as { version: string }).version;

/** An NLP.js instance with English, the package's classifier settings and no autosave. */
export function createNlp(): { nlp: Nlp; container: Container } {
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

/** A text's content words, stemmed. */
export interface LanguageTools {
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
export function languageTools(container: { get(name: string): unknown }): LanguageTools {
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
