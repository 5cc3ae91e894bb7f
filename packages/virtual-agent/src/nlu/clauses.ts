/**
 * Splitting a customer message into the clauses a multi-intent message is made of ("Where is my
 * order? If it isn't coming I want to cancel" → two clauses). The classifier is a bag of words: on a
 * whole two-request message it picks one request and forgets the other, and a greeting or a
 * circumstance in front of a request ("Hi there, just checking on my order") can outweigh the request.
 * Classifying each clause as well lets the model report every request in the order they were made.
 */

// Sentence ends, semicolons, and the connectives customers chain requests with. "and" alone joins
// too much ("terms and conditions", "in and out") to split on, so it splits only before a new
// clause: a pronoun, a modal, a question word or a request verb. "also" splits only after a comma
// ("could you also tell me" is one clause).
const CLAUSE_START = String.raw`(?:i|i'm|im|i've|ive|i'd|i'll|we|we're|we've|can|could|would|will|please|pls|also|you|your|how|when|what|where|why|is|are|do|does|did|need|want|reset|update|change|cancel|book|refund|send|tell|give|close|move|stop|put|get|let|then|my)\b`;
const CLAUSE_BREAK = new RegExp(
  String.raw`(?<=[.?!;])\s+|\s*;\s*|\s*,?\s+(?:and also|and then|as well as|but also|but)\s+|,\s*(?:also|plus)\s+|\s*,?\s+and\s+(?=${CLAUSE_START})|,\s+(?=${CLAUSE_START})`,
  'gi',
);

/** A clause with fewer letters than this is glued to its neighbour ("ok,", "so"). */
const MIN_CLAUSE_LETTERS = 4;

/**
 * The clauses of a message, in order. A message without a clause break gives one clause: itself.
 *
 * @example
 * splitClauses('Hi there, just checking on my order'); // ['Hi there', 'just checking on my order']
 */
export function splitClauses(text: string): string[] {
  const parts = text
    .split(CLAUSE_BREAK)
    .map((p) => p.replace(/^[\s,.;:!?-]+|[\s,;:-]+$/g, '').trim())
    .filter((p) => p.length > 0);
  const clauses: string[] = [];
  for (const part of parts) {
    const letters = part.replace(/[^A-Za-z]/g, '').length;
    if (letters < MIN_CLAUSE_LETTERS && clauses.length > 0) clauses[clauses.length - 1] += ` ${part}`;
    else clauses.push(part);
  }
  return clauses.length > 0 ? clauses : [text.trim()];
}
