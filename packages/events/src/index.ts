/**
 * @tandem/events — Tandem's contact and feedback events on Kafka.
 *
 * - contracts: CloudEvents 1.0 envelopes, one versioned zod schema per type, builders and a parser;
 * - producing: {@link OutboxWriter} + {@link OutboxRelay} for the API (transactional outbox),
 *   {@link EventPublisher} for the worker (deterministic ids); {@link recordProducerDeadLetters} keeps
 *   what a producer could not make valid, instead of retrying it forever;
 * - consuming: {@link runConsumer} (dedupe by event id in the same transaction as the effects, commit
 *   after processing), the projections (per-node counters, each customer's contact history) and the
 *   inbound-contacts consumer;
 * - persistence: {@link eventsEntities} and {@link eventsMigrations} for the API's DataSource.
 */
export * from './contracts/envelope';
export * from './contracts/events';
export * from './contracts/builders';
export * from './contracts/parse';
export * from './contracts/ids';
export * from './kafka';
export * from './logger';
export * from './db/entities';
export * from './db/migrations';
export * from './outbox/writer';
export * from './outbox/relay';
export * from './publisher';
export * from './consumer';
export * from './producer-dead-letters';
export * from './projections/metrics';
export * from './projections/projector';
export * from './projections/queries';
export * from './projections/customer-contacts';
export * from './inbound';
export * from './feedback';
export * from './contracts/examples';
