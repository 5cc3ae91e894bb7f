/**
 * Bounds on customer text. A contact accepts messages of up to 10,000 characters
 * (`MAX_CUSTOMER_MESSAGE_LENGTH` in @tandem/workflow-contract, which this package cannot import without
 * depending on the workflow's contract); the virtual agent never refuses one, but analyses a bounded
 * prefix and suffix, and quotes only a bounded excerpt in evidence and state, which travel in
 * workflow history.
 */
import { maskPaymentCards } from '@tandem/contracts';

/** Characters of a long message analysed from its start: where customers state what they want. */
export const ANALYSED_HEAD = 1_500;
/** Characters analysed from its end: where a long story usually ends with the request. */
export const ANALYSED_TAIL = 500;

/**
 * The part of a message the classifiers read: the whole message up to {@link ANALYSED_HEAD} +
 * {@link ANALYSED_TAIL} characters, else its start and its end joined by a sentence break.
 *
 * @example analysedText('x'.repeat(10_000)).length // 2_003
 */
export function analysedText(text: string): string {
  if (text.length <= ANALYSED_HEAD + ANALYSED_TAIL) return text;
  return `${text.slice(0, ANALYSED_HEAD)} … ${text.slice(-ANALYSED_TAIL)}`;
}

/**
 * A short excerpt of customer text for evidence, attempts and state: at most `max` characters, around
 * the first of `words` when the text is longer, with payment card numbers masked.
 */
export function excerpt(text: string, words: readonly string[] = [], max = 280): string {
  const masked = maskPaymentCards(text).text;
  if (masked.length <= max) return masked;
  const first = words.map((w) => masked.toLowerCase().indexOf(w.toLowerCase())).filter((i) => i >= 0).sort((a, b) => a - b)[0] ?? 0;
  const start = Math.max(0, Math.min(first - Math.floor(max / 3), masked.length - max + 2));
  return `${start > 0 ? '…' : ''}${masked.slice(start + (start > 0 ? 1 : 0), start + max - 1)}…`;
}
