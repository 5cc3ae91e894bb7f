import type { z } from 'zod';

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Finds fields a schema dropped: keys present in the raw input object but absent from the parsed
 * output at the same place. zod's plain objects strip unknown keys silently (the flow document
 * schema is one of them); the API turns what was stripped into 400s instead, so a typo such as
 * `"descripton"` is reported rather than lost. Free-form maps (`z.record`) keep every key, so they
 * never report anything.
 */
export function strippedFields(input: unknown, output: unknown, path: (string | number)[] = []): z.core.$ZodIssue[] {
  if (Array.isArray(input) && Array.isArray(output)) {
    return input.flatMap((item, i) => (i < output.length ? strippedFields(item, output[i], [...path, i]) : []));
  }
  if (!isPlainObject(input) || !isPlainObject(output)) return [];
  const issues: z.core.$ZodIssue[] = [];
  const unknown = Object.keys(input).filter((key) => !(key in output));
  if (unknown.length) issues.push({ code: 'unrecognized_keys', keys: unknown, path, message: `Unrecognized key(s): ${unknown.join(', ')}`, input });
  for (const key of Object.keys(input)) {
    if (key in output) issues.push(...strippedFields(input[key], output[key], [...path, key]));
  }
  return issues;
}
