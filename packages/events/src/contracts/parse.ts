import type { z } from 'zod';
import { cloudEventSchema } from './envelope';
import { eventTypeDefinition, eventTypes, type TandemEvent } from './events';

/** One thing wrong with an event: where (`data.port`, `flowversion`) and what. */
export interface EventIssue {
  path: string;
  message: string;
}

/**
 * An event that is not JSON, not a CloudEvent, of a type Tandem does not know, or whose data does not
 * match its type's schema. The message names every bad field.
 */
export class EventValidationError extends Error {
  constructor(
    readonly issues: EventIssue[],
    readonly eventType?: string,
    readonly eventId?: string,
    /** What was refused, when a builder refused it: what a producer keeps as a dead letter. */
    readonly candidate?: Record<string, unknown>,
  ) {
    const what = `${eventType ? `${eventType} event` : 'event'}${eventId ? ` ${eventId}` : ''}`;
    super(`invalid ${what}: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}`);
    this.name = 'EventValidationError';
  }
}

export function issuesOf(error: z.ZodError, prefix: (string | number)[] = []): EventIssue[] {
  return error.issues.map((i) => ({ path: [...prefix, ...i.path].map(String).join('.'), message: i.message }));
}

const text = (v: unknown) => (typeof v === 'string' ? v : undefined);

/**
 * Validates an incoming event — a parsed object, or the raw JSON of a Kafka message value — against
 * the CloudEvents envelope and its type's schema, and returns it typed.
 *
 * @throws {EventValidationError} naming the fields that are wrong, or the unknown type.
 * @example
 * const event = parseEvent(message.value);
 * if (event.type === 'tandem.step.exited.v1') count(event.nodeid, event.data.port);
 */
export function parseEvent(input: unknown): TandemEvent {
  let value = input;
  if (typeof input === 'string' || Buffer.isBuffer(input)) {
    try {
      value = JSON.parse(input.toString());
    } catch (e) {
      throw new EventValidationError([{ path: '', message: `not JSON (${(e as Error).message})` }]);
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new EventValidationError([{ path: '', message: 'expected a JSON object (a CloudEvent)' }]);
  }
  const raw = value as Record<string, unknown>;
  const envelope = cloudEventSchema.safeParse(raw);
  if (!envelope.success) throw new EventValidationError(issuesOf(envelope.error), text(raw.type), text(raw.id));
  const definition = eventTypeDefinition(envelope.data.type);
  if (!definition) {
    throw new EventValidationError(
      [{ path: 'type', message: `unknown event type "${envelope.data.type}" (known: ${eventTypes.map((d) => d.type).join(', ')})` }],
      envelope.data.type,
      envelope.data.id,
    );
  }
  const parsed = definition.schema.safeParse(raw);
  if (!parsed.success) throw new EventValidationError(issuesOf(parsed.error), definition.type, envelope.data.id);
  return parsed.data as TandemEvent;
}
