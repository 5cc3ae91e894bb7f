import type { Batch, Consumer, ConsumerConfig, EachBatchPayload, Kafka } from 'kafkajs';
import type { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import type { TandemEvent } from './contracts/events';
import { EventValidationError, parseEvent } from './contracts/parse';
import { DeadlineExceededError, defaultLogger, errorText, settleWithin, withDeadline, type EventsLogger } from './logger';

/** Where a batch came from, for handlers that care. */
export interface BatchContext {
  groupId: string;
  topic: string;
  partition: number;
}

/** What a batch did, reported once its database transaction has committed (its offsets are committed next). */
export interface ProcessedBatch extends BatchContext {
  /** The events the handler processed (duplicates already removed). */
  events: TandemEvent[];
  /** Events skipped because this group had processed them before (redeliveries, republished retries). */
  duplicates: number;
  /** Messages that were not valid Tandem events, kept in `events.dead_letters`. */
  deadLettered: number;
  /** The offset to commit after this batch (the next one to read). */
  nextOffset: string;
}

export interface RunConsumerOptions {
  kafka: Kafka;
  dataSource: DataSource;
  /** The consumer group; also the scope of deduplication (each group processes each event once). */
  groupId: string;
  topics: string[];
  /**
   * Applies a batch of new events. Runs inside the PostgreSQL transaction that also records their ids
   * as processed, so the effects and the dedupe record commit together. Throwing rolls both back and
   * the batch is retried (with backoff) — handlers should only throw for transient failures.
   */
  handle(events: TandemEvent[], manager: EntityManager, context: BatchContext): Promise<void>;
  /** Read topics from the beginning when the group has no committed offset (default true). */
  fromBeginning?: boolean;
  /**
   * Called when a batch's effects have committed in PostgreSQL, before its offsets are committed
   * (metrics, lag measurement, tests). Each event appears as new in exactly one call per group.
   */
  onBatchProcessed?: (batch: ProcessedBatch) => void;
  /** Extra kafkajs consumer settings (session timeout, `maxWaitTimeInMs`, …). */
  consumerConfig?: Partial<ConsumerConfig>;
  /** Partitions processed at once by this instance (default 1). */
  partitionsConsumedConcurrently?: number;
  /**
   * A consumer that has neither fetched nor processed anything for this long is replaced by a fresh
   * one (default 60 s; an idle consumer still fetches every `maxWaitTimeInMs`).
   */
  stallTimeoutMs?: number;
  /**
   * How long a fresh consumer may take to connect and join its group before it is replaced. A join
   * waits for the group's other members to rejoin, or — after a broker restart or a crash — for the
   * sessions of departed members to expire, so it can take the session timeout plus the rebalance
   * timeout; counting it as a stall replaced every joining consumer (each replacement another member
   * to wait for) and the group never formed. Default: session + rebalance timeout + 10 s (100 s with
   * kafkajs' defaults), at least `stallTimeoutMs`.
   */
  joinTimeoutMs?: number;
  /** Backoff between attempts of a failing batch (default 100 ms doubling to 10 s). */
  backoff?: { initialMs?: number; maxMs?: number };
  logger?: EventsLogger;
}

/** A running consumer. */
export interface RunningConsumer {
  /** Finishes the batch in flight (its offsets committed) and leaves the group. */
  stop(): Promise<void>;
  /** How many times the kafkajs consumer was replaced (after a crash, a stall or a join that took too long). */
  restarts(): number;
}

/** A `runConsumer` option out of range or of the wrong kind; `problems` names each one. */
export class InvalidConsumerOptionsError extends Error {
  constructor(readonly problems: string[]) {
    super(`runConsumer: invalid options: ${problems.join('; ')}`);
    this.name = 'InvalidConsumerOptionsError';
  }
}

const milliseconds = (min: number) => z.number().int('must be a whole number of milliseconds').min(min).max(24 * 3600 * 1000);
const callable = z.custom<(...args: unknown[]) => unknown>((v) => typeof v === 'function', 'must be a function');
/** What `runConsumer` checks before it connects: mistakes here would otherwise show up as a watchdog that never fires or fires all the time. */
const consumerOptionsSchema = z.object({
  kafka: z.custom<Kafka>((v) => typeof (v as Kafka | undefined)?.consumer === 'function', 'must be a kafkajs Kafka client'),
  dataSource: z.custom<DataSource>((v) => typeof (v as DataSource | undefined)?.transaction === 'function', 'must be a TypeORM DataSource'),
  groupId: z.string().trim().min(1, 'must not be empty'),
  topics: z.array(z.string().trim().min(1, 'must not be empty')).min(1, 'must name at least one topic'),
  handle: callable,
  onBatchProcessed: callable.optional(),
  partitionsConsumedConcurrently: z.number().int().min(1).max(1000).optional(),
  stallTimeoutMs: milliseconds(1000).optional(),
  joinTimeoutMs: milliseconds(1000).optional(),
  backoff: z
    .object({ initialMs: milliseconds(1).optional(), maxMs: milliseconds(1).optional() })
    .refine((b) => b.initialMs === undefined || b.maxMs === undefined || b.initialMs <= b.maxMs, 'initialMs must not exceed maxMs')
    .optional(),
});

/** Wait before restarting a consumer that kafkajs gave up on. */
const RESTART_DELAY_MS = 1000;
/** Longest wait for an offset commit before the batch is left to be redelivered. */
const COMMIT_TIMEOUT_MS = 10_000;

/**
 * Runs a consumer group with the delivery contract every Tandem consumer needs:
 *
 * 1. each batch is parsed; messages that are not valid Tandem events are **dead-lettered** (kept
 *    verbatim with the error in `events.dead_letters`, logged) instead of stopping the partition;
 * 2. in ONE PostgreSQL transaction, the batch's event ids are inserted into `events.processed_events`
 *    (ignoring those already there) and `handle` applies only the new events;
 * 3. after the commit, the offsets are committed (auto-commit is off).
 *
 * A crash between 2 and 3 redelivers the batch and step 2 drops it: effects are applied exactly once
 * per group. A failing transaction is retried with backoff while the consumer still owns the partition.
 *
 * @example
 * const consumer = await runConsumer({ kafka, dataSource, groupId: 'tandem-projections', topics: [topics.contactEvents],
 *   handle: (events, manager) => applyProjection(events, manager) });
 */
export async function runConsumer(options: RunConsumerOptions): Promise<RunningConsumer> {
  const checked = consumerOptionsSchema.safeParse(options ?? {});
  if (!checked.success) {
    throw new InvalidConsumerOptionsError(checked.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`));
  }
  const logger = options.logger ?? defaultLogger(`consumer:${options.groupId}`);
  const initialBackoff = options.backoff?.initialMs ?? 100;
  const maxBackoff = options.backoff?.maxMs ?? 10_000;
  let stopping = false;
  let current: Consumer | undefined;
  let restartTimer: NodeJS.Timeout | undefined;

  /** When the consumer last showed progress (a fetch, a batch, an attempt): the watchdog's clock. */
  let lastSignOfLife = Date.now();
  const onProgress = () => {
    lastSignOfLife = Date.now();
  };

  const processBatch = async (payload: EachBatchPayload) => {
    const { batch } = payload;
    if (batch.messages.length === 0) {
      payload.resolveOffset(batch.lastOffset());
      return;
    }
    const { events, deadLetters } = decode(batch);
    const context: BatchContext = { groupId: options.groupId, topic: batch.topic, partition: batch.partition };
    let backoff = initialBackoff;
    for (let attempt = 1; ; attempt++) {
      onProgress();
      if (!payload.isRunning() || payload.isStale()) return; // the partition is being taken away: the next owner redoes it
      try {
        const fresh = await options.dataSource.transaction((manager) => applyBatch(manager, options, context, events, deadLetters));
        const lastOffset = batch.messages[batch.messages.length - 1]!.offset;
        const nextOffset = (BigInt(lastOffset) + 1n).toString();
        for (const dl of deadLetters) logger.warn({ topic: batch.topic, partition: batch.partition, offset: dl.offset, err: dl.error }, 'dead-lettered an invalid message');
        try {
          options.onBatchProcessed?.({ ...context, events: fresh, duplicates: events.length - fresh.length, deadLettered: deadLetters.length, nextOffset });
        } catch (e) {
          logger.error({ err: errorText(e) }, 'onBatchProcessed threw; ignored');
        }
        payload.resolveOffset(lastOffset);
        // A commit can stay pending forever on a connection to a broker that went away: bound it.
        await withDeadline(
          payload.commitOffsetsIfNecessary({ topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: nextOffset }] }] }),
          COMMIT_TIMEOUT_MS,
          'KafkaJS offset commit',
        );
        return;
      } catch (e) {
        // The offset commit failed: kafkajs (or the watchdog) recovers, the batch is redelivered and deduped.
        if (isKafkaError(e) || e instanceof DeadlineExceededError) throw e;
        logger.warn({ err: errorText(e), attempt, retryInMs: backoff, topic: batch.topic, partition: batch.partition }, 'processing a batch failed; retrying');
        await payload.heartbeat().catch(() => undefined);
        await new Promise((r) => setTimeout(r, backoff));
        backoff = Math.min(backoff * 2, maxBackoff);
      }
    }
  };

  /**
   * Replaces the kafkajs consumer with a fresh one. Used when kafkajs gives up after a crash, and by
   * the watchdog when a consumer stops fetching without reporting anything (kafkajs can leave a fetch
   * pending forever after a broker restart). A zombie that wakes up later is harmless: whatever it
   * applies is deduplicated, and it no longer owns partitions to commit.
   */
  let restarting = false;
  let restarts = 0;
  const restart = (reason: string, delayMs = RESTART_DELAY_MS) => {
    if (restarting || stopping) return;
    restarting = true;
    restarts++;
    logger.warn({ reason }, `restarting the consumer in ${delayMs} ms`);
    const old = current;
    current = undefined;
    restartTimer = setTimeout(() => {
      void (async () => {
        if (old) await settleWithin(old.disconnect(), 5_000);
        restarting = false;
        if (!stopping) await start();
      })().catch((e: unknown) => {
        restarting = false;
        logger.error({ err: errorText(e) }, 'consumer restart failed');
        restart('the previous restart failed');
      });
    }, delayMs);
  };

  const stallTimeoutMs = options.stallTimeoutMs ?? 60_000;
  const joinTimeoutMs = Math.max(
    stallTimeoutMs,
    options.joinTimeoutMs ?? (options.consumerConfig?.sessionTimeout ?? 30_000) + (options.consumerConfig?.rebalanceTimeout ?? 60_000) + 10_000,
  );
  /** Whether the current consumer is connecting or (re)joining its group rather than fetching. */
  let joining = true;
  const watchdog = setInterval(() => {
    const limit = joining ? joinTimeoutMs : stallTimeoutMs;
    if (current && Date.now() - lastSignOfLife > limit) {
      lastSignOfLife = Date.now();
      restart(joining ? `not in the group after ${limit} ms` : `no fetch for ${limit} ms`, 0);
    }
  }, Math.max(Math.floor(stallTimeoutMs / 4), 250));
  watchdog.unref();

  const start = async (): Promise<void> => {
    const consumer = options.kafka.consumer({
      groupId: options.groupId,
      maxWaitTimeInMs: 250,
      retry: { retries: 8, initialRetryTime: 300, maxRetryTime: 10_000 },
      ...options.consumerConfig,
    });
    current = consumer;
    joining = true;
    lastSignOfLife = Date.now();
    const alive = () => {
      if (current === consumer) lastSignOfLife = Date.now();
    };
    // A rebalance, or kafkajs restarting after a crash, is a join again: no fetches until it is done.
    const rejoining = () => {
      if (current !== consumer) return;
      joining = true;
      lastSignOfLife = Date.now();
    };
    for (const event of [consumer.events.FETCH_START, consumer.events.FETCH, consumer.events.START_BATCH_PROCESS, consumer.events.CONNECT]) consumer.on(event, alive);
    consumer.on(consumer.events.REBALANCING, rejoining);
    consumer.on(consumer.events.GROUP_JOIN, (event) => {
      if (current === consumer) joining = false;
      alive();
      const { memberAssignment } = event.payload as { memberAssignment: Record<string, number[]> };
      logger.info({ assignment: memberAssignment }, 'joined the consumer group');
    });
    consumer.on(consumer.events.CRASH, (event) => {
      const { error, restart: kafkajsRestarts } = event.payload as { error: Error; restart: boolean };
      if (stopping || current !== consumer) return;
      if (kafkajsRestarts) {
        logger.warn({ err: errorText(error) }, 'consumer crashed; kafkajs restarts it');
        rejoining();
      }
      // kafkajs gives up on some errors (e.g. no broker reachable for long): start over rather than stop consuming.
      else restart(`crashed: ${errorText(error)}`);
    });
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: options.topics, fromBeginning: options.fromBeginning ?? true });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 1,
        eachBatch: async (payload) => {
          await processBatch(payload);
          alive();
        },
      });
    } catch (e) {
      if (stopping || current !== consumer) return;
      restart(`could not start: ${errorText(e)}`);
    }
  };

  await start();
  return {
    async stop() {
      stopping = true;
      clearInterval(watchdog);
      if (restartTimer) clearTimeout(restartTimer);
      if (current) await settleWithin(current.disconnect(), 10_000);
    },
    restarts: () => restarts,
  };
}

interface DeadLetter {
  offset: string;
  key: string | null;
  payload: string | null;
  error: string;
}

function decode(batch: Batch): { events: TandemEvent[]; deadLetters: DeadLetter[] } {
  const events: TandemEvent[] = [];
  const deadLetters: DeadLetter[] = [];
  for (const message of batch.messages) {
    try {
      if (!message.value) throw new EventValidationError([{ path: '', message: 'empty message value (tombstone)' }]);
      events.push(parseEvent(message.value));
    } catch (e) {
      deadLetters.push({ offset: message.offset, key: message.key?.toString() ?? null, payload: message.value?.toString() ?? null, error: errorText(e) });
    }
  }
  return { events, deadLetters };
}

async function applyBatch(
  manager: EntityManager,
  options: RunConsumerOptions,
  context: BatchContext,
  events: TandemEvent[],
  deadLetters: DeadLetter[],
): Promise<TandemEvent[]> {
  let fresh: TandemEvent[] = [];
  if (events.length) {
    const inserted = await manager.query<{ event_id: string }[]>(
      `INSERT INTO "events"."processed_events" ("consumer_group", "event_id")
       SELECT $1, id FROM unnest($2::text[]) AS id
       ON CONFLICT DO NOTHING
       RETURNING "event_id"`,
      [options.groupId, [...new Set(events.map((e) => e.id))]],
    );
    const isNew = new Set(inserted.map((r) => r.event_id));
    // Keep the first occurrence of an id that is new; a repeat within the batch is a duplicate too.
    fresh = events.filter((e) => isNew.delete(e.id));
    if (fresh.length) await options.handle(fresh, manager, context);
  }
  if (deadLetters.length) {
    await manager.query(
      `INSERT INTO "events"."dead_letters" ("consumer_group", "topic", "partition", "offset", "message_key", "payload", "error")
       SELECT $1, $2, $3, d."offset", d.key, d.payload, d.error
         FROM unnest($4::bigint[], $5::text[], $6::text[], $7::text[]) AS d("offset", key, payload, error)
       ON CONFLICT DO NOTHING`,
      [
        context.groupId,
        context.topic,
        context.partition,
        deadLetters.map((d) => d.offset),
        deadLetters.map((d) => d.key),
        deadLetters.map((d) => d.payload),
        deadLetters.map((d) => d.error),
      ],
    );
  }
  return fresh;
}

function isKafkaError(e: unknown): boolean {
  return e instanceof Error && e.name.startsWith('KafkaJS');
}

/**
 * Deletes dedupe records older than `olderThanMs`. The dedupe window must stay longer than any
 * redelivery can be late (Kafka retention of the topics is a safe bound).
 * @returns how many records it deleted.
 */
export async function pruneProcessedEvents(dataSource: DataSource, olderThanMs: number): Promise<number> {
  const [, deleted] = await dataSource.query<[unknown, number]>(`DELETE FROM "events"."processed_events" WHERE "processed_at" < $1`, [
    new Date(Date.now() - olderThanMs),
  ]);
  return deleted;
}
