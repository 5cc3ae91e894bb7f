/**
 * What a model is trained on: the default intents (optionally) merged with a bot node's own, and the
 * content hash of that set with the classifier's version and settings, which keys every model cache.
 */
import { createHash } from 'node:crypto';
import { DEFAULT_CX_INTENTS, OUT_OF_SCOPE_INTENT, type IntentDefinition } from '../intents/default-intents';
import { NEURAL_SETTINGS, NLPJS_VERSION } from './nlpjs';

/** Bumped whenever the default intents, entity rules or classifier settings change, so cached models are retrained. */
export const MODEL_VERSION = 3;

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
