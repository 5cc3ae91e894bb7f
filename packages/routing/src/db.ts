import { type Pool, type PoolClient } from 'pg';
import { type DataSource, type EntityManager } from 'typeorm';
import { type RoutingEvent, type RoutingEventSink, type RoutingSinkTransaction } from './events';

/** The LISTEN/NOTIFY channel routing publishes on (see `RoutingNotifications`). */
export const ROUTING_NOTIFY_CHANNEL = 'tandem_routing';

/**
 * A small payload sent with NOTIFY when something an agent desktop or the dispatcher cares about
 * happens. A hint, not a record: consumers re-read state (`pendingOffersFor`) and poll as a safety net.
 */
export interface RoutingNotification {
  /** `events_deferred`: a router without an event sink kept events for a router with one to publish. */
  type: 'created' | 'offered' | 'offer_closed' | 'requeued' | 'agent_available' | 'capacity_freed' | 'events_deferred';
  workItemId?: string;
  agentId?: string;
  offerId?: string;
  queue?: string;
  /** For `offered`: ISO-8601 expiry of the offer. */
  expiresAt?: string;
}

/** A statement with a stable name: node-pg prepares it once per connection and PostgreSQL caches its plan. */
export interface Statement {
  name: string;
  text: string;
}

/** Work done inside one transaction: statements, then history-derived events and notifications at the end. */
export class Tx implements RoutingSinkTransaction {
  readonly events: RoutingEvent[] = [];
  readonly notifications: RoutingNotification[] = [];
  readonly committed: (() => void)[] = [];

  constructor(
    readonly client: PoolClient,
    readonly manager: EntityManager,
  ) {}

  async query<R extends object>(statement: Statement | string, values: unknown[] = []): Promise<R[]> {
    const res =
      typeof statement === 'string'
        ? await this.client.query<R>(statement, values)
        : await this.client.query<R>({ name: statement.name, text: statement.text, values });
    return res.rows;
  }

  notify(notification: RoutingNotification): void {
    this.notifications.push(notification);
  }

  afterCommit(callback: () => void): void {
    this.committed.push(callback);
  }
}

const RETRYABLE = new Set(['40P01', '40001']); // deadlock detected, serialization failure

/** Thrown inside a transaction when state moved under us between a read and a lock; the transaction is retried. */
export class StateMovedError extends Error {}

/** Runs routing SQL over a TypeORM DataSource's pool, with the event sink inside each write transaction. */
export class RoutingDb {
  constructor(
    readonly dataSource: DataSource,
    readonly sink: RoutingEventSink,
    readonly sinkIsNoop: boolean,
  ) {}

  /** One statement, autocommit (atomic on its own). */
  async run<R extends object>(statement: Statement | string, values: unknown[] = []): Promise<R[]> {
    const config = typeof statement === 'string' ? { text: statement, values } : { name: statement.name, text: statement.text, values };
    // The driver's node-pg pool directly: claims and completions are single statements, and a
    // TypeORM QueryRunner per statement costs more than the statement's own client-side work.
    const pool = (this.dataSource.driver as { master?: Pool }).master;
    if (pool && typeof pool.query === 'function') return (await pool.query<R>(config)).rows;
    const runner = this.dataSource.createQueryRunner();
    try {
      const client = (await runner.connect()) as PoolClient;
      return (await client.query<R>(config)).rows;
    } finally {
      await runner.release();
    }
  }

  /**
   * A READ COMMITTED transaction. Events collected in it go to the sink and notifications to NOTIFY
   * before COMMIT; what the sink asked to run after the commit runs once it has. Deadlocks and state
   * that moved between a read and a lock are retried a few times.
   */
  async transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        const { result, committed } = await this.dataSource.transaction(async (manager) => {
          const client = (await manager.queryRunner!.connect()) as PoolClient;
          const tx = new Tx(client, manager);
          const result = await fn(tx);
          if (tx.events.length > 0) await this.sink.append(manager, tx.events, tx);
          for (const n of tx.notifications) await client.query('SELECT pg_notify($1, $2)', [ROUTING_NOTIFY_CHANNEL, JSON.stringify(n)]);
          return { result, committed: tx.committed };
        });
        for (const callback of committed) {
          try {
            callback();
          } catch {
            // The change has committed: what runs after it cannot undo it, nor fail it.
          }
        }
        return result;
      } catch (e) {
        const code = (e as { code?: string }).code ?? (e as { driverError?: { code?: string } }).driverError?.code;
        const retryable = e instanceof StateMovedError || (code !== undefined && RETRYABLE.has(code));
        if (!retryable || attempt >= 5) throw e;
      }
    }
  }
}
