/**
 * The API's path end to end on the real stack: events written in the caller's transaction, relayed by
 * the outbox relay with the idempotent producer, consumed by the projection consumer, and served by
 * ProjectionQueries — equal to an independent SQL recount of the outbox.
 */
import { uniqueName, waitFor } from '@tandem/testkit';
import type { Kafka } from 'kafkajs';
import {
  contactEvents,
  ensureTopics,
  EventPublisher,
  EventValidationError,
  OutboxRelay,
  OutboxWriter,
  runProjectionConsumer,
  type ProcessedBatch,
  type RunningConsumer,
  type TandemEvent,
  type TandemTopics,
} from '../src';
import { migratedDatabase } from './support/db';
import { deleteTopics, testKafka, uniqueTopics } from './support/kafka';
import { projectedSnapshot, recountFromDatabase } from './support/recount';
import { generateTraffic } from './support/traffic';

const FLOW = 'billing-support';
const VERSION = 3;
const OUTBOX = `SELECT payload FROM "events"."outbox"`;

describe('outbox → relay → Kafka → projections', () => {
  let env: Awaited<ReturnType<typeof migratedDatabase>>;
  let kafka: Kafka;
  let topics: TandemTopics;
  let relay: OutboxRelay;
  let consumer: RunningConsumer;
  const writer = () => new OutboxWriter({ topics });
  const batches: ProcessedBatch[] = [];
  const processed = () => batches.reduce((n, b) => n + b.events.length, 0);
  const duplicates = () => batches.reduce((n, b) => n + b.duplicates, 0);
  const deadLettered = () => batches.reduce((n, b) => n + b.deadLettered, 0);

  beforeAll(async () => {
    env = await migratedDatabase('events_pipeline');
    kafka = testKafka();
    topics = uniqueTopics('pipeline');
    const admin = kafka.admin();
    await admin.connect();
    expect((await ensureTopics(admin, topics, { partitions: 3 })).created).toHaveLength(3);
    // Idempotent: a second call creates nothing and reports no mismatch.
    expect(await ensureTopics(admin, topics, { partitions: 3 })).toEqual({ created: [], mismatched: [] });
    await admin.disconnect();
    relay = new OutboxRelay({ dataSource: env.dataSource, kafka, pollIntervalMs: 500 });
    await relay.start();
    consumer = await runProjectionConsumer({ kafka, dataSource: env.dataSource, topics, groupId: uniqueName('projections'), onBatchProcessed: (b) => batches.push(b) });
  });

  afterAll(async () => {
    await consumer?.stop();
    await relay?.stop();
    await deleteTopics(kafka, topics);
    await env?.close();
  });

  it('refuses to append outside a transaction, and a rolled-back transaction leaves no event', async () => {
    const event = contactEvents.stepEntered({ contactId: 'c-rollback', flowId: FLOW, flowVersion: VERSION, nodeId: 'bot-1' }, { nodeType: 'bot', visit: 1 });
    await expect(writer().append(env.dataSource.manager, [event])).rejects.toThrow(/inside the transaction/);
    await expect(
      env.dataSource.transaction(async (manager) => {
        await writer().append(manager, [event]);
        throw new Error('the state change failed');
      }),
    ).rejects.toThrow('the state change failed');
    const [{ n }] = await env.dataSource.query(`SELECT count(*)::int AS n FROM "events"."outbox"`);
    expect(n).toBe(0);
  });

  it('rejects an invalid event inside the transaction, naming the field', async () => {
    const event = contactEvents.stepEntered({ contactId: 'c-bad', flowId: FLOW, flowVersion: VERSION, nodeId: 'bot-1' }, { nodeType: 'bot', visit: 1 });
    const broken = { ...event, flowversion: 0 } as typeof event;
    const attempt = env.dataSource.transaction((manager) => writer().append(manager, [broken]));
    await expect(attempt).rejects.toThrow(EventValidationError);
    await expect(env.dataSource.transaction((manager) => writer().append(manager, [broken]))).rejects.toThrow(/flowversion: flowversion 0 is a draft/);
  });

  it('relays every committed event and projects it exactly once: projections equal a SQL recount of the outbox', async () => {
    // Real traffic, and simulations beside it: designers' test chats of the draft (version 0) and
    // simulated runs of the same version. Every event is relayed and consumed; only real ones count.
    const simulate = (e: TandemEvent) => ({ ...e, simulation: true }) as TandemEvent;
    const traffic = [
      ...generateTraffic(FLOW, VERSION, 150, 7),
      ...generateTraffic(FLOW, 0, 10, 8),
      ...generateTraffic(FLOW, VERSION, 10, 9).map((c) => ({ ...c, worker: c.worker.map(simulate), api: c.api.map(simulate) })),
    ];
    const all = traffic.flatMap((c) => [...c.worker, ...c.api]);
    expect(all.filter((e) => e.type !== 'tandem.contact.requested.v1' && e.simulation).length).toBeGreaterThan(100);
    // One transaction per contact, as the API would write them; a retried request appends the same ids again.
    for (const contact of traffic) await env.dataSource.transaction((m) => writer().append(m, [...contact.worker, ...contact.api]));
    await env.dataSource.transaction((m) => writer().append(m, traffic[0]!.worker));
    const [{ n }] = await env.dataSource.query(`SELECT count(*)::int AS n FROM "events"."outbox"`);
    expect(n).toBe(all.length);

    await waitFor(() => processed() === all.length, { timeoutMs: 60_000, what: `${all.length} events projected (now ${processed()})` });
    const [{ unpublished }] = await env.dataSource.query(`SELECT count(*)::int AS unpublished FROM "events"."outbox" WHERE published_at IS NULL`);
    expect(unpublished).toBe(0);
    expect(relay.stats()).toMatchObject({ leader: true, published: all.length });

    const projected = await projectedSnapshot(env.dataSource, FLOW, VERSION);
    expect(projected).toEqual(await recountFromDatabase(env.dataSource, OUTBOX, FLOW, VERSION));
    expect(projected.version.started).toBe(150);
    expect(Object.keys(projected.nodes).sort()).toEqual(expect.arrayContaining(['bot-1', 'esc-1', 'start']));
    const [{ draftCounters }] = await env.dataSource.query(`SELECT count(*)::int AS "draftCounters" FROM "events"."projection_counters" WHERE flow_version = 0`);
    expect(draftCounters).toBe(0);
  }, 120_000);

  it('drops redeliveries: the same events published again change no number', async () => {
    const before = await projectedSnapshot(env.dataSource, FLOW, VERSION);
    const rows: { payload: string }[] = await env.dataSource.query(`SELECT payload FROM "events"."outbox" ORDER BY position LIMIT 300`);
    const again = rows.map((r) => JSON.parse(r.payload));
    const publisher = new EventPublisher({ kafka, topics });
    const dupBefore = duplicates();
    await publisher.publish(again);
    await publisher.disconnect();
    await waitFor(() => duplicates() - dupBefore === again.length, { timeoutMs: 30_000, what: 'the republished events to be recognised as duplicates' });
    expect(await projectedSnapshot(env.dataSource, FLOW, VERSION)).toEqual(before);
  });

  it('dead-letters messages that are not valid events and keeps consuming', async () => {
    const producer = kafka.producer();
    await producer.connect();
    const valid = contactEvents.stepEntered({ contactId: 'c-after-poison', flowId: FLOW, flowVersion: VERSION, nodeId: 'bot-2' }, { nodeType: 'bot', visit: 1 });
    const unknownType = { ...valid, id: 'unknown-type-1', type: 'tandem.step.teleported.v1' };
    const badData = { ...valid, id: 'bad-data-1', data: { nodeType: 'bot', visit: 'first' } };
    await producer.send({
      topic: topics.contactEvents,
      messages: [
        { key: 'c-after-poison', value: 'this is not json' },
        { key: 'c-after-poison', value: JSON.stringify(unknownType) },
        { key: 'c-after-poison', value: JSON.stringify(badData) },
        { key: 'c-after-poison', value: JSON.stringify(valid) },
      ],
    });
    await producer.disconnect();
    await waitFor(() => batches.some((b) => b.events.some((e) => e.id === valid.id)), { timeoutMs: 30_000, what: 'the valid event after the poison messages' });
    expect(deadLettered()).toBe(3);
    const letters: { error: string; payload: string }[] = await env.dataSource.query(`SELECT error, payload FROM "events"."dead_letters" ORDER BY "offset"`);
    expect(letters.map((l) => l.error)).toEqual([
      expect.stringContaining('not JSON'),
      expect.stringContaining('unknown event type "tandem.step.teleported.v1"'),
      expect.stringContaining('data.visit'),
    ]);
    expect(letters[0]!.payload).toBe('this is not json');
    expect((await projectedSnapshot(env.dataSource, FLOW, VERSION)).nodes['bot-2']?.entered).toBe(1);
  });
});
