import { newEventId } from './contracts/ids';
import { EventValidationError } from './contracts/parse';
import { errorText } from './logger';

/**
 * An event a producer could not make valid, kept instead of published: a bug to fix, never something
 * to retry. Retrying cannot help (the same input gives the same invalid event), and a producer that
 * retries — an activity with no attempt limit, a routing transaction — holds up the contact or the
 * loop behind it. Stored in `events.producer_dead_letters`, one row per (source, event id).
 */
export interface ProducerDeadLetter {
  /** The producer, as its CloudEvents `source`: `/tandem/api`, `/tandem/worker`. */
  source: string;
  /** The event type it tried to build, e.g. `tandem.workitem.offered.v1` (or the producer's own name for it). */
  eventType: string;
  /** The id the event would have had; with `source`, what makes recording idempotent. */
  eventId: string;
  /** The contact it was about, when known. */
  contactId: string | null;
  /** What was refused, as JSON: the candidate event, or the producer's record when not even that exists. */
  payload: unknown;
  /** Why: the validation error naming every bad field. */
  error: string;
}

/**
 * Where to write: a TypeORM DataSource (a statement of its own), or the EntityManager or QueryRunner
 * of a transaction — anything with TypeORM's `query(sql, parameters)`.
 */
export interface DeadLetterTarget {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/** Longest error text kept (a schema error naming many fields is still readable far below this). */
const MAX_ERROR_CHARS = 8_000;

/**
 * The dead letter of an event a builder or the parser refused. Type, id, contact and payload come from
 * the {@link EventValidationError} (which carries what a builder refused); `known` fills what it lacks
 * or overrides it — e.g. the worker passes its own event record when the error is of another kind.
 *
 * @example
 * try { out.push(contactEvents.workItemOffered(meta, data)); }
 * catch (e) { if (e instanceof EventValidationError) letters.push(producerDeadLetter('/tandem/api', e)); else throw e; }
 */
export function producerDeadLetter(source: string, error: unknown, known: Partial<Omit<ProducerDeadLetter, 'source' | 'error'>> = {}): ProducerDeadLetter {
  const refused = error instanceof EventValidationError ? error : undefined;
  const candidate = refused?.candidate;
  const subject = typeof candidate?.subject === 'string' ? candidate.subject : null;
  return {
    source,
    eventType: known.eventType ?? refused?.eventType ?? 'unknown',
    // An event without an id can still be kept; it just cannot be deduplicated.
    eventId: known.eventId ?? refused?.eventId ?? newEventId(),
    contactId: known.contactId ?? subject,
    payload: known.payload ?? candidate ?? null,
    error: (refused ? refused.message : errorText(error)).slice(0, MAX_ERROR_CHARS),
  };
}

/**
 * Records dead letters in `events.producer_dead_letters` and returns those that were new: a letter
 * already recorded for the same (source, event id) — an activity retried with the same events — is
 * skipped, so callers count and log only what this call added. Inside a transaction (pass its
 * EntityManager or QueryRunner), the letters commit or roll back with it.
 *
 * @example
 * // the worker's emitEvents activity: keep what cannot be valid, publish the rest, never throw for it
 * const fresh = await recordProducerDeadLetters(dataSource, letters);
 * for (const l of fresh) { deadLettered.inc({ source: l.source, type: l.eventType }); log.warn({ eventId: l.eventId, err: l.error }, 'dead-lettered an invalid event'); }
 */
export async function recordProducerDeadLetters(target: DeadLetterTarget, letters: readonly ProducerDeadLetter[]): Promise<ProducerDeadLetter[]> {
  if (letters.length === 0) return [];
  const inserted = (await target.query(
    `INSERT INTO "events"."producer_dead_letters" ("source", "event_type", "event_id", "contact_id", "payload", "error")
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
     ON CONFLICT ("source", "event_id") DO NOTHING
     RETURNING "source", "event_id"`,
    [
      letters.map((l) => l.source),
      letters.map((l) => l.eventType),
      letters.map((l) => l.eventId),
      letters.map((l) => l.contactId),
      letters.map((l) => jsonText(l.payload)),
      letters.map((l) => l.error),
    ],
  )) as { source: string; event_id: string }[];
  const fresh = new Set(inserted.map((r) => `${r.source}\u0000${r.event_id}`));
  // The first of two letters with one key in the same call is the one that was kept.
  return letters.filter((l) => fresh.delete(`${l.source}\u0000${l.eventId}`));
}

/** The payload as JSON text (kept as text, like the outbox: jsonb cannot hold a `\u0000` an invalid event may carry). */
function jsonText(payload: unknown): string {
  try {
    return JSON.stringify(payload ?? null) ?? 'null';
  } catch (e) {
    return JSON.stringify({ unserializable: errorText(e) });
  }
}
