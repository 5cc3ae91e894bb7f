/**
 * The outbox relay's leadership and housekeeping: of two relays on one database only the holder of the
 * advisory lock publishes; when it stops, the standby takes over; cleanup deletes only published rows
 * older than the retention.
 */
import { waitFor } from '@tandem/testkit';
import type { Kafka } from 'kafkajs';
import { contactEvents, ensureTopics, OutboxRelay, OutboxWriter, type TandemTopics } from '../src';
import { migratedDatabase } from './support/db';
import { deleteTopics, testKafka, uniqueTopics } from './support/kafka';

describe('OutboxRelay leadership and cleanup', () => {
  let env: Awaited<ReturnType<typeof migratedDatabase>>;
  let kafka: Kafka;
  let topics: TandemTopics;
  const silent = { debug() {}, info() {}, warn() {}, error() {} };

  beforeAll(async () => {
    env = await migratedDatabase('events_relay');
    kafka = testKafka();
    topics = uniqueTopics('relay');
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, topics, { partitions: 1 });
    await admin.disconnect();
  });
  afterAll(async () => {
    await deleteTopics(kafka, topics);
    await env?.close();
  });

  const append = (n: number, tag: string) =>
    env.dataSource.transaction((m) =>
      new OutboxWriter({ topics }).append(
        m,
        Array.from({ length: n }, (_, i) => contactEvents.stepEntered({ contactId: `c-${tag}-${i}`, flowId: 'f', flowVersion: 1, nodeId: 'n' }, { nodeType: 'bot', visit: 1 })),
      ),
    );
  const unpublished = async () => (await env.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM "events"."outbox" WHERE published_at IS NULL`))[0]!.n;

  it('publishes from one relay at a time and fails over to the standby', async () => {
    const first = new OutboxRelay({ dataSource: env.dataSource, kafka, standbyRetryMs: 200, logger: silent });
    const second = new OutboxRelay({ dataSource: env.dataSource, kafka, standbyRetryMs: 200, logger: silent });
    await first.start();
    await waitFor(() => first.stats().leader, { what: 'the first relay to lead' });
    await second.start();
    await append(50, 'a');
    await waitFor(async () => (await unpublished()) === 0, { what: 'the leader to publish' });
    expect(first.stats().published).toBe(50);
    expect(second.stats()).toMatchObject({ leader: false, published: 0 });

    await first.stop();
    await waitFor(() => second.stats().leader, { what: 'the standby to take over' });
    await append(30, 'b');
    await waitFor(async () => (await unpublished()) === 0, { what: 'the new leader to publish' });
    expect(second.stats().published).toBe(30);
    await second.stop();
  });

  it('cleans up only published rows older than the retention', async () => {
    await append(5, 'c'); // nobody relays these: they stay unpublished
    await env.dataSource.query(`UPDATE "events"."outbox" SET published_at = now() - interval '8 days' WHERE position IN (SELECT position FROM "events"."outbox" WHERE published_at IS NOT NULL ORDER BY position LIMIT 20)`);
    const relay = new OutboxRelay({ dataSource: env.dataSource, kafka, logger: silent });
    expect(await relay.cleanup()).toBe(20); // default retention: 7 days
    expect(await relay.cleanup(0)).toBe(60); // everything published
    expect(await unpublished()).toBe(5);
  });
});
