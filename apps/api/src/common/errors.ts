import { HttpException, HttpStatus } from '@nestjs/common';
import { isMessageTooLong } from '@tandem/api-contract';
import type { z } from 'zod';

/** Where in the request a validation problem was found. */
export type RequestLocation = 'body' | 'query' | 'param' | 'header';

/** One field-level problem, as returned in an error body's `errors`. */
export interface FieldError {
  location: RequestLocation;
  /** Dotted path inside the location, e.g. `document.nodes.0.id`; empty for the whole body. */
  path: string;
  message: string;
  /** zod issue code (`invalid_type`, `unrecognized_keys`, …) or another stable code. */
  code: string;
}

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
export interface ErrorBody {
  statusCode: number;
  error: string;
  code: string;
  message: string;
  errors?: FieldError[];
  details?: unknown;
  requestId?: string;
}

/** Base class of the API's own errors: status, stable code, message and optional details. */
export class ApiError extends HttpException {
  constructor(
    status: HttpStatus,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly fieldErrors?: FieldError[],
  ) {
    super(message, status);
  }
}

/** 400: the request does not match its schema. */
export class RequestValidationError extends ApiError {
  constructor(location: RequestLocation, error: z.ZodError) {
    const errors = error.issues.map((issue) => ({
      location,
      path: issue.path.map(String).join('.'),
      message: issueMessage(issue),
      code: issue.code,
    }));
    super(HttpStatus.BAD_REQUEST, 'validation_failed', summarize(errors), undefined, errors);
  }
}

/**
 * 400 `message_too_long`: a message's text is over the one limit every entry point shares. The
 * message names the field, its length and the limit in characters; `details` carries both numbers.
 */
export class MessageTooLongError extends ApiError {
  constructor(location: RequestLocation, error: z.ZodError, limit: number, length: number) {
    const errors = error.issues.map((issue) => ({
      location,
      path: issue.path.map(String).join('.'),
      message: issueMessage(issue),
      code: isMessageTooLong(issue) ? 'message_too_long' : issue.code,
    }));
    const field = errors.find((e) => e.code === 'message_too_long');
    const where = [location, field?.path].filter(Boolean).join('.');
    super(HttpStatus.BAD_REQUEST, 'message_too_long', `${where}: ${length} characters is more than the ${limit} characters a message may have`, { limit, length }, errors);
  }
}

/** 404: the named resource does not exist (or the caller may not know it exists). */
export class NotFoundError extends ApiError {
  constructor(resource: string, id: string | number) {
    super(HttpStatus.NOT_FOUND, 'not_found', `${resource} "${id}" does not exist`, { resource, id });
  }
}

/** 409: the request is well-formed but conflicts with the current state. */
export class ConflictError extends ApiError {
  constructor(code: string, message: string, details?: unknown) {
    super(HttpStatus.CONFLICT, code, message, details);
  }
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  return issue.message;
}

/** "body.name: Invalid input: expected string, received number (and 2 more)". */
export function summarize(errors: FieldError[]): string {
  const first = errors[0];
  if (!first) return 'invalid request';
  const where = [first.location, first.path].filter(Boolean).join('.');
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return `${where}: ${first.message}${more}`;
}
