/** Push, the agent's side: accepting and rejecting offers, and the offers waiting for an answer. */
import { RoutingConflictError } from './errors';
import { storableText } from './storable';
import { type Offer, type WorkItem } from './model';
import { reviveItem, type RouterCore } from './router-core';
import { toOffer, toWorkItem, type OfferRow, type WorkItemRow } from './rows';

/** A pending offer with the item it reserves, as an agent desktop shows it. */
export interface PendingOffer {
  offer: Offer;
  workItem: WorkItem;
}

export async function acceptOffer(core: RouterCore, offerId: string, agentId: string): Promise<WorkItem> {
  core.checkId(offerId, 'offer');
  const now = core.now();
  return core.db.transaction(async (tx) => {
    await core.lockAgent(tx, agentId);
    const { offer, item } = await core.lockOffer(tx, offerId, agentId);
    if (offer.expires_at.getTime() <= now.getTime()) {
      throw new RoutingConflictError(`offer ${offerId} expired at ${offer.expires_at.toISOString()}`);
    }
    await tx.query(`UPDATE routing.offer SET status = 'accepted', responded_at = $2 WHERE id = $1`, [offerId, now]);
    const [assigned] = await tx.query<WorkItemRow>(
      `UPDATE routing.work_item SET status = 'assigned', assigned_at = $2, answered_at = COALESCE(answered_at, $2), updated_at = $2
       WHERE id = $1 RETURNING *`,
      [item.id, now],
    );
    const accepted = await core.record(tx, assigned!, { type: 'accepted', from: 'offered', to: 'assigned', agentId, actor: { kind: 'agent', id: agentId }, now, details: { offerId } });
    await core.enqueueAssignment(tx, assigned!, accepted);
    tx.notify({ type: 'offer_closed', offerId, workItemId: item.id, agentId, queue: item.queue_name });
    return toWorkItem(assigned!);
  });
}

export async function rejectOffer(core: RouterCore, offerId: string, agentId: string, reason = 'rejected'): Promise<WorkItem> {
  core.checkId(offerId, 'offer');
  const now = core.now();
  const item = await core.db.transaction(async (tx) => {
    await core.lockAgent(tx, agentId);
    const { offer, item } = await core.lockOffer(tx, offerId, agentId);
    const said = storableText(reason);
    await tx.query(`UPDATE routing.offer SET status = 'rejected', responded_at = $2, reason = $3 WHERE id = $1`, [offer.id, now, said]);
    return core.requeue(tx, item, { type: 'rejected', actor: { kind: 'agent', id: agentId }, reason: said, now, details: { offerId } });
  });
  await core.offerIfPush(item);
  return toWorkItem(item);
}

export async function pendingOffersFor(core: RouterCore, agentId: string): Promise<PendingOffer[]> {
  const rows = await core.db.run<OfferRow & { item: WorkItemRow }>(
    `SELECT o.*, to_jsonb(w) AS item FROM routing.offer o JOIN routing.work_item w ON w.id = o.work_item_id
     WHERE o.agent_id = $1 AND o.status = 'pending' AND o.expires_at > $2 ORDER BY o.offered_at`,
    [agentId, core.now()],
  );
  return rows.map(({ item, ...offer }) => ({ offer: toOffer(offer), workItem: toWorkItem(reviveItem(item)) }));
}
