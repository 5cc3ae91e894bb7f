/**
 * Benchmark (prints numbers; not a test):
 *
 * 1. Outbox relay throughput: a backlog of events in the outbox, relayed to Kafka by OutboxRelay
 *    (events/s; goal ≥ 10,000), against a baseline measured in the same run — the same messages sent
 *    by a bare idempotent kafkajs producer with no database — so the ratio shows what the outbox costs.
 * 2. End-to-end projection lag under load: contacts run at a steady rate, the API's events through the
 *    outbox and the worker's through EventPublisher; lag = projection commit − event creation, p50/p99
 *    (goal p99 ≤ 1 s).
 *
 * Runs against the local stack (npm run stack -- up). Environment: BENCH_BACKLOG (events, default
 * 100000), BENCH_RATE (events/s offered in part 2, default 3000), BENCH_SECONDS (default 20).
 */
import { loadConfig } from '@tandem/config';
import { createTestDatabase, uniqueName } from '@tandem/testkit';
import os from 'node:os';
import { DataSource } from 'typeorm';
import {
  createEventProducer,
  ensureTopics,
  EventPublisher,
  eventsEntities,
  eventsMigrations,
  OutboxRelay,
  OutboxWriter,
  runProjectionConsumer,
  toKafkaMessage,
  topicOf,
  type TandemEvent,
} from '../src';
import { deleteTopics, testKafka, uniqueTopics } from '../test/support/kafka';
import { generateContact, generateTraffic, prng } from '../test/support/traffic';

const BACKLOG = Number(process.env.BENCH_BACKLOG ?? 100_000);
const RATE = Number(process.env.BENCH_RATE ?? 3_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const silent = { debug() {}, info() {}, warn() {}, error() {} };

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;
}
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function main() {
  const config = loadConfig();
  const db = await createTestDatabase('events_bench');
  const dataSource = new DataSource({ type: 'postgres', url: db.url, entities: eventsEntities, migrations: eventsMigrations, extra: { max: 12 } });
  await dataSource.initialize();
  await dataSource.runMigrations();
  const kafka = testKafka(config.kafka.brokers, 'tandem-events-bench');
  const topics = uniqueTopics('bench');
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, topics, { partitions: 6 });
  await admin.disconnect();
  const load = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  console.log(`events bench — ${new Date().toISOString()} — ${os.cpus().length} cores, load average ${load}`);

  try {
    // ---- 1. Relay throughput -------------------------------------------------------------------
    const contacts: TandemEvent[] = [];
    const random = prng(3);
    while (contacts.length < BACKLOG) {
      const c = generateContact('bench-flow', 1, random);
      contacts.push(...c.worker, ...c.api);
    }
    const backlog = contacts.slice(0, BACKLOG);
    const writer = new OutboxWriter({ topics });
    let t0 = performance.now();
    for (let i = 0; i < backlog.length; i += 1000) await dataSource.transaction((m) => writer.append(m, backlog.slice(i, i + 1000)));
    const appendSeconds = (performance.now() - t0) / 1000;
    console.log(`outbox append (validate + insert, 1000 per transaction): ${fmt(backlog.length / appendSeconds)} events/s`);

    // Baseline: the same messages, same producer settings, straight to Kafka in 2000-message batches.
    const baselineTopics = uniqueTopics('bench-baseline');
    const admin2 = kafka.admin();
    await admin2.connect();
    await ensureTopics(admin2, baselineTopics, { partitions: 6 });
    await admin2.disconnect();
    const producer = createEventProducer(kafka);
    await producer.connect();
    t0 = performance.now();
    for (let i = 0; i < backlog.length; i += 2000) {
      const byTopic = new Map<string, ReturnType<typeof toKafkaMessage>[]>();
      for (const e of backlog.slice(i, i + 2000)) {
        const t = topicOf(e, baselineTopics);
        byTopic.set(t, [...(byTopic.get(t) ?? []), toKafkaMessage(e)]);
      }
      await producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
    }
    const baselineRate = backlog.length / ((performance.now() - t0) / 1000);
    await producer.disconnect();
    await deleteTopics(kafka, baselineTopics);

    const relay = new OutboxRelay({ dataSource, kafka, logger: silent });
    t0 = performance.now();
    await relay.start();
    while (relay.stats().published < backlog.length) await new Promise((r) => setTimeout(r, 20));
    const relayRate = backlog.length / ((performance.now() - t0) / 1000);
    console.log(`bare idempotent producer (baseline, no database): ${fmt(baselineRate)} events/s`);
    console.log(`OUTBOX RELAY THROUGHPUT: ${fmt(relayRate)} events/s over ${fmt(backlog.length)} events (${((relayRate / baselineRate) * 100).toFixed(0)}% of baseline; goal ≥ 10,000)`);

    // ---- 2. End-to-end projection lag under load ---------------------------------------------
    // Drain part 1's backlog through the projections first so part 2 measures steady state.
    let projected = 0;
    const createdAt = new Map<string, number>();
    const lags: number[] = [];
    const consumer = await runProjectionConsumer({
      kafka,
      dataSource,
      topics,
      groupId: uniqueName('bench-projections'),
      logger: silent,
      onBatchProcessed: (b) => {
        projected += b.events.length;
        const now = Date.now();
        for (const e of b.events) {
          const created = createdAt.get(e.id);
          if (created !== undefined) lags.push(now - created);
        }
      },
    });
    t0 = performance.now();
    while (projected < backlog.length) await new Promise((r) => setTimeout(r, 50));
    console.log(`projection catch-up on the ${fmt(backlog.length)}-event backlog: ${fmt(backlog.length / ((performance.now() - t0) / 1000))} events/s`);

    const publisher = new EventPublisher({ kafka, topics, logger: silent });
    // About 12 events per generated contact: enough contacts to keep the offered rate for the whole run.
    const traffic = generateTraffic('bench-lag', 1, Math.ceil((RATE * SECONDS) / 11), 9);
    let offered = 0;
    let next = 0;
    const start = Date.now();
    const inFlight = new Set<Promise<void>>();
    while (Date.now() - start < SECONDS * 1000 && next < traffic.length) {
      const due = Math.floor(((Date.now() - start) / 1000) * RATE);
      while (offered < due && next < traffic.length) {
        const c = traffic[next++]!;
        const stamp = (events: TandemEvent[]) => events.map((e) => (createdAt.set(e.id, Date.now()), e));
        const p = (async () => {
          await dataSource.transaction((m) => writer.append(m, stamp(c.api)));
          await publisher.publish(stamp(c.worker));
        })();
        inFlight.add(p);
        void p.finally(() => inFlight.delete(p));
        offered += c.api.length + c.worker.length;
        if (inFlight.size > 64) await Promise.race(inFlight);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    await Promise.all(inFlight);
    const elapsed = (Date.now() - start) / 1000;
    const target = backlog.length + offered;
    const drainStart = Date.now();
    while (projected < target && Date.now() - drainStart < 60_000) await new Promise((r) => setTimeout(r, 20));
    lags.sort((a, b) => a - b);
    console.log(
      `load: ${fmt(offered)} events in ${elapsed.toFixed(1)} s = ${fmt(offered / elapsed)} events/s offered (outbox + publisher, ${fmt(traffic.length)} contacts)`,
    );
    console.log(
      `END-TO-END PROJECTION LAG: p50 ${percentile(lags, 50)} ms, p99 ${percentile(lags, 99)} ms, max ${lags[lags.length - 1]} ms over ${fmt(lags.length)} events (goal p99 ≤ 1000 ms)`,
    );
    if (projected < target) console.log(`WARNING: only ${projected - backlog.length} of ${offered} events projected within 60 s`);
    await consumer.stop();
    await relay.stop();
    await publisher.disconnect();
  } finally {
    await deleteTopics(kafka, topics);
    await dataSource.destroy();
    await db.drop();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
