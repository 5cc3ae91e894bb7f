import { EntitySchema } from 'typeorm';

/**
 * The package's tables, in the PostgreSQL schema `events`. They are plain `EntitySchema`s (no
 * decorators) so the API composes them into its DataSource as they are; their shape comes from
 * {@link eventsMigrations}, never from `synchronize`.
 */
export const EVENTS_DB_SCHEMA = 'events';

/** A row of the transactional outbox: one event, written in the transaction of the state change it reports. */
export interface OutboxRow {
  /** Insertion order; the relay publishes in this order. */
  position: string;
  eventId: string;
  eventType: string;
  topic: string;
  messageKey: string;
  /** The exact JSON that is (or was) published. */
  payload: string;
  createdAt: Date;
  /** When the broker acknowledged it; null while it waits for the relay. */
  publishedAt: Date | null;
}

export const OutboxEntity = new EntitySchema<OutboxRow>({
  name: 'EventsOutbox',
  schema: EVENTS_DB_SCHEMA,
  tableName: 'outbox',
  columns: {
    position: { type: 'bigint', primary: true, generated: 'increment', primaryKeyConstraintName: 'outbox_pkey' },
    eventId: { name: 'event_id', type: 'text' },
    eventType: { name: 'event_type', type: 'text' },
    topic: { type: 'text' },
    messageKey: { name: 'message_key', type: 'text' },
    payload: { type: 'text' },
    createdAt: { name: 'created_at', type: 'timestamp with time zone', default: () => 'now()' },
    publishedAt: { name: 'published_at', type: 'timestamp with time zone', nullable: true },
  },
  indices: [
    { name: 'outbox_event_id_key', columns: ['eventId'], unique: true },
    { name: 'outbox_unpublished_idx', columns: ['position'], where: '(published_at IS NULL)' },
  ],
});

/** An event a consumer group has processed: its effects are committed, a redelivery is skipped. */
export interface ProcessedEventRow {
  consumerGroup: string;
  eventId: string;
  processedAt: Date;
}

export const ProcessedEventEntity = new EntitySchema<ProcessedEventRow>({
  name: 'EventsProcessedEvent',
  schema: EVENTS_DB_SCHEMA,
  tableName: 'processed_events',
  columns: {
    consumerGroup: { name: 'consumer_group', type: 'text', primary: true, primaryKeyConstraintName: 'processed_events_pkey' },
    eventId: { name: 'event_id', type: 'text', primary: true, primaryKeyConstraintName: 'processed_events_pkey' },
    processedAt: { name: 'processed_at', type: 'timestamp with time zone', default: () => 'now()' },
  },
  indices: [{ name: 'processed_events_processed_at_idx', columns: ['processedAt'] }],
});

/** A message a consumer could not use (not JSON, not a CloudEvent, unknown type, bad data), kept verbatim. */
export interface DeadLetterRow {
  id: string;
  consumerGroup: string;
  topic: string;
  partition: number;
  offset: string;
  messageKey: string | null;
  payload: string | null;
  error: string;
  createdAt: Date;
}

export const DeadLetterEntity = new EntitySchema<DeadLetterRow>({
  name: 'EventsDeadLetter',
  schema: EVENTS_DB_SCHEMA,
  tableName: 'dead_letters',
  columns: {
    id: { type: 'bigint', primary: true, generated: 'increment', primaryKeyConstraintName: 'dead_letters_pkey' },
    consumerGroup: { name: 'consumer_group', type: 'text' },
    topic: { type: 'text' },
    partition: { type: 'integer' },
    offset: { type: 'bigint' },
    messageKey: { name: 'message_key', type: 'text', nullable: true },
    payload: { type: 'text', nullable: true },
    error: { type: 'text' },
    createdAt: { name: 'created_at', type: 'timestamp with time zone', default: () => 'now()' },
  },
  indices: [{ name: 'dead_letters_message_key', columns: ['consumerGroup', 'topic', 'partition', 'offset'], unique: true }],
});

/** An event a producer could not make valid (see `recordProducerDeadLetters`), kept instead of published. */
export interface ProducerDeadLetterRow {
  id: string;
  /** The producer's CloudEvents source: `/tandem/api`, `/tandem/worker`. */
  source: string;
  eventType: string;
  eventId: string;
  contactId: string | null;
  /** The refused event (or the producer's record of it) as JSON text. */
  payload: string;
  error: string;
  createdAt: Date;
}

export const ProducerDeadLetterEntity = new EntitySchema<ProducerDeadLetterRow>({
  name: 'EventsProducerDeadLetter',
  schema: EVENTS_DB_SCHEMA,
  tableName: 'producer_dead_letters',
  columns: {
    id: { type: 'bigint', primary: true, generated: 'increment', primaryKeyConstraintName: 'producer_dead_letters_pkey' },
    source: { type: 'text' },
    eventType: { name: 'event_type', type: 'text' },
    eventId: { name: 'event_id', type: 'text' },
    contactId: { name: 'contact_id', type: 'text', nullable: true },
    payload: { type: 'text' },
    error: { type: 'text' },
    createdAt: { name: 'created_at', type: 'timestamp with time zone', default: () => 'now()' },
  },
  indices: [
    { name: 'producer_dead_letters_event_key', columns: ['source', 'eventId'], unique: true },
    { name: 'producer_dead_letters_created_at_idx', columns: ['createdAt'] },
  ],
});

/** A contact another system handed over: (system, external id) → Tandem contact id, at most once. */
export interface InboundContactRow {
  externalSystem: string;
  externalContactId: string;
  contactId: string;
  flowId: string;
  /** The request event that started it. */
  eventId: string;
  startedAt: Date;
}

export const InboundContactEntity = new EntitySchema<InboundContactRow>({
  name: 'EventsInboundContact',
  schema: EVENTS_DB_SCHEMA,
  tableName: 'inbound_contacts',
  columns: {
    externalSystem: { name: 'external_system', type: 'text', primary: true, primaryKeyConstraintName: 'inbound_contacts_pkey' },
    externalContactId: { name: 'external_contact_id', type: 'text', primary: true, primaryKeyConstraintName: 'inbound_contacts_pkey' },
    contactId: { name: 'contact_id', type: 'text' },
    flowId: { name: 'flow_id', type: 'text' },
    eventId: { name: 'event_id', type: 'text' },
    startedAt: { name: 'started_at', type: 'timestamp with time zone', default: () => 'now()' },
  },
  indices: [{ name: 'inbound_contacts_contact_id_key', columns: ['contactId'], unique: true }],
});

/**
 * One counter of the analytics projections: a metric of a flow version (`nodeId` '' for the version as
 * a whole) or of one of its nodes, broken down by up to two dimensions (a port, a trigger, a tag, …).
 * See `projections/metrics.ts` for the metric names.
 */
export interface ProjectionCounterRow {
  flowId: string;
  flowVersion: number;
  nodeId: string;
  metric: string;
  dimension: string;
  dimension2: string;
  value: string;
}

export const ProjectionCounterEntity = new EntitySchema<ProjectionCounterRow>({
  name: 'EventsProjectionCounter',
  schema: EVENTS_DB_SCHEMA,
  tableName: 'projection_counters',
  columns: {
    flowId: { name: 'flow_id', type: 'text', primary: true, primaryKeyConstraintName: 'projection_counters_pkey' },
    flowVersion: { name: 'flow_version', type: 'integer', primary: true, primaryKeyConstraintName: 'projection_counters_pkey' },
    nodeId: { name: 'node_id', type: 'text', primary: true, primaryKeyConstraintName: 'projection_counters_pkey' },
    metric: { type: 'text', primary: true, primaryKeyConstraintName: 'projection_counters_pkey' },
    dimension: { type: 'text', primary: true, primaryKeyConstraintName: 'projection_counters_pkey' },
    dimension2: { type: 'text', primary: true, primaryKeyConstraintName: 'projection_counters_pkey' },
    value: { type: 'bigint' },
  },
});

/**
 * One contact of a customer, as the projections saw it: who (from `contact.started`), what it was about
 * (the last intent and topics of `bot.turn`), how and when it ended (`contact.ended`). Simulations are
 * not recorded. What `CustomerContactHistory` reads when a contact starts.
 */
export interface CustomerContactRow {
  contactId: string;
  customerId: string | null;
  flowId: string;
  flowVersion: number;
  startedAt: Date | null;
  intent: string | null;
  topics: string[] | null;
  /** Time of the bot turn the intent and topics come from. */
  turnAt: Date | null;
  outcome: string | null;
  endedAt: Date | null;
}

export const CustomerContactEntity = new EntitySchema<CustomerContactRow>({
  name: 'EventsCustomerContact',
  schema: EVENTS_DB_SCHEMA,
  tableName: 'customer_contacts',
  columns: {
    contactId: { name: 'contact_id', type: 'text', primary: true, primaryKeyConstraintName: 'customer_contacts_pkey' },
    customerId: { name: 'customer_id', type: 'text', nullable: true },
    flowId: { name: 'flow_id', type: 'text' },
    flowVersion: { name: 'flow_version', type: 'integer' },
    startedAt: { name: 'started_at', type: 'timestamp with time zone', nullable: true },
    intent: { type: 'text', nullable: true },
    topics: { type: 'text', array: true, nullable: true },
    turnAt: { name: 'turn_at', type: 'timestamp with time zone', nullable: true },
    outcome: { type: 'text', nullable: true },
    endedAt: { name: 'ended_at', type: 'timestamp with time zone', nullable: true },
  },
  indices: [{ name: 'customer_contacts_customer_ended_idx', columns: ['customerId', 'endedAt'] }],
});

/** Every table of the package, for the API's DataSource `entities`. */
export const eventsEntities = [OutboxEntity, ProcessedEventEntity, DeadLetterEntity, ProducerDeadLetterEntity, InboundContactEntity, ProjectionCounterEntity, CustomerContactEntity];
