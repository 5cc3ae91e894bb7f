/**
 * The periodic sweeps routing maintenance runs — push dispatch, offer expiry, overflow — each item
 * handled on its own, so one that fails never stalls the others (docs/routing.md).
 */
import { parseInput } from './errors';
import { type ItemFailure, type ItemFailureHandler } from './item-failures';
import { transferSchema, type Offer } from './model';
import { type RouterCore } from './router-core';
import { type OfferRow, type WorkItemRow } from './rows';
import { DISPATCH_CANDIDATES, LOCK_ITEM } from './sql';

/** Options every sweep takes. */
export interface SweepOptions {
  /** How many items one call looks at, at most. */
  limit?: number;
  /** Where failures on single items go (default: the router's handler); the sweep goes on either way. */
  onItemFailure?: ItemFailureHandler;
}

/**
 * Handles each item on its own: an item that fails is reported, counted and tried again only after a
 * growing wait (see `ItemBackoff`), and the sweep goes on with the next one.
 */
async function eachItem<T>(
  core: RouterCore,
  items: readonly T[],
  which: (item: T) => Omit<ItemFailure, 'error'>,
  handle: (item: T) => Promise<void>,
  onFailure: ItemFailureHandler | undefined,
): Promise<void> {
  for (const item of items) {
    const what = which(item);
    const key = `${what.operation}:${what.offerId ?? what.workItemId}`;
    if (core.backoff.waiting(key, Date.now())) continue;
    try {
      await handle(item);
      core.backoff.succeeded(key);
    } catch (error) {
      core.backoff.failed(key, Date.now());
      core.reportFailure({ ...what, error }, onFailure);
    }
  }
}

export async function dispatchOffers(core: RouterCore, options: SweepOptions & { queues?: string[] } = {}): Promise<Offer[]> {
  const limit = options.limit ?? 100;
  const candidates = await core.db.run<{ id: string }>(DISPATCH_CANDIDATES, [core.now(), options.queues ?? null, limit]);
  const offers: Offer[] = [];
  await eachItem(
    core,
    candidates,
    ({ id }) => ({ operation: 'offer', workItemId: id }),
    async ({ id }) => {
      const offer = await core.offerWorkItem(id);
      if (offer) offers.push(offer);
    },
    options.onItemFailure,
  );
  return offers;
}

export async function expireOffers(core: RouterCore, options: SweepOptions = {}): Promise<number> {
  const now = core.now();
  const due = await core.db.run<{ id: string; agent_id: string; work_item_id: string }>(
    `SELECT id, agent_id, work_item_id FROM routing.offer WHERE status = 'pending' AND expires_at <= $1 ORDER BY expires_at LIMIT $2`,
    [now, options.limit ?? 500],
  );
  let expired = 0;
  await eachItem(
    core,
    due,
    (d) => ({ operation: 'expire_offer', workItemId: d.work_item_id, offerId: d.id }),
    async (d) => {
      const item = await core.db.transaction(async (tx) => {
        await core.lockAgent(tx, d.agent_id);
        const [offer] = await tx.query<OfferRow>(`SELECT * FROM routing.offer WHERE id = $1 FOR UPDATE`, [d.id]);
        if (!offer || offer.status !== 'pending' || offer.expires_at.getTime() > now.getTime()) return null;
        const [locked] = await tx.query<WorkItemRow>(LOCK_ITEM, [offer.work_item_id]);
        await tx.query(`UPDATE routing.offer SET status = 'expired', responded_at = $2, reason = 'no answer in time' WHERE id = $1`, [offer.id, now]);
        return core.requeue(tx, locked!, { type: 'expired', actor: { kind: 'system' }, reason: 'offer_expired', now, details: { offerId: offer.id } });
      });
      if (!item) return;
      expired++;
      await core.offerIfPush(item, { onFailure: options.onItemFailure });
    },
    options.onItemFailure,
  );
  return expired;
}

export async function overflowWaitingItems(core: RouterCore, options: SweepOptions = {}): Promise<number> {
  const now = core.now();
  const due = await core.db.run<{ id: string; overflow_queue: string }>(
    `SELECT w.id, q.overflow_queue FROM routing.work_item w JOIN routing.queue q ON q.name = w.queue_name
     WHERE w.status = 'queued' AND q.overflow_queue IS NOT NULL AND q.max_wait_seconds IS NOT NULL
       AND w.queued_at <= $1::timestamptz - make_interval(secs => q.max_wait_seconds)
     ORDER BY w.queued_at LIMIT $2`,
    [now, options.limit ?? 500],
  );
  let moved = 0;
  await eachItem(
    core,
    due,
    (d) => ({ operation: 'overflow', workItemId: d.id }),
    async (d) => {
      const item = await core.db.transaction(async (tx) => {
        const [current] = await tx.query<WorkItemRow>(`SELECT * FROM routing.work_item WHERE id = $1 AND status = 'queued' FOR UPDATE`, [d.id]);
        if (!current) return null;
        const transfer = parseInput(transferSchema, { toQueue: d.overflow_queue, by: { kind: 'system' }, note: 'waited longer than the queue allows' }, 'transfer');
        return core.transferIn(tx, d.id, transfer, now, 'max_wait_exceeded');
      });
      if (!item) return;
      moved++;
      await core.offerIfPush(item, { onFailure: options.onItemFailure });
    },
    options.onItemFailure,
  );
  return moved;
}
