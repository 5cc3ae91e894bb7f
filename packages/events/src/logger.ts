import pino from 'pino';

/**
 * The logging surface the package needs: a pino logger fits as is (`logger.warn({ err }, 'message')`);
 * so does a child of the API's or worker's logger.
 */
export interface EventsLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** Structured JSON logs to stderr at `info` (TANDEM_LOG_LEVEL or LOG_LEVEL when set). */
export function defaultLogger(component: string): EventsLogger {
  const level = process.env.TANDEM_LOG_LEVEL ?? process.env.LOG_LEVEL ?? 'info';
  return pino({ name: `tandem-events:${component}`, level }, pino.destination(2));
}

export function errorText(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/**
 * Waits for `promise` at most `ms`. kafkajs' disconnect waits for in-flight requests, which on a
 * connection to a broker that went away may never settle: a client being replaced must not hang on it.
 */
export async function settleWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise.catch(() => undefined), new Promise((r) => (timer = setTimeout(r, ms)))]);
  clearTimeout(timer);
}

/** Error of an operation that did not finish within its deadline. */
export class DeadlineExceededError extends Error {
  constructor(what: string, ms: number) {
    super(`${what} did not finish within ${ms} ms`);
    this.name = 'DeadlineExceededError';
  }
}

/**
 * Rejects when `promise` has not settled within `ms`. kafkajs can leave a send or a connect pending for
 * a long time while a broker is away; callers give up, replace the client and retry the same events.
 */
export async function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new DeadlineExceededError(what, ms)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
