/** What a routing operation was doing when it failed on one item. */
export type ItemOperation = 'offer' | 'expire_offer' | 'overflow';

/**
 * One work item a routing loop could not handle. The loop reports it (logs and counts it) and goes on
 * with the other items: one bad item — an event its sink cannot take, a row that breaks a statement —
 * never stalls the others.
 */
export interface ItemFailure {
  operation: ItemOperation;
  workItemId: string;
  /** The offer that was expiring (`expire_offer`). */
  offerId?: string;
  error: unknown;
}

/** Receives item failures, to log and count them. It should not throw (if it does, that is ignored). */
export type ItemFailureHandler = (failure: ItemFailure) => void;

/** The default handler: one line on stderr per failed item, so a failure is never silent. */
export const warnItemFailure: ItemFailureHandler = (f) =>
  console.warn(`routing: ${f.operation} of work item ${f.workItemId} failed; the other items go on:`, f.error instanceof Error ? f.error.message : f.error);

/** First wait before a loop tries an item that failed again; it doubles per failure up to {@link MAX_RETRY_DELAY_MS}. */
export const FIRST_RETRY_DELAY_MS = 1_000;
export const MAX_RETRY_DELAY_MS = 30_000;
/** Past this many remembered items, those whose wait is over are forgotten. */
const MAX_REMEMBERED = 10_000;

/**
 * Remembers items a loop failed on, so that one failing persistently is tried less and less often
 * (1 s, 2 s, 4 s … 30 s) instead of on every tick: its errors do not flood the log, and it does not
 * cost every tick its time. In memory, per process: a restart tries everything again, which is fine.
 */
export class ItemBackoff {
  private readonly waits = new Map<string, { failures: number; until: number }>();

  /** Whether `key` is still waiting at `now` (epoch ms). */
  waiting(key: string, now: number): boolean {
    const wait = this.waits.get(key);
    return wait !== undefined && wait.until > now;
  }

  failed(key: string, now: number): void {
    const failures = (this.waits.get(key)?.failures ?? 0) + 1;
    this.waits.set(key, { failures, until: now + Math.min(MAX_RETRY_DELAY_MS, FIRST_RETRY_DELAY_MS * 2 ** (failures - 1)) });
    if (this.waits.size > MAX_REMEMBERED) for (const [k, w] of this.waits) if (w.until <= now) this.waits.delete(k);
  }

  succeeded(key: string): void {
    this.waits.delete(key);
  }
}
