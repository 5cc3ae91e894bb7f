/**
 * A consumer whose group join takes longer than its stall timeout is not replaced while it joins.
 *
 * A join waits for the group's other members to rejoin (and, after a broker restart, for departed
 * members' sessions to expire). The watchdog used to count that wait as a stall and replace the
 * joining consumer again and again — each replacement one more member to wait for — so after a Kafka
 * outage a projection could stop for good (seen in `outage.test.ts` under load). Here a private broker
 * makes every new group wait 12 s before its first rebalance (`group.initial.rebalance.delay.ms`),
 * while the consumer's stall timeout is 3 s.
 */
import { waitFor, uniqueName } from '@tandem/testkit';
import type { Kafka } from 'kafkajs';
import { ensureTopics, EventPublisher, runConsumer, topicOf, type ProcessedBatch, type RunningConsumer } from '../src';
import { migratedDatabase } from './support/db';
import { testKafka, uniqueTopics } from './support/kafka';
import { PrivateKafka } from './support/private-kafka';
import { generateTraffic } from './support/traffic';

const JOIN_DELAY_MS = 12_000;
const STALL_MS = 3_000;

describe('a slow group join', () => {
  let broker: PrivateKafka;
  let env: Awaited<ReturnType<typeof migratedDatabase>>;
  let kafka: Kafka;
  const topics = uniqueTopics('join');
  let consumer: RunningConsumer | undefined;

  beforeAll(async () => {
    broker = await PrivateKafka.create({ TANDEM_KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: String(JOIN_DELAY_MS) });
    await broker.up();
    env = await migratedDatabase('events_join');
    kafka = testKafka(broker.brokers, 'tandem-events-join');
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, topics, { partitions: 2 });
    await admin.disconnect();
  }, 180_000);

  afterAll(async () => {
    await consumer?.stop();
    await env?.close();
    await broker?.destroy();
  }, 60_000);

  it('is waited for, not replaced every stall timeout, and then consumes', async () => {
    const [contact] = generateTraffic('join-flow', 1, 1, 7);
    const publisher = new EventPublisher({ kafka, topics });
    await publisher.publish(contact!.worker);
    await publisher.disconnect();

    const batches: ProcessedBatch[] = [];
    const started = Date.now();
    consumer = await runConsumer({
      kafka,
      dataSource: env.dataSource,
      groupId: uniqueName('join'),
      topics: [topics.contactEvents],
      stallTimeoutMs: STALL_MS,
      handle: async () => undefined,
      onBatchProcessed: (b) => batches.push(b),
    });
    const wanted = new Set(contact!.worker.filter((e) => topicOf(e, topics) === topics.contactEvents).map((e) => e.id));
    const consumed = () => batches.reduce((n, b) => n + b.events.filter((e) => wanted.has(e.id)).length, 0);
    await waitFor(() => consumed() === wanted.size, { timeoutMs: 90_000, intervalMs: 200, what: `the events consumed (restarts so far: ${consumer.restarts()})` });
    // The join really was slow (the broker held it), and the consumer was never replaced meanwhile.
    expect(Date.now() - started).toBeGreaterThan(JOIN_DELAY_MS - 1_000);
    expect(consumer.restarts()).toBe(0);
  }, 120_000);
});
