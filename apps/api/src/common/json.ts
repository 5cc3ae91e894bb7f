import { canonicalJson } from '@tandem/flow';

/** JSON equality: key order and object prototypes do not matter (values come from jsonb and requests). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === undefined || b === undefined) return a === b;
  return canonicalJson(a) === canonicalJson(b);
}
