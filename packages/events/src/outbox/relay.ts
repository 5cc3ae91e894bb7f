import type { Kafka, Producer, TopicMessages } from 'kafkajs';
import type { DataSource, QueryRunner } from 'typeorm';
import { CLOUDEVENTS_CONTENT_TYPE } from '../contracts/envelope';
import { createEventProducer } from '../kafka';
import { defaultLogger, errorText, settleWithin, withDeadline, type EventsLogger } from '../logger';
import { OUTBOX_NOTIFY_CHANNEL } from './writer';

/**
 * Key of the PostgreSQL advisory lock that elects the one active relay (any number may run; one
 * publishes). Fixed: relays of different versions must contend for the same lock.
 */
export const OUTBOX_RELAY_LOCK_KEY = 7_361_902_114_001n;

export interface OutboxRelayOptions {
  dataSource: DataSource;
  kafka: Kafka;
  /** Rows read and published per round trip (default 2000). */
  batchSize?: number;
  /** How often to look for rows when no NOTIFY arrives (default 1000 ms): the fallback for lost notifications. */
  pollIntervalMs?: number;
  /** How often a standby relay tries to become the active one (default 2000 ms). */
  standbyRetryMs?: number;
  /** Backoff while the broker or the database fails: first wait, doubled up to the cap (default 200 ms → 10 s). */
  backoff?: { initialMs?: number; maxMs?: number };
  /**
   * Longest wait for the broker to acknowledge a batch (or for the producer to connect) before the relay
   * gives up on it, replaces the producer and sends the same rows again (default 15 s).
   */
  sendTimeoutMs?: number;
  /** How long published rows are kept (for recounts and audits) before {@link OutboxRelay.cleanup} deletes them (default 7 days). */
  retentionMs?: number;
  logger?: EventsLogger;
}

export interface OutboxRelayStats {
  leader: boolean;
  published: number;
  batches: number;
  failures: number;
  lastError?: string;
}

interface PendingRow {
  position: string;
  topic: string;
  message_key: string;
  payload: string;
}

interface PgNotificationClient {
  on(event: 'notification', listener: (msg: { channel: string }) => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  removeListener(event: string, listener: (...args: never[]) => void): unknown;
}

/**
 * Publishes the transactional outbox to Kafka. Any number of relays may run; one holds a PostgreSQL
 * advisory lock and publishes, the others stand by and take over when its connection goes away.
 *
 * The active relay reads unpublished rows in insertion order, sends them with the idempotent producer
 * (acks from all in-sync replicas), then marks them published. It wakes on NOTIFY from
 * {@link OutboxWriter.append}, polls as a fallback, and while the broker is down it backs off and
 * retries the same rows: nothing is skipped. A crash between the send and the mark republishes those
 * rows (at-least-once); consumers drop the duplicates by event id. Order per contact is kept because
 * one relay sends in position order with one request in flight.
 *
 * @example
 * const relay = new OutboxRelay({ dataSource, kafka });
 * await relay.start();
 * // … on shutdown
 * await relay.stop();
 */
export class OutboxRelay {
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly standbyRetryMs: number;
  private readonly backoffInitialMs: number;
  private readonly backoffMaxMs: number;
  private readonly retentionMs: number;
  private readonly sendTimeoutMs: number;
  private readonly logger: EventsLogger;

  private loop?: Promise<void>;
  private stopping = false;
  private leader?: { runner: QueryRunner; client: PgNotificationClient; onNotify: () => void; onError: (e: Error) => void; broken?: Error };
  private producer?: Producer;
  private wake?: () => void;
  private notified = false;
  private readonly counters: OutboxRelayStats = { leader: false, published: 0, batches: 0, failures: 0 };

  constructor(private readonly options: OutboxRelayOptions) {
    this.batchSize = options.batchSize ?? 2000;
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.standbyRetryMs = options.standbyRetryMs ?? 2000;
    this.backoffInitialMs = options.backoff?.initialMs ?? 200;
    this.backoffMaxMs = options.backoff?.maxMs ?? 10_000;
    this.retentionMs = options.retentionMs ?? 7 * 24 * 3600 * 1000;
    this.sendTimeoutMs = options.sendTimeoutMs ?? 15_000;
    this.logger = options.logger ?? defaultLogger('outbox-relay');
  }

  /** Starts relaying in the background. Resolves at once; the relay becomes active when it gets the lock. */
  async start(): Promise<void> {
    if (this.loop) throw new Error('OutboxRelay is already running');
    this.stopping = false;
    this.loop = this.run();
  }

  /** Finishes the batch in flight, gives up leadership and disconnects. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
    this.loop = undefined;
  }

  stats(): OutboxRelayStats {
    return { ...this.counters, leader: Boolean(this.leader) };
  }

  /**
   * Deletes published rows older than the retention (default from the options). Unpublished rows are
   * never deleted. Runs in chunks so it never holds long locks; safe on any instance.
   * @returns how many rows it deleted.
   */
  async cleanup(olderThanMs: number = this.retentionMs): Promise<number> {
    const cutoff = new Date(Date.now() - olderThanMs);
    let total = 0;
    for (;;) {
      // TypeORM answers a DELETE with [rows, affected count].
      const [, deleted] = await this.options.dataSource.query<[unknown, number]>(
        `DELETE FROM "events"."outbox" WHERE "position" IN (
           SELECT "position" FROM "events"."outbox"
            WHERE "published_at" IS NOT NULL AND "published_at" < $1
            ORDER BY "position" LIMIT 10000)`,
        [cutoff],
      );
      total += deleted;
      if (deleted < 10000) return total;
    }
  }

  private async run(): Promise<void> {
    let backoff = this.backoffInitialMs;
    while (!this.stopping) {
      try {
        if (!this.leader) {
          if (!(await this.acquireLeadership())) {
            await this.sleep(this.standbyRetryMs);
            continue;
          }
          this.logger.info({}, 'outbox relay is active');
        }
        await this.drain();
        backoff = this.backoffInitialMs;
        await this.sleep(this.pollIntervalMs, true);
      } catch (e) {
        this.counters.failures++;
        this.counters.lastError = errorText(e);
        this.logger.warn({ err: errorText(e), retryInMs: backoff }, 'outbox relay: publishing failed, will retry the same rows');
        await this.resetProducer();
        if (this.leader?.broken) await this.releaseLeadership(this.leader.broken);
        await this.sleep(backoff);
        backoff = Math.min(backoff * 2, this.backoffMaxMs);
      }
    }
    await this.resetProducer();
    await this.releaseLeadership();
  }

  /**
   * Publishes unpublished rows until a batch comes back short. The database and the broker work in
   * parallel: while one batch is in flight to Kafka the next one is read. Sends stay strictly
   * sequential, so order holds. Each drain starts from the lowest unpublished position, which also
   * picks up rows of transactions that committed after rows with higher positions.
   */
  private async drain(): Promise<void> {
    const leader = this.leader!;
    if (leader.broken) throw leader.broken;
    this.notified = false;
    let rows = await this.readBatch(leader.runner, '0');
    while (rows.length > 0 && !this.stopping) {
      const sending = this.send(rows);
      const next = rows.length === this.batchSize ? this.readBatch(leader.runner, rows[rows.length - 1]!.position) : Promise.resolve([]);
      try {
        await sending;
      } catch (e) {
        await next.catch(() => undefined);
        throw e;
      }
      await leader.runner.query(`UPDATE "events"."outbox" SET "published_at" = now() WHERE "position" = ANY($1::bigint[])`, [
        rows.map((r) => r.position),
      ]);
      this.counters.published += rows.length;
      this.counters.batches++;
      rows = await next;
    }
  }

  private async readBatch(runner: QueryRunner, afterPosition: string): Promise<PendingRow[]> {
    return (await runner.query(
      `SELECT "position", "topic", "message_key", "payload" FROM "events"."outbox"
        WHERE "published_at" IS NULL AND "position" > $1 ORDER BY "position" LIMIT $2`,
      [afterPosition, this.batchSize],
    )) as PendingRow[];
  }

  private async send(rows: PendingRow[]): Promise<void> {
    // Group by topic, keeping position order within each topic (and so within each contact).
    const byTopic = new Map<string, TopicMessages>();
    for (const row of rows) {
      let entry = byTopic.get(row.topic);
      if (!entry) byTopic.set(row.topic, (entry = { topic: row.topic, messages: [] }));
      entry.messages.push({ key: row.message_key, value: row.payload, headers: { 'content-type': CLOUDEVENTS_CONTENT_TYPE } });
    }
    this.logger.debug({ rows: rows.length, from: rows[0]!.position }, 'outbox relay: sending');
    const producer = await this.connectedProducer();
    await withDeadline(producer.sendBatch({ acks: -1, topicMessages: [...byTopic.values()] }), this.sendTimeoutMs, 'sending to Kafka');
  }

  private async connectedProducer(): Promise<Producer> {
    if (!this.producer) {
      const producer = createEventProducer(this.options.kafka);
      this.logger.debug({}, 'outbox relay: connecting the producer');
      try {
        await withDeadline(producer.connect(), this.sendTimeoutMs, 'connecting to Kafka');
      } catch (e) {
        void settleWithin(producer.disconnect(), 5_000);
        throw e;
      }
      this.producer = producer;
    }
    return this.producer;
  }

  /**
   * After a failed send the producer is replaced: a fresh idempotent producer id avoids sequence-number
   * errors from a half-finished request. A row the broker did get is then sent twice; consumers dedupe.
   */
  private async resetProducer(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    if (producer) await settleWithin(producer.disconnect(), 5_000);
  }

  private async acquireLeadership(): Promise<boolean> {
    const runner = this.options.dataSource.createQueryRunner();
    let client: PgNotificationClient;
    try {
      client = (await runner.connect()) as PgNotificationClient;
      const [row] = (await runner.query(`SELECT pg_try_advisory_lock($1::bigint) AS locked`, [OUTBOX_RELAY_LOCK_KEY.toString()])) as { locked: boolean }[];
      if (!row?.locked) {
        await runner.release();
        return false;
      }
      await runner.query(`LISTEN ${OUTBOX_NOTIFY_CHANNEL}`);
    } catch (e) {
      this.logger.warn({ err: errorText(e) }, 'outbox relay: cannot reach PostgreSQL to take the relay lock');
      await runner.release().catch(() => undefined);
      return false;
    }
    const leader = {
      runner,
      client,
      onNotify: () => {
        this.notified = true;
        this.wake?.();
      },
      onError: (e: Error) => {
        leader.broken = e;
        this.wake?.();
      },
      broken: undefined as Error | undefined,
    };
    client.on('notification', leader.onNotify);
    client.on('error', leader.onError);
    this.leader = leader;
    return true;
  }

  private async releaseLeadership(error?: Error): Promise<void> {
    const leader = this.leader;
    if (!leader) return;
    this.leader = undefined;
    leader.client.removeListener('notification', leader.onNotify);
    leader.client.removeListener('error', leader.onError);
    if (error) {
      // A broken connection is destroyed, not returned to the pool; PostgreSQL frees its lock.
      const pgRunner = leader.runner as QueryRunner & { releasePostgresConnection?: (err?: Error) => Promise<void> };
      if (pgRunner.releasePostgresConnection) await pgRunner.releasePostgresConnection(error).catch(() => undefined);
      else await leader.runner.release().catch(() => undefined);
      this.logger.warn({ err: errorText(error) }, 'outbox relay: lost its database connection, standing by');
      return;
    }
    try {
      await leader.runner.query(`UNLISTEN ${OUTBOX_NOTIFY_CHANNEL}`);
      await leader.runner.query(`SELECT pg_advisory_unlock($1::bigint)`, [OUTBOX_RELAY_LOCK_KEY.toString()]);
    } finally {
      await leader.runner.release();
    }
  }

  /** Sleeps, cut short by stop() and — when `untilNotified` — by a NOTIFY from a committing writer. */
  private sleep(ms: number, untilNotified = false): Promise<void> {
    if (this.stopping || (untilNotified && this.notified)) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        if (this.stopping || (untilNotified && (this.notified || this.leader?.broken))) done();
      };
    });
  }
}
