import { Partitioners, type Admin, type IHeaders, type ITopicConfig, type Kafka, type Message, type Producer, type ProducerConfig } from 'kafkajs';
import { CLOUDEVENTS_CONTENT_TYPE } from './contracts/envelope';
import { eventTypeDefinition, type TandemEvent, type TopicRole } from './contracts/events';

/**
 * The names of Tandem's three topics. Production uses {@link defaultTopics}; tests and tenants that
 * share a cluster use their own names.
 */
export interface TandemTopics {
  /** What happened in every contact. */
  contactEvents: string;
  /** What agents and customers said about it (reason tags, CSAT). */
  feedbackEvents: string;
  /** Contacts other systems hand to Tandem. */
  contactsInbound: string;
}

export const defaultTopics: TandemTopics = Object.freeze({
  contactEvents: 'tandem.contact-events',
  feedbackEvents: 'tandem.feedback-events',
  contactsInbound: 'tandem.contacts-inbound',
});

/** Tandem's topics with `prefix` in front of each name (`''`: the production names). */
export function prefixedTopics(prefix: string): TandemTopics {
  return {
    contactEvents: `${prefix}${defaultTopics.contactEvents}`,
    feedbackEvents: `${prefix}${defaultTopics.feedbackEvents}`,
    contactsInbound: `${prefix}${defaultTopics.contactsInbound}`,
  };
}

/** The topic an event is published on. */
export function topicOf(event: TandemEvent, topics: TandemTopics = defaultTopics): string {
  const definition = eventTypeDefinition(event.type);
  if (!definition) throw new Error(`unknown event type "${event.type}"`);
  return topics[definition.topic satisfies TopicRole];
}

/**
 * The Kafka message of an event, in CloudEvents' structured content mode: the key is the subject (the
 * contact id), so one contact's events stay on one partition, in order.
 */
export function toKafkaMessage(event: TandemEvent): Message & { key: string; value: string; headers: IHeaders } {
  return { key: event.subject, value: JSON.stringify(event), headers: { 'content-type': CLOUDEVENTS_CONTENT_TYPE } };
}

/**
 * The producer settings every Tandem event producer uses: idempotent (the broker drops a retried
 * duplicate and keeps order), one request in flight per broker (order survives retries), acks from all
 * in-sync replicas (set on each send), no topic auto-creation (topics come from {@link ensureTopics}).
 */
export function createEventProducer(kafka: Kafka, overrides: Partial<ProducerConfig> = {}): Producer {
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    // Explicit: the Java client's murmur2 partitioning (kafkajs 2's default), so keys land where other clients put them.
    createPartitioner: Partitioners.DefaultPartitioner,
    retry: { retries: 5, initialRetryTime: 200, maxRetryTime: 5_000 },
    ...overrides,
  });
}

export interface EnsureTopicsOptions {
  /** Partitions of each topic; the unit of consumer parallelism (default 6). */
  partitions?: number;
  /** Replicas of each partition; -1 takes the broker's default (default -1). */
  replicationFactor?: number;
  /** Topic configs, e.g. `retention.ms` (defaults: 7 days of retention, delete cleanup). */
  configEntries?: ITopicConfig['configEntries'];
}

/**
 * Creates whichever of Tandem's topics do not exist yet, with explicit partitions. Idempotent and safe
 * to run from several processes at once; never changes an existing topic (it reports a partition count
 * that differs from the requested one, since repartitioning would break per-contact ordering).
 *
 * @returns the topics it created, and existing topics whose partition count differs.
 */
export async function ensureTopics(
  admin: Admin,
  topics: TandemTopics = defaultTopics,
  options: EnsureTopicsOptions = {},
): Promise<{ created: string[]; mismatched: { topic: string; partitions: number }[] }> {
  const { partitions = 6, replicationFactor = -1 } = options;
  const configEntries = options.configEntries ?? [
    { name: 'cleanup.policy', value: 'delete' },
    { name: 'retention.ms', value: String(7 * 24 * 3600 * 1000) },
  ];
  const wanted = [...new Set([topics.contactEvents, topics.feedbackEvents, topics.contactsInbound])];
  const existing = new Set(await admin.listTopics());
  const missing = wanted.filter((t) => !existing.has(t));
  const created: string[] = [];
  if (missing.length) {
    try {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({ topic, numPartitions: partitions, replicationFactor, configEntries })),
      });
      created.push(...missing);
    } catch (e) {
      // Another process created some of them between listTopics and createTopics: that is success.
      if ((e as { type?: string }).type !== 'TOPIC_ALREADY_EXISTS') throw e;
    }
  }
  const metadata = await admin.fetchTopicMetadata({ topics: wanted });
  const mismatched = metadata.topics
    .filter((t) => t.partitions.length !== partitions)
    .map((t) => ({ topic: t.name, partitions: t.partitions.length }));
  return { created, mismatched };
}
