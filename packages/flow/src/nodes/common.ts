/** Config building blocks shared by node definitions. */
import { z } from 'zod';

/**
 * The JSON Schema keyword that marks a config string as an expression or a template, whatever it holds
 * now — so a form shows the right editor for an empty field too (the designer's inspector).
 */
export const TEXT_KIND_KEYWORD = 'x-tandem-text';

/** A CEL expression, e.g. `nlu.confidence < 0.5 && customer.tier == "vip"`. */
// Not trimmed: diagnostic ranges must point at the characters the designer typed.
export const celExpression = (description: string) =>
  z
    .string()
    .max(4000)
    .refine((source) => source.trim().length > 0, { message: 'the expression is empty' })
    .meta({ description, [TEXT_KIND_KEYWORD]: 'expression' });

/** Text with CEL inside `{{ }}`, e.g. `Thanks {{customer.name}}, you are number {{ctx.position}}`. */
export const template = (description: string) => z.string().max(4000).meta({ description, [TEXT_KIND_KEYWORD]: 'template' });


/** An id of a port a node defines from its config (decision rules, parallel branches). */
export const portId = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, 'must start with a letter and contain only letters, digits, "_" or "-"');

/** A flow variable name (`ctx.<name>`). */
export const variableName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'must be a variable name');

/** An id of another flow. */
export const nodeIdLike = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/, 'must be a flow id');

/** A name of an external resource (queue, activity, calendar). */
export const resourceName = z.string().trim().min(1).max(200);

/**
 * Fields every node accepts to bound a loop: the node may be entered at most `maxVisits` times in one
 * contact; the next time the interpreter leaves through `onMaxVisits` (or the node's default loop
 * exit) without running it.
 */
export const loopBound = {
  maxVisits: z.number().int().min(1).max(1000).optional().describe('Times this node may run in one contact before the loop is cut'),
  onMaxVisits: z.string().optional().describe('The exit taken once maxVisits is reached (defaults to the node’s usual fallback exit)'),
};

/** Seconds, bounded to a year: larger values are mistakes in a contact's lifetime. */
export const seconds = () => z.number().int().min(1).max(366 * 24 * 3600);

/** Set of `[a, b]` pairs with the same value → issue per duplicate; used by superRefine of lists. */
export function duplicates<T>(items: readonly T[], key: (item: T) => string): { index: number; key: string }[] {
  const seen = new Set<string>();
  const result: { index: number; key: string }[] = [];
  items.forEach((item, index) => {
    const k = key(item);
    if (seen.has(k)) result.push({ index, key: k });
    seen.add(k);
  });
  return result;
}

/**
 * A step that waits for the customer's words honours the flow's escape hatch (a request for a person,
 * the sensitive triggers it lists) unless it opts out here, with a reason the validator shows.
 */
export const escapeHatchOptOut = {
  escapeHatch: z
    .strictObject({
      optOut: z.literal(true),
      reason: z.string().trim().min(3, 'say why this step does not honour requests for a person').max(500),
    })
    .optional()
    .describe('Opt this step out of the flow\'s escape hatch (requests for a person), with the reason'),
};
