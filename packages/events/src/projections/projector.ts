import type { ConsumerConfig, Kafka } from 'kafkajs';
import type { DataSource, EntityManager } from 'typeorm';
import type { TandemEvent } from '../contracts/events';
import { runConsumer, type ProcessedBatch, type RunningConsumer } from '../consumer';
import { defaultTopics, type TandemTopics } from '../kafka';
import type { EventsLogger } from '../logger';
import { applyCustomerContacts } from './customer-contacts';
import { projectionDeltas, type CounterDelta } from './metrics';

/** The consumer group of the analytics projections. */
export const PROJECTIONS_GROUP_ID = 'tandem-projections';

/**
 * Applies counter changes in one statement per aggregation. Rows are sorted by key so that concurrent
 * projectors (several instances, several partitions) lock counters in the same order and do not
 * deadlock each other.
 */
export async function applyCounterDeltas(manager: EntityManager, deltas: readonly CounterDelta[]): Promise<void> {
  const sorted = [...deltas].sort((a, b) =>
    a.flowId < b.flowId ? -1 : a.flowId > b.flowId ? 1 : a.flowVersion - b.flowVersion || cmp(a.nodeId, b.nodeId) || cmp(a.metric, b.metric) || cmp(a.dimension, b.dimension) || cmp(a.dimension2, b.dimension2),
  );
  for (const agg of ['sum', 'max'] as const) {
    const rows = sorted.filter((d) => d.agg === agg);
    if (!rows.length) continue;
    const merge = agg === 'sum' ? 'c."value" + EXCLUDED."value"' : 'GREATEST(c."value", EXCLUDED."value")';
    await manager.query(
      `INSERT INTO "events"."projection_counters" AS c ("flow_id", "flow_version", "node_id", "metric", "dimension", "dimension2", "value")
       SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[])
       ON CONFLICT ("flow_id", "flow_version", "node_id", "metric", "dimension", "dimension2") DO UPDATE SET "value" = ${merge}`,
      [
        rows.map((d) => d.flowId),
        rows.map((d) => d.flowVersion),
        rows.map((d) => d.nodeId),
        rows.map((d) => d.metric),
        rows.map((d) => d.dimension),
        rows.map((d) => d.dimension2),
        rows.map((d) => d.value),
      ],
    );
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Projects a batch of events into the counters and the customers' contact history (within the consumer's transaction). */
export async function applyProjection(events: readonly TandemEvent[], manager: EntityManager): Promise<void> {
  await applyCounterDeltas(manager, projectionDeltas(events));
  await applyCustomerContacts(events, manager);
}

export interface ProjectionConsumerOptions {
  kafka: Kafka;
  dataSource: DataSource;
  topics?: TandemTopics;
  /** Default {@link PROJECTIONS_GROUP_ID}. */
  groupId?: string;
  partitionsConsumedConcurrently?: number;
  /** Extra kafkajs consumer settings (session timeout, …). */
  consumerConfig?: Partial<ConsumerConfig>;
  /** See `RunConsumerOptions.stallTimeoutMs`. */
  stallTimeoutMs?: number;
  onBatchProcessed?: (batch: ProcessedBatch) => void;
  logger?: EventsLogger;
}

/**
 * The consumer that maintains the projections from the contact and feedback topics, each event
 * counted once (see {@link runConsumer}).
 */
export function runProjectionConsumer(options: ProjectionConsumerOptions): Promise<RunningConsumer> {
  const topics = options.topics ?? defaultTopics;
  return runConsumer({
    kafka: options.kafka,
    dataSource: options.dataSource,
    groupId: options.groupId ?? PROJECTIONS_GROUP_ID,
    topics: [topics.contactEvents, topics.feedbackEvents],
    handle: (events, manager) => applyProjection(events, manager),
    partitionsConsumedConcurrently: options.partitionsConsumedConcurrently,
    consumerConfig: options.consumerConfig,
    stallTimeoutMs: options.stallTimeoutMs,
    onBatchProcessed: options.onBatchProcessed,
    logger: options.logger,
  });
}
