import { type EntityManager } from 'typeorm';
import { ROUTING_NOTIFY_CHANNEL, type RoutingNotification } from './db';
import { type HistoryType, type WorkItemStatus } from './model';

/**
 * A routing state change, for other systems (Kafka through the events package's outbox). One per
 * history row, with the row's event id, so a consumer can dedupe.
 */
export interface RoutingEvent {
  /** Unique and stable: the history row's event id. */
  id: string;
  type: `workitem.${HistoryType}`;
  /** ISO-8601. */
  occurredAt: string;
  workItemId: string;
  contactId: string;
  workflowId: string;
  queue: string;
  agentId: string | null;
  fromStatus: WorkItemStatus | null;
  toStatus: WorkItemStatus;
  /** Who caused it: `agent:alice`, `supervisor:bob`, `workflow`, `system`. */
  actor: string;
  reason: string | null;
  details: Record<string, unknown>;
}

/** What a sink may ask of the transaction it runs in. */
export interface RoutingSinkTransaction {
  /**
   * Runs `callback` once the transaction has committed (never if it rolls back, once if it is retried
   * and then commits): for what must happen only for a change that stands, e.g. counting and logging
   * the events the sink dead-lettered.
   */
  afterCommit(callback: () => void): void;
}

/**
 * Receives the events of each state change INSIDE the transaction that makes the change, so an outbox
 * written here commits (or rolls back) with it. Throwing aborts the change: do it only for what a
 * retry can fix, and keep (dead-letter) an event that cannot be valid instead.
 *
 * @example
 * const sink: RoutingEventSink = {
 *   append: (manager, events) => manager.query('INSERT INTO outbox ...', [...]).then(() => undefined),
 * };
 * new WorkRouter({ dataSource, eventSink: sink });
 */
export interface RoutingEventSink {
  append(manager: EntityManager, events: RoutingEvent[], transaction?: RoutingSinkTransaction): Promise<void>;
}

/** The default sink: events go nowhere (the history table still has them). */
export const noopEventSink: RoutingEventSink = {
  append: async () => undefined,
};

/**
 * The sink of a router built without one (the worker's, which creates work items and offers them at
 * once on push queues): the events wait in `routing.deferred_event`, written in the change's own
 * transaction, until a router with a sink publishes them (`WorkRouter.publishDeferredEvents`, which
 * routing maintenance runs — and is woken for by the notification this sends). So no change's event is
 * lost for want of a sink where it happened.
 */
export const deferredEventSink: RoutingEventSink = {
  async append(manager, events) {
    await manager.query(`INSERT INTO routing.deferred_event (event) SELECT unnest($1::jsonb[])`, [events.map((e) => JSON.stringify(e))]);
    const notification: RoutingNotification = { type: 'events_deferred' };
    await manager.query('SELECT pg_notify($1, $2)', [ROUTING_NOTIFY_CHANNEL, JSON.stringify(notification)]);
  },
};
