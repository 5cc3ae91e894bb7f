// NLP.js 4 ships no type declarations; these cover the part of its API this package uses.
declare module '@nlpjs/core' {
  export interface Container {
    use(plugin: unknown): void;
    get(name: string, settings?: unknown): unknown;
  }
  export function containerBootstrap(settings?: unknown): Container;
}

declare module '@nlpjs/lang-en' {
  export const LangEn: unknown;
}

declare module '@nlpjs/nlp' {
  import type { Container } from '@nlpjs/core';

  export interface NlpClassification {
    intent: string;
    score: number;
  }

  export interface NlpEntity {
    start: number;
    end: number;
    entity: string;
    sourceText: string;
    utteranceText: string;
    type: string;
  }

  export interface NlpSentiment {
    score: number;
    average: number;
    numWords: number;
    numHits: number;
    vote: 'positive' | 'negative' | 'neutral';
  }

  export interface NlpResult {
    intent: string;
    score: number;
    classifications?: NlpClassification[];
    entities?: NlpEntity[];
    sentiment?: NlpSentiment;
  }

  export interface NlpSettings {
    autoSave?: boolean;
    autoLoad?: boolean;
    forceNER?: boolean;
    threshold?: number;
    calculateSentiment?: boolean;
    languages?: string[];
    nlu?: Record<string, unknown>;
  }

  export class Nlp {
    constructor(settings: NlpSettings, container: Container);
    settings: NlpSettings;
    addDocument(locale: string, utterance: string, intent: string): void;
    addNerRegexRule(locale: string, name: string, regex: RegExp): void;
    train(): Promise<unknown>;
    process(locale: string, utterance: string, context?: Record<string, unknown>): Promise<NlpResult>;
    export(minified?: boolean): string;
    import(data: string | Record<string, unknown>): void;
  }
}

declare module '@nlpjs/similarity' {
  export class SpellCheck {
    constructor(settings: { features: Record<string, number>; minLength?: number });
    checkToken(token: string, distance: number): string;
  }
}
