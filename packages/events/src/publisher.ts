import type { Kafka, Message, Producer, TopicMessages } from 'kafkajs';
import type { TandemEvent } from './contracts/events';
import { parseEvent } from './contracts/parse';
import { createEventProducer, defaultTopics, toKafkaMessage, topicOf, type TandemTopics } from './kafka';
import { defaultLogger, errorText, settleWithin, withDeadline, type EventsLogger } from './logger';

/** Most messages sent in one request when concurrent calls are combined. */
const MAX_MESSAGES_PER_REQUEST = 5000;

interface Pending {
  messages: { topic: string; message: Message }[];
  resolve(): void;
  reject(error: Error): void;
}

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
  private readonly queue: Pending[] = [];
  private flushing = false;

  constructor(private readonly options: EventPublisherOptions) {
    this.topics = options.topics ?? defaultTopics;
    this.logger = options.logger ?? defaultLogger('publisher');
  }

  /**
   * Validates and publishes the events, in order per contact; concurrent calls share requests.
   * @throws {EventValidationError} when an event does not match its schema (nothing is sent).
   * @throws {EventPublishError} when the broker did not acknowledge them; retry.
   */
  async publish(events: readonly TandemEvent[]): Promise<void> {
    if (events.length === 0) return;
    const messages = events.map((candidate) => {
      const event = parseEvent(candidate);
      return { topic: topicOf(event, this.topics), message: toKafkaMessage(event) };
    });
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ messages, resolve, reject });
      void this.flush();
    });
  }

  /**
   * Sends what concurrent callers queued, one request at a time: calls that arrive while a request is in
   * flight go out together in the next one (many activities publishing at once cost one round trip, not
   * one each), in call order, so each contact's events keep their order.
   */
  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const group: Pending[] = [];
        let size = 0;
        while (this.queue.length > 0 && (group.length === 0 || size + this.queue[0]!.messages.length <= MAX_MESSAGES_PER_REQUEST)) {
          const next = this.queue.shift()!;
          group.push(next);
          size += next.messages.length;
        }
        const byTopic = new Map<string, TopicMessages>();
        for (const { topic, message } of group.flatMap((p) => p.messages)) {
          let entry = byTopic.get(topic);
          if (!entry) byTopic.set(topic, (entry = { topic, messages: [] }));
          entry.messages.push(message);
        }
        try {
          const deadline = this.options.sendTimeoutMs ?? 15_000;
          const producer = await withDeadline(this.connected(), deadline, 'connecting to Kafka');
          await withDeadline(producer.sendBatch({ acks: -1, topicMessages: [...byTopic.values()] }), deadline, 'sending to Kafka');
          for (const p of group) p.resolve();
        } catch (e) {
          await this.reset();
          this.logger.warn({ err: errorText(e), events: size }, 'publishing events failed; the callers retry');
          for (const p of group) p.reject(new EventPublishError(`could not publish ${p.messages.length} event(s): ${errorText(e)}`, e));
        }
      }
    } finally {
      this.flushing = false;
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
