import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Creates the `events` schema: the transactional outbox, consumer deduplication, dead letters, inbound
 * contact deduplication and the projection counters.
 */
export class EventsInitialSchema1767225600000 implements MigrationInterface {
  name = 'EventsInitialSchema1767225600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS "events"`);
    await q.query(`
      CREATE TABLE "events"."outbox" (
        "position" BIGSERIAL NOT NULL,
        "event_id" text NOT NULL,
        "event_type" text NOT NULL,
        "topic" text NOT NULL,
        "message_key" text NOT NULL,
        "payload" text NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "published_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "outbox_pkey" PRIMARY KEY ("position")
      )`);
    // A retried API request appends the same event id again: the unique index makes that a no-op.
    await q.query(`CREATE UNIQUE INDEX "outbox_event_id_key" ON "events"."outbox" ("event_id")`);
    // The relay's work list stays small however much published history is retained.
    await q.query(`CREATE INDEX "outbox_unpublished_idx" ON "events"."outbox" ("position") WHERE (published_at IS NULL)`);

    await q.query(`
      CREATE TABLE "events"."processed_events" (
        "consumer_group" text NOT NULL,
        "event_id" text NOT NULL,
        "processed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "processed_events_pkey" PRIMARY KEY ("consumer_group", "event_id")
      )`);
    await q.query(`CREATE INDEX "processed_events_processed_at_idx" ON "events"."processed_events" ("processed_at")`);

    await q.query(`
      CREATE TABLE "events"."dead_letters" (
        "id" BIGSERIAL NOT NULL,
        "consumer_group" text NOT NULL,
        "topic" text NOT NULL,
        "partition" integer NOT NULL,
        "offset" bigint NOT NULL,
        "message_key" text,
        "payload" text,
        "error" text NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "dead_letters_pkey" PRIMARY KEY ("id")
      )`);
    await q.query(`CREATE UNIQUE INDEX "dead_letters_message_key" ON "events"."dead_letters" ("consumer_group", "topic", "partition", "offset")`);

    await q.query(`
      CREATE TABLE "events"."inbound_contacts" (
        "external_system" text NOT NULL,
        "external_contact_id" text NOT NULL,
        "contact_id" text NOT NULL,
        "flow_id" text NOT NULL,
        "event_id" text NOT NULL,
        "started_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "inbound_contacts_pkey" PRIMARY KEY ("external_system", "external_contact_id")
      )`);
    await q.query(`CREATE UNIQUE INDEX "inbound_contacts_contact_id_key" ON "events"."inbound_contacts" ("contact_id")`);

    await q.query(`
      CREATE TABLE "events"."projection_counters" (
        "flow_id" text NOT NULL,
        "flow_version" integer NOT NULL,
        "node_id" text NOT NULL,
        "metric" text NOT NULL,
        "dimension" text NOT NULL,
        "dimension2" text NOT NULL,
        "value" bigint NOT NULL,
        CONSTRAINT "projection_counters_pkey" PRIMARY KEY ("flow_id", "flow_version", "node_id", "metric", "dimension", "dimension2")
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "events"."projection_counters"`);
    await q.query(`DROP TABLE "events"."inbound_contacts"`);
    await q.query(`DROP TABLE "events"."dead_letters"`);
    await q.query(`DROP TABLE "events"."processed_events"`);
    await q.query(`DROP TABLE "events"."outbox"`);
    await q.query(`DROP SCHEMA IF EXISTS "events"`);
  }
}

/**
 * Adds `events.producer_dead_letters`: events a producer (the API's routing sink, the worker's
 * `emitEvents`) could not make valid, kept with the error instead of being retried forever. Apart
 * from the consumers' `dead_letters`, whose rows are Kafka messages (group, topic, partition, offset).
 */
export class EventsProducerDeadLetters1767312000000 implements MigrationInterface {
  name = 'EventsProducerDeadLetters1767312000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "events"."producer_dead_letters" (
        "id" BIGSERIAL NOT NULL,
        "source" text NOT NULL,
        "event_type" text NOT NULL,
        "event_id" text NOT NULL,
        "contact_id" text,
        "payload" text NOT NULL,
        "error" text NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "producer_dead_letters_pkey" PRIMARY KEY ("id")
      )`);
    // A retried producer (an activity attempt, a routing transaction) records a letter once.
    await q.query(`CREATE UNIQUE INDEX "producer_dead_letters_event_key" ON "events"."producer_dead_letters" ("source", "event_id")`);
    await q.query(`CREATE INDEX "producer_dead_letters_created_at_idx" ON "events"."producer_dead_letters" ("created_at")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "events"."producer_dead_letters"`);
  }
}

/**
 * Adds `events.customer_contacts`: the contacts of each customer as the projections saw them (who, when
 * it ended and how, what it was about), so the API can attach a customer's recent contacts when a new
 * one starts (`repeat_contact` from Tandem's own history). Simulations are not in it.
 */
export class EventsCustomerContacts1767600000000 implements MigrationInterface {
  name = 'EventsCustomerContacts1767600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "events"."customer_contacts" (
        "contact_id" text NOT NULL,
        "customer_id" text,
        "flow_id" text NOT NULL,
        "flow_version" integer NOT NULL,
        "started_at" TIMESTAMP WITH TIME ZONE,
        "intent" text,
        "topics" text[],
        "turn_at" TIMESTAMP WITH TIME ZONE,
        "outcome" text,
        "ended_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "customer_contacts_pkey" PRIMARY KEY ("contact_id")
      )`);
    // A customer's ended contacts, newest first (scanned backwards): what a contact start reads.
    await q.query(`CREATE INDEX "customer_contacts_customer_ended_idx" ON "events"."customer_contacts" ("customer_id", "ended_at")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "events"."customer_contacts"`);
  }
}

/** The package's migrations, in order, for the API's DataSource `migrations`. */
export const eventsMigrations = [EventsInitialSchema1767225600000, EventsProducerDeadLetters1767312000000, EventsCustomerContacts1767600000000];
