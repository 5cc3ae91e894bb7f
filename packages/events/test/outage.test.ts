/**
 * No loss across a broker outage, on a private Kafka broker this test stops and restarts (the shared
 * broker is never touched). Contacts keep running throughout: the API keeps writing events through the
 * outbox (its transactions never depend on Kafka) and the worker keeps publishing with retries (as
 * Temporal retries a failed activity, with the same deterministic ids). After the restart every event
 * reaches the projections exactly once, and the projections equal a recount from the database.
 */
import { uniqueName, waitFor } from '@tandem/testkit';
import net from 'node:net';
import type { Kafka } from 'kafkajs';
import {
  ensureTopics,
  EventPublisher,
  OutboxRelay,
  OutboxWriter,
  runProjectionConsumer,
  type ProcessedBatch,
  type RunningConsumer,
} from '../src';
import { migratedDatabase } from './support/db';
import { testKafka, uniqueTopics } from './support/kafka';
import { PrivateKafka } from './support/private-kafka';
import { projectedSnapshot, recountFromDatabase } from './support/recount';
import { generateTraffic, type ContactTraffic } from './support/traffic';

const FLOW = 'outage-flow';
const VERSION = 1;
const CONTACTS_PER_PHASE = 60;
/** Everything stored: the outbox (API) and the record of what the worker emitted. */
const STORED = `SELECT payload FROM "events"."outbox" UNION ALL SELECT payload FROM public.worker_emitted`;

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

describe('a Kafka outage while contacts are running', () => {
  let broker: PrivateKafka;
  let env: Awaited<ReturnType<typeof migratedDatabase>>;
  let kafka: Kafka;
  let relay: OutboxRelay;
  let consumer: RunningConsumer;
  let publisher: EventPublisher;
  const topics = uniqueTopics('outage');
  const batches: ProcessedBatch[] = [];
  let publishFailures = 0;
  let finished = false;

  beforeAll(async () => {
    broker = await PrivateKafka.create();
    await broker.up();
    env = await migratedDatabase('events_outage');
    await env.dataSource.query(`CREATE TABLE public.worker_emitted (event_id text PRIMARY KEY, payload text NOT NULL)`);
    kafka = testKafka(broker.brokers, 'tandem-events-outage');
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, topics, { partitions: 3 });
    await admin.disconnect();
    relay = new OutboxRelay({ dataSource: env.dataSource, kafka, backoff: { initialMs: 200, maxMs: 2_000 }, pollIntervalMs: 500, sendTimeoutMs: 5_000 });
    await relay.start();
    consumer = await runProjectionConsumer({ kafka, dataSource: env.dataSource, topics, groupId: uniqueName('projections'), stallTimeoutMs: 10_000, onBatchProcessed: (b) => batches.push(b) });
    publisher = new EventPublisher({ kafka, topics, sendTimeoutMs: 5_000 });
  }, 180_000);

  afterAll(async () => {
    finished = true; // ends a worker lane still retrying if the test failed midway
    await workerLane.catch(() => undefined);
    await consumer?.stop().catch(() => undefined);
    await relay?.stop();
    await publisher?.disconnect();
    await env?.close();
    await broker?.destroy();
  }, 120_000);

  /** The API: one transaction per contact; never waits on Kafka. */
  const writeApiEvents = (contact: ContactTraffic) => env.dataSource.transaction((m) => new OutboxWriter({ topics }).append(m, contact.api));

  /** The worker: record what it emits, then publish, retrying like a Temporal activity until it succeeds. */
  let workerLane: Promise<void> = Promise.resolve();
  const publishWorkerEvents = (contact: ContactTraffic) => {
    workerLane = workerLane.then(async () => {
      await env.dataSource.query(`INSERT INTO public.worker_emitted SELECT * FROM unnest($1::text[], $2::text[])`, [
        contact.worker.map((e) => e.id),
        contact.worker.map((e) => JSON.stringify(e)),
      ]);
      for (let delay = 100; !finished; delay = Math.min(delay * 2, 2_000)) {
        try {
          await publisher.publish(contact.worker);
          return;
        } catch {
          publishFailures++;
          await new Promise((r) => setTimeout(r, delay)); // the activity's retry backoff
        }
      }
    });
  };

  it('delivers every event exactly once to the projections, equal to a recount from the database', async () => {
    const traffic = generateTraffic(FLOW, VERSION, CONTACTS_PER_PHASE * 3, 42);
    const phase = (n: number) => traffic.slice(n * CONTACTS_PER_PHASE, (n + 1) * CONTACTS_PER_PHASE);
    const run = async (contacts: ContactTraffic[]) => {
      for (const c of contacts) {
        await writeApiEvents(c);
        publishWorkerEvents(c);
      }
    };

    // 1. Broker up: contacts run normally.
    await run(phase(0));
    await waitFor(() => batches.length > 0, { timeoutMs: 60_000, what: 'the projections to start receiving events' });

    // 2. The broker goes away while contacts keep running: the API keeps committing, the worker keeps retrying.
    const stopping = broker.down();
    await run(phase(1).slice(0, CONTACTS_PER_PHASE / 2));
    await stopping;
    expect(await portOpen(broker.port)).toBe(false);
    await run(phase(1).slice(CONTACTS_PER_PHASE / 2));
    const [{ waiting }] = await env.dataSource.query(`SELECT count(*)::int AS waiting FROM "events"."outbox" WHERE published_at IS NULL`);
    expect(waiting).toBeGreaterThan(0);
    await waitFor(() => publishFailures > 0 && relay.stats().failures > 0, { timeoutMs: 60_000, what: 'publishing to fail while the broker is down' });
    const processedDuringOutage = batches.reduce((n, b) => n + b.events.length, 0);

    // 3. The broker comes back; contacts go on.
    await broker.up();
    await run(phase(2));
    await workerLane;

    const unique = new Set(traffic.flatMap((c) => [...c.worker, ...c.api]).map((e) => e.id));
    const processed = () => batches.reduce((n, b) => n + b.events.length, 0);
    await waitFor(() => processed() >= unique.size, { timeoutMs: 120_000, intervalMs: 200, what: `all ${unique.size} events projected (now ${processed()}; relay ${JSON.stringify(relay.stats())})` });
    // Nothing lost, nothing counted twice.
    const projectedIds = batches.flatMap((b) => b.events.map((e) => e.id));
    expect(projectedIds.length).toBe(unique.size);
    expect(new Set(projectedIds)).toEqual(unique);
    const [{ unpublished }] = await env.dataSource.query(`SELECT count(*)::int AS unpublished FROM "events"."outbox" WHERE published_at IS NULL`);
    expect(unpublished).toBe(0);
    expect(processedDuringOutage).toBeLessThan(unique.size);

    const projected = await projectedSnapshot(env.dataSource, FLOW, VERSION);
    expect(projected).toEqual(await recountFromDatabase(env.dataSource, STORED, FLOW, VERSION));
    expect(projected.version.started).toBe(traffic.length);
    process.stdout.write(
      `outage: ${unique.size} events, ${publishFailures} failed worker publishes, ${relay.stats().failures} relay failures, ` +
        `${batches.reduce((n, b) => n + b.duplicates, 0)} duplicates dropped\n`,
    );
  }, 300_000);
});
