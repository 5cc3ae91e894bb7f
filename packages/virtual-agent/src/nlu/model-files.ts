/**
 * The model cache directory on disk: a trained model saved for other processes (NLP.js's export plus
 * the in-scope vocabulary, under the configuration's content hash) and loaded instead of training.
 * Best effort both ways: a missing or broken file means training, a failed write only costs time.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { type Nlp } from '@nlpjs/nlp';

/** What the model cache directory holds per configuration: NLP.js's export and our vocabulary. */
interface SavedModel {
  format: 1;
  /** Content stems of the in-scope phrases (see `IntentModel.coverage`). */
  vocabulary: string[];
  /** `Nlp.export()`, parsed. */
  model: Record<string, unknown>;
}

/**
 * Loads a saved model into a fresh `Nlp`. A missing, unreadable or corrupt file is not an error:
 * the caller trains instead (and overwrites it).
 */
export function loadSavedModel(nlp: Nlp, file: string): { vocabulary: string[] } | undefined {
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
export function saveModel(nlp: Nlp, vocabulary: string[], file: string): void {
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
