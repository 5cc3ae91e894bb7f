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
