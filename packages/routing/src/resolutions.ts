import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { WORK_ITEM_RESOLVED_SIGNAL, type WorkItemResolution } from '@tandem/contracts';
import { type DataSource } from 'typeorm';
import { RoutingDb } from './db';
import { noopEventSink } from './events';
import { systemClock, type Clock } from './model';

/** What happened when a resolution was sent. */
export type SignalResult = 'delivered' | 'workflow_missing';

/**
 * Sends a resolution to a contact's workflow. `temporalSignaler(client)` is the real one; anything
 * else (a wrapper that counts, a fault injector in tests) implements the same.
 */
export interface ResolutionSignaler {
  /** Resolves `workflow_missing` when the workflow does not exist or has finished; throws on anything retryable. */
  signal(workflowId: string, resolution: WorkItemResolution): Promise<SignalResult>;
}

/** Signals `workItemResolved` through a Temporal client. */
export function temporalSignaler(client: Client): ResolutionSignaler {
  return {
    async signal(workflowId, resolution) {
      try {
        await client.workflow.getHandle(workflowId).signal(WORK_ITEM_RESOLVED_SIGNAL, resolution);
        return 'delivered';
      } catch (e) {
        // Temporal reports both "never existed" and "already finished" as not found: nobody will ever wait for this.
        if (e instanceof WorkflowNotFoundError) return 'workflow_missing';
        throw e;
      }
    },
  };
}

export interface ResolutionOutboxOptions {
  dataSource: DataSource;
  clock?: Clock;
  /** How long a deliverer owns a batch before another may take it over (default 30 s). */
  leaseSeconds?: number;
  /** First retry delay; doubles per attempt up to `maxBackoffSeconds` (default 1 s). */
  baseBackoffSeconds?: number;
  maxBackoffSeconds?: number;
  /** Identifies this deliverer in leases (default: a random id). */
  owner?: string;
}

export interface DeliveryReport {
  delivered: number;
  workflowMissing: number;
  failed: number;
}

/** The state of one item's resolution signal. */
export interface ResolutionDelivery {
  workItemId: string;
  workflowId: string;
  payload: WorkItemResolution;
  status: 'pending' | 'delivered' | 'workflow_missing';
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  deliveredAt: Date | null;
}

interface DeliveryRow extends LeasedDeliveryRow {
  work_item_id: string;
  payload: WorkItemResolution;
}

/**
 * Delivers `workItemResolved` signals from the outbox that completion writes in its own transaction.
 * At-least-once: a batch is leased, signalled, then marked delivered; a deliverer that dies between
 * signal and mark leaves the lease to expire and the signal is sent again, which the workflow ignores
 * because it dedupes by `workItemId`. A finished or unknown workflow is recorded as
 * `workflow_missing` and not retried; other failures back off exponentially and retry forever.
 *
 * @example
 * const outbox = new ResolutionOutbox({ dataSource });
 * const stop = outbox.start(temporalSignaler(client), { intervalMs: 500 });
 * // …
 * await stop();
 */
export class ResolutionOutbox {
  private readonly deliveries: LeasedDeliveries<DeliveryRow>;
  readonly owner: string;

  constructor(options: ResolutionOutboxOptions) {
    this.deliveries = new LeasedDeliveries(options, { table: 'routing.resolution_delivery', key: 'work_item_id' });
    this.owner = this.deliveries.owner;
  }

  /** Sends every due resolution once (up to `limit`), and reports what happened. */
  async deliverPending(signaler: ResolutionSignaler | Client, options: { limit?: number } = {}): Promise<DeliveryReport> {
    const send = isSignaler(signaler) ? signaler : temporalSignaler(signaler);
    return this.deliveries.deliverPending((row) => send.signal(row.workflow_id, row.payload), options.limit);
  }

  /** The delivery state of one item's resolution, or null if it has none (not completed yet). */
  async deliveryOf(workItemId: string): Promise<ResolutionDelivery | null> {
    const row = await this.deliveries.row(workItemId);
    if (!row) return null;
    return {
      workItemId: row.work_item_id,
      workflowId: row.workflow_id,
      payload: row.payload,
      status: row.status,
      attempts: row.attempts,
      nextAttemptAt: row.next_attempt_at,
      lastError: row.last_error,
      deliveredAt: row.delivered_at,
    };
  }

  /**
   * Runs `deliverPending` in a loop every `intervalMs` (default 1000) until the returned function is
   * called; errors are reported to `onError` and the loop goes on.
   */
  start(signaler: ResolutionSignaler | Client, options: { intervalMs?: number; onError?: (e: unknown) => void } = {}): () => Promise<void> {
    return startLoop(() => this.deliverPending(signaler), options.intervalMs ?? 1000, options.onError);
  }
}

/** The columns every signal outbox table of routing has (`resolution_delivery`, `assignment_delivery`). */
export interface LeasedDeliveryRow {
  workflow_id: string;
  status: 'pending' | 'delivered' | 'workflow_missing';
  attempts: number;
  next_attempt_at: Date;
  last_error: string | null;
  delivered_at: Date | null;
}

/**
 * The delivery loop both signal outboxes share: lease a batch of due rows (`FOR UPDATE SKIP LOCKED`,
 * so several deliverers — workers, API processes — split the work), send each, then mark it — fenced by
 * the lease, so a deliverer whose lease was taken over does not overwrite the new owner's outcome.
 * Internal to the package.
 */
export class LeasedDeliveries<Row extends LeasedDeliveryRow> {
  private readonly db: RoutingDb;
  private readonly now: Clock;
  private readonly leaseSeconds: number;
  private readonly baseBackoffSeconds: number;
  private readonly maxBackoffSeconds: number;
  readonly owner: string;

  constructor(
    options: ResolutionOutboxOptions,
    private readonly table: { table: string; key: string; returning?: string },
  ) {
    this.db = new RoutingDb(options.dataSource, noopEventSink, true);
    this.now = options.clock ?? systemClock;
    this.leaseSeconds = options.leaseSeconds ?? 30;
    this.baseBackoffSeconds = options.baseBackoffSeconds ?? 1;
    this.maxBackoffSeconds = options.maxBackoffSeconds ?? 300;
    this.owner = options.owner ?? `deliverer-${randomUUID()}`;
  }

  async deliverPending(send: (row: Row) => Promise<SignalResult>, limit = 100): Promise<DeliveryReport> {
    const { table, key } = this.table;
    const now = this.now();
    const leased = await this.db.run<Row & Record<string, unknown>>(
      `UPDATE ${table} d
       SET lease_owner = $1, lease_until = $2::timestamptz + make_interval(secs => $3), attempts = d.attempts + 1
       WHERE d.${key} IN (
         SELECT ${key} FROM ${table}
         WHERE status = 'pending' AND next_attempt_at <= $2 AND (lease_until IS NULL OR lease_until <= $2)
         ORDER BY next_attempt_at LIMIT $4
         FOR UPDATE SKIP LOCKED)
       RETURNING ${this.table.returning ?? 'd.*'}`,
      [this.owner, now, this.leaseSeconds, limit],
    );
    const report: DeliveryReport = { delivered: 0, workflowMissing: 0, failed: 0 };
    // In the order they became due (RETURNING keeps none): a workflow hears of an item's assignments in turn.
    leased.sort((a, b) => a.next_attempt_at.getTime() - b.next_attempt_at.getTime());
    for (const row of leased) {
      try {
        const result = await send(row);
        await this.db.run(
          `UPDATE ${table} SET status = $3, delivered_at = CASE WHEN $3 = 'delivered' THEN $4::timestamptz END,
             lease_owner = NULL, lease_until = NULL, last_error = CASE WHEN $3 = 'workflow_missing' THEN 'workflow not found or already finished' END
           WHERE ${key} = $1 AND lease_owner = $2 AND status = 'pending'`,
          [row[key], this.owner, result, this.now()],
        );
        if (result === 'delivered') report.delivered++;
        else report.workflowMissing++;
      } catch (e) {
        report.failed++;
        const backoff = Math.min(this.maxBackoffSeconds, this.baseBackoffSeconds * 2 ** Math.max(0, row.attempts - 1));
        await this.db.run(
          `UPDATE ${table} SET next_attempt_at = $3::timestamptz + make_interval(secs => $4), last_error = $5,
             lease_owner = NULL, lease_until = NULL
           WHERE ${key} = $1 AND lease_owner = $2 AND status = 'pending'`,
          [row[key], this.owner, this.now(), backoff, e instanceof Error ? e.message.slice(0, 2000) : String(e)],
        );
      }
    }
    return report;
  }

  /** One row by its key, or null. */
  async row(id: string): Promise<Row | null> {
    const [row] = await this.select(`d.${this.table.key}::text = $1`, [id]);
    return row ?? null;
  }

  /** Rows matching `where` (on `d`), as leased rows read (with the same extra columns). */
  async select(where: string, values: unknown[]): Promise<Row[]> {
    return this.db.run<Row>(`SELECT ${this.table.returning ?? 'd.*'} FROM ${this.table.table} d WHERE ${where}`, values);
  }
}

/**
 * Sends every due `workItemResolved` signal once: `new ResolutionOutbox(options).deliverPending(client)`
 * for callers that do not keep an outbox around (e.g. a periodic worker activity).
 */
export function deliverPendingResolutions(options: ResolutionOutboxOptions, client: ResolutionSignaler | Client): Promise<DeliveryReport> {
  return new ResolutionOutbox(options).deliverPending(client);
}

function isSignaler(x: ResolutionSignaler | Client): x is ResolutionSignaler {
  return typeof (x as ResolutionSignaler).signal === 'function';
}

/**
 * Runs `tick` now and then every `intervalMs` (or sooner when `wake` is called), never two at once.
 * Returns a stop function that resolves once the current tick has finished.
 */
export function startLoop(
  tick: () => Promise<unknown>,
  intervalMs: number,
  onError: (e: unknown) => void = (e) => console.error('routing loop:', e),
): (() => Promise<void>) & { wake: () => void } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let wakeUp: (() => void) | undefined;
  const loop = (async () => {
    while (!stopped) {
      try {
        await tick();
      } catch (e) {
        onError(e);
      }
      if (stopped) break;
      await new Promise<void>((resolve) => {
        wakeUp = resolve;
        timer = setTimeout(resolve, intervalMs);
      });
    }
  })();
  const stop = async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    wakeUp?.();
    await loop;
  };
  return Object.assign(stop, {
    wake: () => {
      if (timer) clearTimeout(timer);
      wakeUp?.();
    },
  });
}
