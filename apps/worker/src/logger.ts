import pino, { type Logger } from 'pino';

/** Structured JSON logs (pino); `TANDEM_LOG_LEVEL` sets the level. */
export function createLogger(level: string, name = 'tandem-worker'): Logger {
  return pino({ name, level, base: { service: name }, timestamp: pino.stdTimeFunctions.isoTime });
}

export type { Logger };
