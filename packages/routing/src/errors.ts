import { type z } from 'zod';

/** What kind of failure, so an API can map it: invalid → 400, not_found → 404, conflict → 409. */
export type RoutingErrorCode = 'invalid' | 'not_found' | 'conflict';

/** Base class of every error this package throws on purpose. */
export class RoutingError extends Error {
  constructor(
    readonly code: RoutingErrorCode,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** One problem with an input: where (a path such as `handoff.customer.id`) and what. */
export interface InputIssue {
  path: string;
  message: string;
}

/** The input does not describe a valid request; `issues` says what is wrong and where. */
export class InvalidRoutingInputError extends RoutingError {
  constructor(
    readonly what: string,
    readonly issues: InputIssue[],
  ) {
    super('invalid', `invalid ${what}: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}`);
  }
}

/** A queue, agent, work item or offer that does not exist. */
export class RoutingNotFoundError extends RoutingError {
  constructor(
    readonly entity: 'queue' | 'agent' | 'work item' | 'offer' | 'ticket',
    readonly id: string,
  ) {
    super('not_found', `${entity} "${id}" does not exist`);
  }
}

/** The request is valid but the current state does not allow it (an expired offer, an item held by someone else…). */
export class RoutingConflictError extends RoutingError {
  constructor(message: string) {
    super('conflict', message);
  }
}

/** Parses `input` with `schema`, or throws an {@link InvalidRoutingInputError} naming every problem. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new InvalidRoutingInputError(
      what,
      parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
    );
  }
  return parsed.data;
}
