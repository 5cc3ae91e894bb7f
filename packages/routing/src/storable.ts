/**
 * What routing stores is storable and holds no card number in clear, whoever sends it (the API, the
 * worker, a tool):
 * - payment card numbers are masked (PCI DSS) — transfer notes, completion notes, rejection reasons,
 *   tickets, handoff packages — with `maskPaymentCards` (last four digits kept);
 * - text PostgreSQL refuses in `text` and `jsonb` — a NUL character, half of a surrogate pair (a text
 *   cut in the middle of an emoji) — becomes U+FFFD: a work item is created with a slightly damaged
 *   excerpt rather than never (a refused insert fails the escalation again and again).
 */
import { maskPaymentCards } from '@tandem/contracts';

// NUL is the point of this pattern, not a mistake.
// eslint-disable-next-line no-control-regex
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** `text` as routing stores it: card numbers masked, NUL and unpaired surrogates replaced by U+FFFD. */
export function storableText(text: string): string {
  return maskPaymentCards(text.replace(UNSTORABLE, '\uFFFD')).text;
}

/** Fields of a handoff package (or a ticket's customer) that identify something rather than say something: not masked. */
const IDENTIFIERS = new Set(['schemaVersion', 'contactId', 'id', 'nodeId', 'articleId', 'agentId', 'workItemId', 'createdAt', 'at']);

/**
 * A copy of a JSON value as routing stores it: card numbers masked in every string it says (the
 * transcript, the summary, what was tried and answered, entity values, attributes), identifiers
 * aside; NUL and unpaired surrogates replaced everywhere, keys included.
 */
export function storableDeep<T>(value: T): T {
  return walk(value, undefined) as T;
}

function walk(value: unknown, key: string | undefined): unknown {
  if (typeof value === 'string') return key !== undefined && IDENTIFIERS.has(key) ? value.replace(UNSTORABLE, '\uFFFD') : storableText(value);
  if (Array.isArray(value)) return value.map((v) => walk(v, undefined));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.replace(UNSTORABLE, '\uFFFD'), walk(v, k)]));
}
