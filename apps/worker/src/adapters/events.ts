/**
 * Contact events from the interpreter → CloudEvents on Kafka (packages/events). The workflow records
 * events with a deterministic id; this maps each onto its versioned contract and publishes the batch
 * with the idempotent producer. A publish that fails throws, so Temporal retries the activity with the
 * same events and consumers drop duplicates by id.
 */
import { contactEvents, deterministicEventId, feedbackEvents, type EventPublisher, type TandemEvent } from '@tandem/events';
import type { ContactEventRecord } from '../activities/contract';
import type { ContactEventSink } from '../activities/ports';

export const WORKER_EVENT_SOURCE = '/tandem/worker';

type Builder = (meta: Parameters<typeof contactEvents.started>[0], data: never) => TandemEvent;

const BUILDERS: Record<ContactEventRecord['type'], Builder> = {
  'contact.started': contactEvents.started,
  'step.entered': contactEvents.stepEntered,
  'step.exited': contactEvents.stepExited,
  'bot.turn': contactEvents.botTurn,
  'contact.escalated': contactEvents.escalated,
  'contact.ended': contactEvents.ended,
  'feedback.csat': feedbackEvents.csat,
};

/** Builds (and validates) the CloudEvent of a recorded contact event. */
export function toTandemEvent(record: ContactEventRecord): TandemEvent {
  const build = BUILDERS[record.type];
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
    },
    record.data as never,
  );
}

export class KafkaContactEventSink implements ContactEventSink {
  constructor(private readonly publisher: EventPublisher) {}

  async publish(records: ContactEventRecord[]): Promise<void> {
    await this.publisher.publish(records.map(toTandemEvent));
  }
}
