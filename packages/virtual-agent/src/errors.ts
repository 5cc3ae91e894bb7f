import type { z } from 'zod';

/**
 * Bad input to a virtual-agent entry point: names what is wrong and where (`options.slots[1].entity:
 * …`), so a designer or the lead's mapping code can fix it without reading this package.
 */
export class VirtualAgentInputError extends Error {
  constructor(
    /** Which argument was wrong: `options`, `state`, `message`, `now`, … */
    readonly argument: string,
    /** One line per problem, each starting with its path. */
    readonly problems: string[],
  ) {
    super(`invalid ${argument}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'VirtualAgentInputError';
  }
}

/** Parses with a zod schema, turning its issues into a {@link VirtualAgentInputError}. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, argument: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new VirtualAgentInputError(
    argument,
    parsed.error.issues.map((issue) => `${[argument, ...issue.path.map(String)].join('.')}: ${issue.message}`),
  );
}

/** Validates an ISO-8601 instant passed as `now` and returns it as a Date. */
export function parseNow(now: unknown): Date {
  if (typeof now !== 'string' || Number.isNaN(Date.parse(now))) {
    throw new VirtualAgentInputError('now', [`now: expected an ISO-8601 time such as 2026-03-01T10:00:00Z, got ${JSON.stringify(now)}`]);
  }
  return new Date(now);
}
