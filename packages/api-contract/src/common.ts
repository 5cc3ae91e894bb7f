import { z } from 'zod';

/** Versions, revisions and counters are PostgreSQL integers: larger numbers are a 400, not a database error. */
export const MAX_INT = 2_147_483_647;

/** An ISO-8601 date-time, as every response writes times (`2026-12-07T10:00:00.000Z`). */
export const isoDateTime = z.iso.datetime();

/** A queue name: what flows reference and `queue.ewt("billing")` quotes. */
export const queueNameSchema = z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,62}$/, 'a queue name: lowercase letters, digits, "_", "." or "-" (max 63)');

/** Skill → level (1 basic … 10 expert), as queues and agents are defined. */
export const skillLevelsInputSchema = z
  .record(z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/i, 'a skill name: letters, digits, "_", "." or "-" (max 64)'), z.number().int().min(1).max(10))
  .describe('Skill → level (1 basic … 10 expert), e.g. {"billing": 2}.');

/** Skill → level, as responses show them. */
export const skillLevelsSchema = z.record(z.string(), z.number().int());

/** Where in the request a validation problem was found. */
export const requestLocationSchema = z.enum(['body', 'query', 'param', 'header']);
export type RequestLocation = z.output<typeof requestLocationSchema>;

/** One field-level problem, as returned in an error body's `errors`. */
export const fieldErrorSchema = z.object({
  location: requestLocationSchema,
  path: z.string().describe('Dotted path inside the location, e.g. `document.nodes.0.id`; empty for the whole body.'),
  message: z.string(),
  code: z.string().describe('zod issue code (`invalid_type`, `unrecognized_keys`, …) or another stable code.'),
});
export type FieldError = z.output<typeof fieldErrorSchema>;

/**
 * The error body every endpoint returns, whatever failed: a stable `code`, a `message` that names
 * the field and what is wrong, field `errors` for validation failures, and the request id to quote
 * to support.
 *
 * @example
 * { "statusCode": 409, "error": "Conflict", "code": "stale_revision",
 *   "message": "flow \"support\" is at revision 4, the update was based on revision 3",
 *   "requestId": "5d0c…" }
 */
export const errorBodySchema = z.object({
  statusCode: z.number().int(),
  error: z.string(),
  code: z.string().describe('Stable machine-readable code: validation_failed, not_found, stale_revision, token_expired, …'),
  message: z.string().describe('What is wrong and where, e.g. "body.name: Invalid input: expected string, received number".'),
  errors: z.array(fieldErrorSchema).optional().describe('Field-level problems, for 400 validation_failed.'),
  details: z.unknown().optional(),
  requestId: z.string().optional(),
});
export type ErrorBody = z.output<typeof errorBodySchema>;

/** Commands without parameters take an empty object (or no body); unknown fields are still a 400. */
export const emptyBodySchema = z.strictObject({});
