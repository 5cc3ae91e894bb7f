/** Scores a survey answer; null when the text holds no valid score. */
export function parseSurveyScore(kind: 'csat' | 'nps' | 'thumbs', text: string): number | null {
  const t = text.trim().toLowerCase();
  if (kind === 'thumbs') {
    if (/^(👍|yes|y|good|great|thumbs ?up|1)\b/.test(t)) return 1;
    if (/^(👎|no|n|bad|thumbs ?down|0)\b/.test(t)) return 0;
    return null;
  }
  const m = /-?\d+/.exec(t);
  if (!m) return null;
  const n = Number(m[0]);
  const [lo, hi] = kind === 'nps' ? [0, 10] : [1, 5];
  return Number.isInteger(n) && n >= lo && n <= hi ? n : null;
}

/** What the survey says when an answer holds no score (once). */
export const REPROMPT: Record<'csat' | 'nps' | 'thumbs', string> = {
  csat: 'Please answer with a number from 1 to 5.',
  nps: 'Please answer with a number from 0 to 10.',
  thumbs: 'Please answer yes or no.',
};
