import type { Entity } from '@tandem/contracts';
import * as chrono from 'chrono-node';
import type { EntityType } from '../options';

/** A regular-expression rule registered with NLP.js's NER, by entity type. */
export interface EntityRegexRule {
  entity: Exclude<EntityType, 'date'>;
  regex: RegExp;
}

/**
 * Entity rules handed to NLP.js's NER (`addNerRegexRule`). NLP.js treats the first capture group as the
 * entity text, so groups that are not the entity are non-capturing. Order matters only for readability:
 * NLP.js keeps the longest of overlapping matches, and {@link normalizeEntity} rejects what does not
 * validate (a phone number needs 9–15 digits, an order number must not be a phone number).
 */
export const ENTITY_REGEX_RULES: readonly EntityRegexRule[] = [
  { entity: 'email', regex: /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/gi },
  // Order references such as A-1042 (the docs' example), AB123456, ORD-55512, #48213, "order 7781920",
  // "order no. 552190", and a bare 6–8 digit number (12345678): phone numbers have 9 or more digits.
  { entity: 'order_number', regex: /\b[A-Z]{1,4}-?\d{4,10}\b/gi },
  { entity: 'order_number', regex: /(?<![\d+()-]|\d[ .-])\b\d{6,8}\b(?![ .-]?\d)/g },
  { entity: 'order_number', regex: /#\d{4,10}\b/g },
  { entity: 'order_number', regex: /\border\s*(?:number|no\.?|num|ref(?:erence)?)?\s*[:#]?\s*(\d{4,12})\b/gi },
  // Phone numbers: international or national formats with optional separators.
  { entity: 'phone', regex: /(?:\+\d{1,3}[\s.-]?)?\(?\d{2,5}\)?[\s.-]?\d{3,4}[\s.-]?\d{3,4}\b/g },
  // Amounts with a currency symbol or word.
  { entity: 'amount', regex: /[£$€]\s?\d{1,3}(?:,\d{3})*(?:\.\d{1,2})?|[£$€]\s?\d+(?:\.\d{1,2})?/g },
  { entity: 'amount', regex: /\b\d+(?:[.,]\d{1,2})?\s?(?:pounds?|quid|dollars?|bucks|euros?|gbp|usd|eur)\b/gi },
];

const CURRENCY_BY_MARKER: Record<string, string> = {
  '£': 'GBP',
  $: 'USD',
  '€': 'EUR',
  pound: 'GBP',
  pounds: 'GBP',
  quid: 'GBP',
  gbp: 'GBP',
  dollar: 'USD',
  dollars: 'USD',
  bucks: 'USD',
  usd: 'USD',
  euro: 'EUR',
  euros: 'EUR',
  eur: 'EUR',
};

/** A match from NLP.js's NER, reduced to what this package reads. */
export interface RawEntityMatch {
  entity: string;
  sourceText: string;
}

/**
 * Turns an NER match into a typed entity with a canonical value, or `undefined` when it does not
 * validate (e.g. a 6-digit run that is neither a phone number nor marked as an order number).
 */
export function normalizeEntity(match: RawEntityMatch, messageIndex: number | undefined): Entity | undefined {
  const text = match.sourceText.trim();
  const base = messageIndex === undefined ? { text } : { text, messageIndex };
  switch (match.entity) {
    case 'email':
      return { type: 'email', value: text.toLowerCase(), ...base };
    case 'order_number': {
      const value = text.replace(/^#/, '').replace(/[\s-]/g, '').toUpperCase();
      return { type: 'order_number', value, ...base };
    }
    case 'phone': {
      const digits = text.replace(/\D/g, '');
      if (digits.length < 9 || digits.length > 15) return undefined;
      return { type: 'phone', value: `${text.trim().startsWith('+') ? '+' : ''}${digits}`, ...base };
    }
    case 'amount': {
      const number = /\d+(?:,\d{3})*(?:[.,]\d{1,2})?/.exec(text)?.[0];
      const marker = /[£$€]/.exec(text)?.[0] ?? /[a-z]+$/i.exec(text)?.[0]?.toLowerCase();
      if (!number || !marker) return undefined;
      // "1,200" is a thousands separator; "12,50" a decimal comma.
      const normalized = /,\d{3}\b/.test(number) ? number.replace(/,/g, '') : number.replace(',', '.');
      const currency = CURRENCY_BY_MARKER[marker] ?? marker.toUpperCase();
      return { type: 'amount', value: `${Number(normalized).toFixed(2)} ${currency}`, ...base };
    }
    default:
      return undefined;
  }
}

/** Options for resolving relative dates. */
export interface DateResolution {
  /** The instant "today", "yesterday" and "next Monday" are relative to. */
  now: Date;
  /** The customer's offset from UTC, in minutes or a zone abbreviation chrono knows (`"CET"`); UTC when absent. */
  timezone?: string | number;
}

/**
 * Dates in a message, absolute or relative, resolved against `now` with chrono (a parser made for
 * this). The value is an ISO date (`2026-03-09`), or date and time when the customer gave a time.
 */
export function extractDates(text: string, messageIndex: number | undefined, { now, timezone = 0 }: DateResolution): Entity[] {
  const results = chrono.parse(text, { instant: now, timezone }, { forwardDate: false });
  return results.map((result) => {
    const start = result.start;
    const date = start.date();
    // chrono returns an instant; express it in the customer's zone so "Monday" stays Monday.
    const offsetMinutes = start.get('timezoneOffset') ?? (typeof timezone === 'number' ? timezone : 0);
    const local = new Date(date.getTime() + offsetMinutes * 60_000).toISOString();
    const value = start.isCertain('hour') ? `${local.slice(0, 16)}` : local.slice(0, 10);
    return messageIndex === undefined ? { type: 'date', value, text: result.text } : { type: 'date', value, text: result.text, messageIndex };
  });
}

/** Removes duplicates (same type and value), keeping the first; order numbers that are also phone numbers stay order numbers. */
export function dedupeEntities(entities: Entity[]): Entity[] {
  const seen = new Set<string>();
  const orderDigits = new Set(entities.filter((e) => e.type === 'order_number').map((e) => e.value.replace(/\D/g, '')));
  return entities.filter((entity) => {
    if (entity.type === 'phone' && orderDigits.has(entity.value.replace(/\D/g, ''))) return false;
    const key = `${entity.type}\u0000${entity.value}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
