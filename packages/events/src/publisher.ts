import type { Kafka, Producer, TopicMessages } from 'kafkajs';
import type { TandemEvent } from './contracts/events';
import { parseEvent } from './contracts/parse';
import { createEventProducer, defaultTopics, toKafkaMessage, topicOf, type TandemTopics } from './kafka';
import { defaultLogger, errorText, settleWithin, withDeadline, type EventsLogger } from './logger';

/** Publishing failed (broker unreachable, timeout): retry with the same events — ids make it safe. */
export class EventPublishError extends Error {
  constructor(
    message: string,
    override readonly cause: unknown,
  ) {
    super(message);
    this.name = 'EventPublishError';
  }
}

export interface EventPublisherOptions {
  kafka: Kafka;
  topics?: TandemTopics;
  /** Longest wait for the broker's acknowledgement before `publish` fails and the caller retries (default 15 s). */
  sendTimeoutMs?: number;
  logger?: EventsLogger;
}

/**
 * The worker's way to publish: from an activity, a batch at a time, with the idempotent producer. The
 * worker gives every event a deterministic id ({@link deterministicEventId}); when `publish` throws,
 * the activity fails and Temporal retries it with the same events, and consumers drop what had already
 * arrived. Resolves only once the broker has acknowledged every event (acks from all in-sync replicas).
 *
 * @example
 * const publisher = new EventPublisher({ kafka });
 * const activities = { publishEvents: (events: TandemEvent[]) => publisher.publish(events) };
 */
export class EventPublisher {
  private readonly topics: TandemTopics;
  private readonly logger: EventsLogger;
  private producer?: Promise<Producer>;

  constructor(private readonly options: EventPublisherOptions) {
    this.topics = options.topics ?? defaultTopics;
    this.logger = options.logger ?? defaultLogger('publisher');
  }

  /**
   * Validates and publishes the events, in order per contact.
   * @throws {EventValidationError} when an event does not match its schema (nothing is sent).
   * @throws {EventPublishError} when the broker did not acknowledge them; retry.
   */
  async publish(events: readonly TandemEvent[]): Promise<void> {
    if (events.length === 0) return;
    const byTopic = new Map<string, TopicMessages>();
    for (const candidate of events) {
      const event = parseEvent(candidate);
      const topic = topicOf(event, this.topics);
      let entry = byTopic.get(topic);
      if (!entry) byTopic.set(topic, (entry = { topic, messages: [] }));
      entry.messages.push(toKafkaMessage(event));
    }
    try {
      const deadline = this.options.sendTimeoutMs ?? 15_000;
      const producer = await withDeadline(this.connected(), deadline, 'connecting to Kafka');
      await withDeadline(producer.sendBatch({ acks: -1, topicMessages: [...byTopic.values()] }), deadline, 'sending to Kafka');
    } catch (e) {
      await this.reset();
      this.logger.warn({ err: errorText(e), events: events.length }, 'publishing events failed; the caller retries');
      throw new EventPublishError(`could not publish ${events.length} event(s): ${errorText(e)}`, e);
    }
  }

  /** Disconnects the producer; a later `publish` connects again. */
  async disconnect(): Promise<void> {
    await this.reset();
  }

  private connected(): Promise<Producer> {
    if (!this.producer) {
      const producer = createEventProducer(this.options.kafka);
      this.producer = producer.connect().then(
        () => producer,
        (e: unknown) => {
          this.producer = undefined;
          throw e;
        },
      );
    }
    return this.producer;
  }

  /** A failed send replaces the producer, so the retry starts from a clean idempotent session. */
  private async reset(): Promise<void> {
    const pending = this.producer;
    this.producer = undefined;
    if (pending) await settleWithin(pending.then((p) => p.disconnect()), 5_000);
  }
}
