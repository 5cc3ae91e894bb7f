import type { EntityManager } from 'typeorm';
import type { TandemEvent } from '../contracts/events';
import { parseEvent } from '../contracts/parse';
import { defaultTopics, toKafkaMessage, topicOf, type TandemTopics } from '../kafka';

/** The channel the relay LISTENs on; `append` notifies it so the relay wakes up on commit. */
export const OUTBOX_NOTIFY_CHANNEL = 'tandem_events_outbox';

/**
 * Anything that takes events inside the caller's transaction. Routing calls a sink of exactly this
 * shape; {@link OutboxWriter} is the one that makes them durable.
 */
export interface EventSink<E = TandemEvent> {
  append(manager: EntityManager, events: readonly E[]): Promise<void>;
}

export interface OutboxWriterOptions {
  topics?: TandemTopics;
  /** NOTIFY the relay on commit (default true); with false it finds new rows by polling. */
  notify?: boolean;
}

/**
 * The API's side of the transactional outbox: events are inserted in the same PostgreSQL transaction as
 * the state change they report, so they are published if and only if the change commits.
 *
 * @example
 * await dataSource.transaction(async (manager) => {
 *   await manager.save(workItem);
 *   await outbox.append(manager, [contactEvents.workItemAccepted(meta, { ... })]);
 * });
 */
export class OutboxWriter implements EventSink {
  private readonly topics: TandemTopics;
  private readonly notify: boolean;

  constructor(options: OutboxWriterOptions = {}) {
    this.topics = options.topics ?? defaultTopics;
    this.notify = options.notify ?? true;
  }

  /**
   * Appends events to the outbox within `manager`'s transaction. Each event is validated first (a bad
   * one throws {@link EventValidationError} and, thrown inside the transaction, rolls the change back
   * with it). An event id already in the outbox is skipped, so retried requests do not duplicate.
   */
  async append(manager: EntityManager, events: readonly TandemEvent[]): Promise<void> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error(
        'OutboxWriter.append must run inside the transaction of the state change it reports: call it with the EntityManager of dataSource.transaction(async (manager) => ...)',
      );
    }
    if (events.length === 0) return;
    const ids: string[] = [];
    const types: string[] = [];
    const topics: string[] = [];
    const keys: string[] = [];
    const payloads: string[] = [];
    for (const candidate of events) {
      const event = parseEvent(candidate);
      const message = toKafkaMessage(event);
      ids.push(event.id);
      types.push(event.type);
      topics.push(topicOf(event, this.topics));
      keys.push(message.key);
      payloads.push(message.value);
    }
    // One statement for the whole batch; WITH ORDINALITY keeps the caller's order in `position`.
    await manager.query(
      `INSERT INTO "events"."outbox" ("event_id", "event_type", "topic", "message_key", "payload")
       SELECT e.id, e.type, e.topic, e.key, e.payload
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS e(id, type, topic, key, payload, n)
        ORDER BY e.n
       ON CONFLICT ("event_id") DO NOTHING`,
      [ids, types, topics, keys, payloads],
    );
    if (this.notify) await manager.query(`SELECT pg_notify($1, '')`, [OUTBOX_NOTIFY_CHANNEL]);
  }
}
