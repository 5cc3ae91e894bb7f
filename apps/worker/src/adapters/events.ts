/**
 * Contact events from the workflow → CloudEvents on Kafka (packages/events). The workflow records
 * events with a deterministic id; this builds each one through its versioned contract and publishes the
 * batch with the idempotent producer. A publish that fails throws, so Temporal retries the activity with
 * the same events and consumers drop duplicates by id. An event its contract refuses cannot become valid
 * by retrying: it is dead-lettered (kept with the error, counted, logged) and the rest go out.
 */
import {
  contactEvents,
  deterministicEventId,
  EventValidationError,
  feedbackEvents,
  producerDeadLetter,
  recordProducerDeadLetters,
  type ContactEventMeta,
  type DeadLetterTarget,
  type EventPublisher,
  type TandemEvent,
} from '@tandem/events';
import type { ContactEventData, ContactEventRecord, ContactEventType } from '../activities/contract';
import type { ContactEventSink } from '../activities/ports';
import type { WorkerMetrics } from '../http';
import type { Logger } from '../logger';

export const WORKER_EVENT_SOURCE = '/tandem/worker';

/** The builder of each event type; its data parameter must accept what the workflow records (checked at compile time). */
const BUILDERS: { [T in ContactEventType]: (meta: ContactEventMeta, data: ContactEventData[T]) => TandemEvent } = {
  'contact.started': contactEvents.started,
  'step.entered': contactEvents.stepEntered,
  'step.exited': contactEvents.stepExited,
  'bot.turn': contactEvents.botTurn,
  'contact.escalated': contactEvents.escalated,
  'contact.ended': contactEvents.ended,
  'feedback.csat': feedbackEvents.csat,
};

/** Builds (and validates) the CloudEvent of a recorded contact event; throws when its contract refuses it. */
export function toTandemEvent(record: ContactEventRecord): TandemEvent {
  const build = BUILDERS[record.type] as ((meta: ContactEventMeta, data: unknown) => TandemEvent) | undefined;
  if (!build) throw new Error(`unknown contact event type "${record.type}"`);
  return build(
    {
      id: deterministicEventId(record.workflowId, record.sequence),
      time: record.time,
      source: WORKER_EVENT_SOURCE,
      contactId: record.contactId,
      flowId: record.flowId,
      flowVersion: record.flowVersion,
      nodeId: record.nodeId,
      ...(record.simulation ? { simulation: true } : {}),
    },
    record.data,
  );
}

/** An event its contract refused, with why. */
export interface RefusedEvent {
  record: ContactEventRecord;
  error: unknown;
}

/** Splits records into the events that pass their contract and the refused ones. */
export function buildEvents(records: ContactEventRecord[]): { events: TandemEvent[]; refused: RefusedEvent[] } {
  const events: TandemEvent[] = [];
  const refused: RefusedEvent[] = [];
  for (const record of records) {
    try {
      events.push(toTandemEvent(record));
    } catch (error) {
      refused.push({ record, error });
    }
  }
  return { events, refused };
}

export class KafkaContactEventSink implements ContactEventSink {
  constructor(
    private readonly publisher: EventPublisher,
    /** `deadLetters`: the Tandem database (`events.producer_dead_letters`). */
    private readonly options: { deadLetters: DeadLetterTarget; metrics: WorkerMetrics; logger: Logger },
  ) {}

  async publish(records: ContactEventRecord[]): Promise<{ published: number; deadLettered: number }> {
    const { events, refused } = buildEvents(records);
    if (refused.length) {
      const letters = refused.map(({ record, error }) =>
        producerDeadLetter(WORKER_EVENT_SOURCE, error, {
          eventId: deterministicEventId(record.workflowId, record.sequence),
          contactId: record.contactId,
          ...(error instanceof EventValidationError ? {} : { eventType: record.type, payload: record }),
        }),
      );
      // Only the letters this call added are counted and logged: a retried activity brings the same ones.
      for (const letter of await recordProducerDeadLetters(this.options.deadLetters, letters)) {
        this.options.metrics.deadLetteredEvents.inc({ source: letter.source, type: letter.eventType });
        this.options.logger.warn({ eventId: letter.eventId, type: letter.eventType, contactId: letter.contactId, err: letter.error }, 'contact event dead-lettered: its contract refuses it (a bug to fix); the others are published');
      }
    }
    if (events.length) {
      await this.publisher.publish(events);
      for (const event of events) this.options.metrics.publishedEvents.inc({ type: event.type });
    }
    return { published: events.length, deadLettered: refused.length };
  }
}
