/**
 * The projection consumer is SIGKILLed mid-stream — between a batch's database commit and its offset
 * commit, with no shutdown — and a new process takes over: it resumes from the committed offsets — it does not start over — skips exactly the events
 * the killed one had applied but not yet committed offsets for, and the counts come out exact.
 */
import { uniqueName, waitFor } from '@tandem/testkit';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Kafka } from 'kafkajs';
import { ensureTopics, EventPublisher, type TandemTopics } from '../src';
import { migratedDatabase } from './support/db';
import { deleteTopics, testKafka, uniqueTopics } from './support/kafka';
import { projectedSnapshot, recountFromDatabase } from './support/recount';
import { generateTraffic } from './support/traffic';

const FLOW = 'kill-flow';
const VERSION = 2;

interface Report {
  started?: boolean;
  frozen?: boolean;
  fresh?: number;
  duplicates?: number;
}

class ConsumerProcess {
  readonly reports: Report[] = [];
  readonly exited: Promise<NodeJS.Signals | number | null>;
  private readonly child: ChildProcess;
  private stderr = '';

  constructor(env: NodeJS.ProcessEnv) {
    this.child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'fixtures', 'projection-consumer.ts')], {
      cwd: path.join(__dirname, '..'),
      env: { ...process.env, ...env, TANDEM_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let buffer = '';
    this.child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) if (line.startsWith('{')) this.reports.push(JSON.parse(line) as Report);
    });
    this.child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve(signal ?? code)));
  }

  get fresh() {
    return this.reports.reduce((n, r) => n + (r.fresh ?? 0), 0);
  }
  get duplicates() {
    return this.reports.reduce((n, r) => n + (r.duplicates ?? 0), 0);
  }
  get log() {
    return this.stderr.slice(-2000);
  }
  kill(signal: NodeJS.Signals) {
    this.child.kill(signal);
  }
}

describe('the projection consumer killed mid-stream', () => {
  let env: Awaited<ReturnType<typeof migratedDatabase>>;
  let kafka: Kafka;
  let topics: TandemTopics;
  const groupId = uniqueName('projections-kill');
  const children: ConsumerProcess[] = [];

  beforeAll(async () => {
    env = await migratedDatabase('events_kill');
    await env.dataSource.query(`CREATE TABLE public.published (event_id text PRIMARY KEY, payload text NOT NULL)`);
    kafka = testKafka();
    topics = uniqueTopics('kill');
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, topics, { partitions: 3 });
    await admin.disconnect();
  });

  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    await Promise.all(children.map((c) => c.exited));
    await deleteTopics(kafka, topics);
    await env?.close();
  });

  it('resumes from the committed offsets with exact counts', async () => {
    // Enough traffic that the first process is killed well before the end.
    const traffic = generateTraffic(FLOW, VERSION, 1500, 5);
    const events = traffic.flatMap((c) => [...c.worker, ...c.api]);
    const publisher = new EventPublisher({ kafka, topics });
    for (let i = 0; i < traffic.length; i += 100) {
      const slice = traffic.slice(i, i + 100).flatMap((c) => [...c.worker, ...c.api]);
      await env.dataSource.query(`INSERT INTO public.published SELECT * FROM unnest($1::text[], $2::text[])`, [slice.map((e) => e.id), slice.map((e) => JSON.stringify(e))]);
      await publisher.publish(slice);
    }
    await publisher.disconnect();
    const total = events.length;

    const childEnv = { EVENTS_TOPICS: JSON.stringify(topics), EVENTS_DATABASE_URL: env.db.url, EVENTS_GROUP_ID: groupId };
    // The first process freezes right after a batch's database commit, before its offset commit, and is
    // SIGKILLed there: the worst moment to die.
    const first = new ConsumerProcess({ ...childEnv, EVENTS_FREEZE_AFTER: String(Math.floor(total / 4)) });
    children.push(first);
    await waitFor(() => first.reports.some((r) => r.frozen), { timeoutMs: 60_000, what: `the first consumer to get a quarter through (${first.fresh} so far) ${first.log}` });
    first.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    expect(first.fresh).toBeLessThan(total);

    // What the killed process left behind: effects committed in PostgreSQL, offsets committed in Kafka.
    const [{ applied }] = await env.dataSource.query(`SELECT count(*)::int AS applied FROM "events"."processed_events" WHERE consumer_group = $1`, [groupId]);
    const admin = kafka.admin();
    await admin.connect();
    const offsets = await admin.fetchOffsets({ groupId, topics: [topics.contactEvents, topics.feedbackEvents] });
    await admin.disconnect();
    const committed = offsets.flatMap((t) => t.partitions).reduce((n, p) => n + Math.max(Number(p.offset), 0), 0);
    expect(committed).toBeGreaterThan(0);
    expect(applied).toBeGreaterThan(committed); // the last batch's effects are in, its offsets are not

    const second = new ConsumerProcess(childEnv);
    children.push(second);
    await waitFor(() => second.fresh + applied >= total, { timeoutMs: 90_000, what: `the second consumer to finish (${second.fresh} + ${applied} of ${total}) ${second.log}` });
    await waitFor(() => second.fresh + second.duplicates === total - committed, { timeoutMs: 10_000, what: 'the second consumer to have read exactly the uncommitted messages' });
    // It read from the committed offsets, not from the beginning: the only duplicates are the events the
    // first process applied after its last offset commit.
    expect({ fresh: second.fresh, duplicates: second.duplicates }).toEqual({ fresh: total - applied, duplicates: applied - committed });

    const [{ processed }] = await env.dataSource.query(`SELECT count(*)::int AS processed FROM "events"."processed_events" WHERE consumer_group = $1`, [groupId]);
    expect(processed).toBe(total);
    expect(await projectedSnapshot(env.dataSource, FLOW, VERSION)).toEqual(await recountFromDatabase(env.dataSource, `SELECT payload FROM public.published`, FLOW, VERSION));
    process.stdout.write(`consumer kill: ${total} events; killed after ${applied} applied / ${committed} committed; the successor skipped ${second.duplicates}\n`);
  }, 240_000);
});
