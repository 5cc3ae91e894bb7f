/**
 * Zod's issues in words for the people who draw flows: "is empty — fill it in" rather than "Too small:
 * expected string to have >=1 characters". Messages a schema wrote itself (`'the sentence is empty'`)
 * are kept; only zod's own defaults are rewritten.
 */
import type { z } from 'zod';

type Issue = z.core.$ZodIssue;

/** The pattern of variable names (and of other identifiers written the same way). */
const IDENTIFIER = '/^[A-Za-z_][A-Za-z0-9_]{0,63}$/';

const KIND: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'yes or no',
  array: 'a list',
  object: 'a group of settings',
};

/** Zod's own default messages start like this; anything else was written by a schema, for people. */
const ZOD_DEFAULT = /^(Too small|Too big|Invalid (input|option|string|format|value|key)|Unrecognized key|Expected )/;

/** The issue's message in plain words. */
export function plainMessage(issue: Issue): string {
  if (!ZOD_DEFAULT.test(issue.message)) return issue.message;
  switch (issue.code) {
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string') return min <= 1 ? 'is empty — fill it in' : `is too short: at least ${min} characters`;
      if (issue.origin === 'array' || issue.origin === 'set') return min <= 1 ? 'needs at least one item — add one' : `needs at least ${min} items`;
      return `must be at least ${min}`;
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string') return `is too long: at most ${max} characters`;
      if (issue.origin === 'array' || issue.origin === 'set') return `has too many items: at most ${max}`;
      return `must be at most ${max}`;
    }
    case 'invalid_type':
      if ((issue as { input?: unknown }).input === undefined && /received undefined$/.test(issue.message)) return 'is missing — fill it in';
      return `must be ${KIND[issue.expected] ?? issue.expected}`;
    case 'invalid_value':
      return `must be one of: ${issue.values.map((v) => String(v)).join(', ')}`;
    case 'invalid_format':
      if (issue.format === 'regex' && (issue as { pattern?: string }).pattern === IDENTIFIER) {
        return 'may contain only letters, digits and "_", must start with a letter or "_", and have at most 64 characters';
      }
      return issue.format === 'regex' ? 'is not written in the form this field takes' : `must be a valid ${issue.format}`;
    case 'unrecognized_keys':
      return `has ${issue.keys.length === 1 ? 'a setting' : 'settings'} Tandem does not know: ${issue.keys.join(', ')} — remove ${issue.keys.length === 1 ? 'it' : 'them'}`;
    default:
      return issue.message;
  }
}
