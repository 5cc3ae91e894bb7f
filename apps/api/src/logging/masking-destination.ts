import { maskPaymentCards } from '@tandem/contracts';
import type { DestinationStream } from 'pino';

/** A JSON string literal (what a log line's texts are: messages, URLs, errors, stacks). */
const JSON_STRING = /"(?:[^"\\]|\\.)*"/g;

/**
 * A log line (pino's JSON) with payment card numbers masked inside its strings — the message, the
 * request URL, an error and its stack, any field — so no card number is written to a log in clear
 * (PCI DSS: logs are storage). Numbers outside strings (`time`, durations) are left alone: a 13-digit
 * epoch time can pass the Luhn check.
 */
export function maskCardsInLogLine(line: string): string {
  return line.replace(JSON_STRING, (literal) => maskPaymentCards(literal).text);
}

/** Wraps a pino destination so every line it writes goes through {@link maskCardsInLogLine}. */
export function maskingDestination(inner: DestinationStream & { flush?: (cb?: (err?: Error) => void) => void }): DestinationStream {
  const flush = inner.flush?.bind(inner);
  return { write: (line: string) => inner.write(maskCardsInLogLine(line)), ...(flush ? { flush } : {}) };
}
