import type { TranscriptEntry } from '@tandem/contracts';

/** What an extractive summary may lean on besides the transcript. */
export interface SummaryHints {
  /** Words that matter (entity texts, trigger evidence): sentences containing them rank higher. */
  keywords?: readonly string[];
  /** At most this many sentences (default 3). */
  maxSentences?: number;
  /** At most this many characters (default 400). */
  maxLength?: number;
}

const FILLER = /^(?:hi|hello|hey|yes|no|ok|okay|thanks|thank you|cheers|bye|good (?:morning|afternoon|evening))\W*$/i;

/**
 * A short extractive summary: the customer's own sentences that say the most (entities, trigger words,
 * length), kept in the order they were said. Deterministic and local; the default {@link Summarizer}.
 *
 * @example
 * extractiveSummary(transcript, { keywords: ['AB123456'] })
 * // "Customer: My parcel AB123456 never arrived. I want to speak to a person."
 */
export function extractiveSummary(transcript: readonly TranscriptEntry[], hints: SummaryHints = {}): string {
  const maxSentences = hints.maxSentences ?? 3;
  const maxLength = hints.maxLength ?? 400;
  const keywords = (hints.keywords ?? []).map((k) => k.toLowerCase()).filter((k) => k.length > 1);
  const sentences: { text: string; order: number; score: number }[] = [];
  let order = 0;
  for (const entry of transcript) {
    if (entry.from !== 'customer') continue;
    for (const raw of entry.text.split(/(?<=[.!?])\s+|\n+/)) {
      const text = raw.trim();
      if (text.length < 3 || FILLER.test(text)) continue;
      const lower = text.toLowerCase();
      const keywordHits = keywords.filter((k) => lower.includes(k)).length;
      const words = text.split(/\s+/).length;
      // Informative sentences are neither one-word answers nor rambling paragraphs.
      const lengthScore = Math.min(words, 20) / 20 - Math.max(0, words - 40) / 40;
      sentences.push({ text, order: order++, score: keywordHits * 2 + lengthScore });
    }
  }
  if (sentences.length === 0) return 'The customer has not said anything yet.';
  const chosen = [...sentences]
    .sort((a, b) => b.score - a.score || a.order - b.order)
    .slice(0, maxSentences)
    .sort((a, b) => a.order - b.order);
  let summary = `Customer: ${chosen.map((s) => (/[.!?]$/.test(s.text) ? s.text : `${s.text}.`)).join(' ')}`;
  if (summary.length > maxLength) summary = `${summary.slice(0, maxLength - 1).trimEnd()}…`;
  return summary;
}
