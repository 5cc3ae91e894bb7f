/**
 * From classifier scores to what the bot works with: the intent above the confidence threshold (or
 * `none` for off-topic, unknown-word and circumstance messages), the alternatives, and for a message
 * of several clauses every request it makes, in order.
 */
import { type NlpResult } from '@nlpjs/nlp';
import { CIRCUMSTANCES_INTENT, NO_INTENT, OUT_OF_SCOPE_INTENT } from '../intents/default-intents';

/** Classes the model is trained on that are not requests: reported as the intent `none`. */
const NOT_A_REQUEST = new Set([OUT_OF_SCOPE_INTENT, CIRCUMSTANCES_INTENT]);
/** Intents that are conversation, not a request: a request in the same message wins over them. */
const CONVERSATIONAL = new Set(['greeting', 'goodbye']);

/** Below this share of known content words a message is out of scope, whatever the classifier says. */
export const MIN_COVERAGE = 0.2;

/** A clause's request overrides a whole message read as circumstances only at this confidence. */
const SURE_CLAUSE_CONFIDENCE = 0.8;

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

/**
 * Classifies NLP.js's result for one piece of text against a confidence threshold; `coverage` is the
 * share of the text's content words the model knows (see `IntentModel.coverage`).
 */
export function classifyScores(result: NlpResult, confidenceThreshold: number, coverage: number): IntentClassification {
  const scores = (result.classifications ?? [{ intent: result.intent, score: result.score }])
    .map((c) => ({ intent: c.intent === 'None' ? OUT_OF_SCOPE_INTENT : c.intent, confidence: roundScore(c.score) }))
    .sort((a, b) => b.confidence - a.confidence || (a.intent < b.intent ? -1 : 1));
  const top = scores[0] ?? { intent: OUT_OF_SCOPE_INTENT, confidence: 0 };
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
 * Combines the classification of a whole message with those of its clauses: the intent is the whole
 * message's when a clause confirms it, else the first request made; `requests` lists every request
 * in order.
 */
export function combineClauses(whole: IntentClassification, parts: readonly IntentClassification[]): IntentClassification {
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

function isRequest(intent: string): boolean {
  return intent !== NO_INTENT && !NOT_A_REQUEST.has(intent) && !CONVERSATIONAL.has(intent);
}

/** The first occurrence of each intent, order kept. */
function uniqueIntents(scores: readonly IntentScore[]): IntentScore[] {
  const seen = new Set<string>();
  return scores.filter((s) => (seen.has(s.intent) ? false : (seen.add(s.intent), true)));
}

/** Scores and coverage are reported to four decimals. */
export function roundScore(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
