/**
 * Payment card numbers never reach routing's tables in clear (PCI DSS): every text routing stores —
 * transfer notes, completion notes, rejection reasons, tickets, handoff packages — goes through
 * `maskPaymentCards` first, whoever calls (the API, the worker, a tool).
 */
import { maskPaymentCards } from '@tandem/contracts';

/** `text` with every Luhn-valid card number masked (last four kept). */
export function maskCards(text: string): string {
  return maskPaymentCards(text).text;
}

/** Fields of a handoff package (or a ticket's customer) that identify something rather than say something: left as they are. */
const IDENTIFIERS = new Set(['schemaVersion', 'contactId', 'id', 'nodeId', 'articleId', 'agentId', 'workItemId', 'createdAt', 'at']);

/**
 * A copy of a JSON value with card numbers masked in every string it says (the transcript, the summary,
 * what was tried and answered, entity values, attributes), identifiers aside.
 */
export function maskCardsDeep<T>(value: T): T {
  return walk(value, undefined) as T;
}

function walk(value: unknown, key: string | undefined): unknown {
  if (typeof value === 'string') return key !== undefined && IDENTIFIERS.has(key) ? value : maskCards(value);
  if (Array.isArray(value)) return value.map((v) => walk(v, undefined));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k)]));
}
