import type { z } from 'zod';

const NUL = '\u0000';
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Strings PostgreSQL cannot store: a NUL character (text and jsonb refuse U+0000) or an unpaired
 * surrogate (not Unicode; jsonb refuses its `\u` escape). JSON allows both, so a client may send them;
 * they are a 400 naming the field, not a 500 from the database.
 */
export function unstorableText(value: unknown, path: (string | number)[] = []): z.core.$ZodIssue[] {
  const problem = (s: string) => (s.includes(NUL) ? 'contains a NUL character (U+0000)' : UNPAIRED_SURROGATE.test(s) ? 'contains an unpaired surrogate (not valid Unicode)' : undefined);
  if (typeof value === 'string') {
    const why = problem(value);
    return why ? [{ code: 'custom', path, message: `${why}, which cannot be stored`, input: value }] : [];
  }
  if (Array.isArray(value)) return value.flatMap((item, i) => unstorableText(item, [...path, i]));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const why = problem(key);
    return why ? [{ code: 'custom' as const, path: [...path, key], message: `its name ${why}, which cannot be stored`, input: key }] : unstorableText(child, [...path, key]);
  });
}
