import { type WorkItemResolution } from '@tandem/contracts';
import { z } from 'zod';
import { type RoutingDb, StateMovedError, type Tx } from './db';
import { RoutingConflictError, RoutingNotFoundError } from './errors';
import { ItemBackoff, type ItemFailure, type ItemFailureHandler } from './item-failures';
import { actorLabel, mergeSkills, type transferSchema, type Actor, type Clock, type HistoryType, type Offer, type TransferNote, type WorkItemStatus } from './model';
import { toEvent, toOffer, type AgentRow, type HistoryRow, type OfferRow, type QueueRow, type WorkItemRow } from './rows';
import { ADJUST_LOAD, INSERT_ASSIGNMENT, INSERT_HISTORY, INSERT_RESOLUTION, LOCK_AGENT, LOCK_ITEM, PEEK_ITEM_AGENT, PICK_AGENT_FOR_OFFER } from './sql';

/** What a router counts, for metrics. */
export interface RouterCounters {
  /** Claims attempted. */
  claims: number;
  /** Claims that assigned an item. */
  claimsAssigned: number;
  /** Claims that needed the thorough pass (every candidate was held by a concurrent claimer). */
  thoroughClaims: number;
  /** Items a routing loop or a follow-up offer failed on (each reported to an {@link ItemFailureHandler}). */
  itemFailures: number;
}

export const ACTIVE = new Set<WorkItemStatus>(['offered', 'assigned', 'wrapping']);

const uuid = z.uuid();

/**
 * The state transitions and locks every routing operation is built from: recording history (and its
 * event), offering, requeueing, releasing a hold, transferring, and taking locks in the one order all
 * routing transactions follow (agents before items, agents in id order). Internal to the package:
 * {@link WorkRouter} is the public face, its operations live in `claims.ts`, `offers.ts`,
 * `handling.ts` and `sweeps.ts`.
 */
export class RouterCore {
  readonly counters: RouterCounters = { claims: 0, claimsAssigned: 0, thoroughClaims: 0, itemFailures: 0 };
  /** Items the maintenance sweeps failed on, tried again later and later (see `sweeps.ts`). */
  readonly backoff = new ItemBackoff();

  constructor(
    readonly db: RoutingDb,
    readonly now: Clock,
    private readonly onItemFailure: ItemFailureHandler,
  ) {}

  /** Counts a failure on one item and hands it to `handler` (default: the router's). */
  reportFailure(failure: ItemFailure, handler: ItemFailureHandler = this.onItemFailure): void {
    this.counters.itemFailures++;
    try {
      handler(failure);
    } catch {
      // A reporter that throws must not turn one item's failure into the loop's.
    }
  }

  /**
   * Offers a queued item to the best eligible agent (see `PICK_AGENT_FOR_OFFER`): reserves it until the
   * queue's offer timeout. Returns null when the item is not queued, is being handled by another
   * transaction, or no agent can take it now (it stays queued; the dispatcher tries again).
   */
  async offerWorkItem(workItemId: string): Promise<Offer | null> {
    this.checkId(workItemId, 'work item');
    const now = this.now();
    return this.db.transaction(async (tx) => {
      const [item] = await tx.query<WorkItemRow>(`SELECT * FROM routing.work_item WHERE id = $1 AND status = 'queued' FOR UPDATE SKIP LOCKED`, [workItemId]);
      if (!item) return null;
      const queue = await this.queueRow(tx, item.queue_name);
      const waitedSeconds = (now.getTime() - item.queued_at.getTime()) / 1000;
      const [agent] = await tx.query<AgentRow>(PICK_AGENT_FOR_OFFER, [
        item.queue_name,
        item.channel,
        JSON.stringify(item.required_skills),
        JSON.stringify(queue.relaxation),
        waitedSeconds,
        item.id,
        item.required_tokens,
      ]);
      if (!agent) return null;
      return this.createOffer(tx, item, agent.id, queue.offer_timeout_seconds, { kind: 'system' }, 'longest_idle', now);
    });
  }

  async transferIn(tx: Tx, workItemId: string, data: z.output<typeof transferSchema>, now: Date, reason: string): Promise<WorkItemRow> {
    const [peek] = await tx.query<{ agent_id: string | null }>(PEEK_ITEM_AGENT, [workItemId]);
    if (!peek) throw new RoutingNotFoundError('work item', workItemId);
    // Agents before items, in id order: the one lock order every routing transaction follows.
    const agentIds = [...new Set([peek.agent_id, data.toAgentId].filter((a): a is string => !!a))].sort();
    const agents = new Map<string, AgentRow>();
    for (const id of agentIds) agents.set(id, await this.lockAgent(tx, id));
    const [item] = await tx.query<WorkItemRow>(LOCK_ITEM, [workItemId]);
    if (!item) throw new RoutingNotFoundError('work item', workItemId);
    if (item.agent_id !== peek.agent_id) throw new StateMovedError();
    if (!['queued', 'offered', 'assigned'].includes(item.status)) {
      throw new RoutingConflictError(`work item ${item.id} is ${item.status}; only queued, offered or assigned items can be transferred`);
    }
    if (data.by.kind === 'agent' && item.agent_id !== data.by.id) {
      throw new RoutingConflictError(`agent ${data.by.id} does not hold work item ${item.id}`);
    }
    const toQueue = data.toQueue ? await this.queueRow(tx, data.toQueue) : await this.queueRow(tx, item.queue_name);
    const target = data.toAgentId ? agents.get(data.toAgentId)! : null;
    if (target) {
      if (target.status !== 'available') throw new RoutingConflictError(`agent ${target.id} is ${target.status} and cannot take a transfer`);
      const capacity = target.capacity[item.channel] ?? 0;
      const load = (target.load[item.channel] ?? 0) - (item.agent_id === target.id ? 1 : 0);
      if (load >= capacity) throw new RoutingConflictError(`agent ${target.id} has no ${item.channel} capacity left (${load}/${capacity})`);
    }
    await this.releaseHold(tx, item, now);
    const note: TransferNote = {
      at: now.toISOString(),
      by: actorLabel(data.by),
      text: data.note,
      fromQueue: item.queue_name,
      toQueue: toQueue.name,
      fromAgentId: item.agent_id,
      toAgentId: target?.id ?? null,
    };
    const requested = data.requestedSkills ?? item.requested_skills;
    const [moved] = await tx.query<WorkItemRow>(
      `UPDATE routing.work_item SET status = 'queued', agent_id = NULL, queue_name = $2, priority = $3, requested_skills = $4,
         required_skills = $5, notes = notes || $6::jsonb, queued_at = $7, answered_at = NULL, assigned_at = NULL, updated_at = $7
       WHERE id = $1 RETURNING *`,
      [
        item.id,
        toQueue.name,
        data.priority ?? item.priority,
        JSON.stringify(requested),
        JSON.stringify(mergeSkills(toQueue.skills, requested)),
        JSON.stringify([note]),
        now,
      ],
    );
    await this.record(tx, moved!, {
      type: 'transferred',
      from: item.status,
      to: 'queued',
      agentId: item.agent_id,
      actor: data.by,
      reason,
      now,
      details: { fromQueue: item.queue_name, toQueue: toQueue.name, fromAgentId: item.agent_id, toAgentId: target?.id ?? null, note: data.note },
    });
    tx.notify({ type: 'requeued', workItemId: item.id, queue: toQueue.name });
    if (!target) return moved!;
    await this.createOffer(tx, moved!, target.id, toQueue.offer_timeout_seconds, data.by, 'transfer', now);
    const [offered] = await tx.query<WorkItemRow>(`SELECT * FROM routing.work_item WHERE id = $1`, [item.id]);
    return offered!;
  }

  async createOffer(tx: Tx, item: WorkItemRow, agentId: string, timeoutSeconds: number, actor: Actor, reason: string, now: Date): Promise<Offer> {
    const expiresAt = new Date(now.getTime() + timeoutSeconds * 1000);
    const [offer] = await tx.query<OfferRow>(
      `INSERT INTO routing.offer (work_item_id, agent_id, status, offered_at, expires_at) VALUES ($1, $2, 'pending', $3, $4) RETURNING *`,
      [item.id, agentId, now, expiresAt],
    );
    const [offered] = await tx.query<WorkItemRow>(
      `UPDATE routing.work_item SET status = 'offered', agent_id = $2, updated_at = $3 WHERE id = $1 RETURNING *`,
      [item.id, agentId, now],
    );
    await tx.query(ADJUST_LOAD, [agentId, 1, item.channel, now]);
    await this.record(tx, offered!, {
      type: 'offered',
      from: item.status,
      to: 'offered',
      agentId,
      actor,
      reason,
      now,
      details: { offerId: offer!.id, expiresAt: expiresAt.toISOString() },
    });
    tx.notify({ type: 'offered', offerId: offer!.id, workItemId: item.id, agentId, queue: item.queue_name, expiresAt: expiresAt.toISOString() });
    return toOffer(offer!);
  }

  /** Puts an item held by an agent back in its queue (same place: queued_at is kept), attempts + 1. */
  async requeue(
    tx: Tx,
    item: WorkItemRow,
    e: { type: HistoryType; actor: Actor; reason: string; now: Date; details?: Record<string, unknown>; adjustLoad?: boolean },
  ): Promise<WorkItemRow> {
    if (e.adjustLoad !== false && item.agent_id) await tx.query(ADJUST_LOAD, [item.agent_id, -1, item.channel, e.now]);
    const [queued] = await tx.query<WorkItemRow>(
      `UPDATE routing.work_item SET status = 'queued', agent_id = NULL, attempts = attempts + 1, assigned_at = NULL, updated_at = $2
       WHERE id = $1 RETURNING *`,
      [item.id, e.now],
    );
    await this.record(tx, queued!, { type: e.type, from: item.status, to: 'queued', agentId: item.agent_id, actor: e.actor, reason: e.reason, now: e.now, details: e.details });
    tx.notify({ type: 'requeued', workItemId: item.id, queue: item.queue_name });
    if (item.agent_id) {
      const offerId = typeof e.details?.offerId === 'string' ? e.details.offerId : undefined;
      tx.notify({ type: item.status === 'offered' ? 'offer_closed' : 'capacity_freed', agentId: item.agent_id, workItemId: item.id, offerId, queue: item.queue_name });
    }
    return queued!;
  }

  /** Ends the current holder's claim on an item: revokes a pending offer, frees the agent's capacity. */
  async releaseHold(tx: Tx, item: WorkItemRow, now: Date): Promise<void> {
    if (item.status === 'offered') {
      await tx.query(`UPDATE routing.offer SET status = 'revoked', responded_at = $2, reason = 'moved' WHERE work_item_id = $1 AND status = 'pending'`, [item.id, now]);
    }
    if (item.agent_id && ['offered', 'assigned', 'wrapping'].includes(item.status)) {
      await tx.query(ADJUST_LOAD, [item.agent_id, -1, item.channel, now]);
      tx.notify({ type: 'capacity_freed', agentId: item.agent_id, workItemId: item.id, queue: item.queue_name });
    }
  }

  async record(
    tx: Tx,
    item: WorkItemRow,
    e: { type: HistoryType; from: WorkItemStatus | null; to: WorkItemStatus; agentId: string | null; actor: Actor; reason?: string; now: Date; details?: Record<string, unknown> },
  ): Promise<HistoryRow> {
    const [h] = await tx.query<HistoryRow>(INSERT_HISTORY, [
      item.id,
      e.type,
      e.from,
      e.to,
      item.queue_name,
      e.agentId,
      actorLabel(e.actor),
      e.reason ?? null,
      JSON.stringify(e.details ?? {}),
      e.now,
    ]);
    tx.events.push(toEvent(h!, item));
    return h!;
  }

  /**
   * Queues the `workItemAssigned` signal of an assignment (its history row) to the contact's workflow,
   * in the transaction that assigns; `AssignmentOutbox` delivers it at least once.
   */
  async enqueueAssignment(tx: Tx, item: WorkItemRow, assignment: HistoryRow): Promise<void> {
    await tx.query(INSERT_ASSIGNMENT, [assignment.event_id, item.id, item.workflow_id, assignment.agent_id, assignment.at]);
  }

  async enqueueResolution(
    tx: Tx,
    item: WorkItemRow,
    r: { outcome: WorkItemResolution['outcome']; reasonTags: string[]; agentId?: string; note?: string; now: Date },
  ): Promise<void> {
    const payload: WorkItemResolution = {
      schemaVersion: 1,
      workItemId: item.id,
      outcome: r.outcome,
      reasonTags: r.reasonTags,
      ...(r.agentId ? { agentId: r.agentId } : {}),
      ...(r.note ? { note: r.note } : {}),
      resolvedAt: r.now.toISOString(),
    };
    await tx.query(INSERT_RESOLUTION, [item.id, item.workflow_id, JSON.stringify(payload), r.now]);
  }

  /**
   * Offers an item that a committed change put back in a push queue. Best effort: the change has
   * happened whatever this does, and the dispatcher offers what is still queued on its next tick, so
   * a failure here is reported (with the item) rather than thrown at the caller.
   */
  async offerIfPush(item: WorkItemRow, known: { distribution?: string; onFailure?: ItemFailureHandler } = {}): Promise<void> {
    if (item.status !== 'queued') return;
    try {
      const distribution =
        known.distribution ?? (await this.db.run<{ distribution: string }>(`SELECT distribution FROM routing.queue WHERE name = $1`, [item.queue_name]))[0]?.distribution;
      if (distribution === 'push') await this.offerWorkItem(item.id);
    } catch (error) {
      this.reportFailure({ operation: 'offer', workItemId: item.id, error }, known.onFailure);
    }
  }

  async lockAgent(tx: Tx, agentId: string): Promise<AgentRow> {
    const [agent] = await tx.query<AgentRow>(LOCK_AGENT, [agentId]);
    if (!agent) throw new RoutingNotFoundError('agent', agentId);
    return agent;
  }

  async queueRow(tx: Tx, name: string): Promise<QueueRow> {
    const [queue] = await tx.query<QueueRow>(`SELECT * FROM routing.queue WHERE name = $1`, [name]);
    if (!queue) throw new RoutingNotFoundError('queue', name);
    return queue;
  }

  /** Locks an offer's agent-held item after the agent; the offer must be this agent's and pending. */
  async lockOffer(tx: Tx, offerId: string, agentId: string): Promise<{ offer: OfferRow; item: WorkItemRow }> {
    const [offer] = await tx.query<OfferRow>(`SELECT * FROM routing.offer WHERE id = $1 FOR UPDATE`, [offerId]);
    if (!offer || offer.agent_id !== agentId) throw new RoutingNotFoundError('offer', offerId);
    if (offer.status !== 'pending') throw new RoutingConflictError(`offer ${offerId} is already ${offer.status}`);
    const [item] = await tx.query<WorkItemRow>(LOCK_ITEM, [offer.work_item_id]);
    return { offer, item: item! };
  }

  /** Locks an item and the agent holding it (agent first), retrying if it changed hands in between. */
  async lockItemAndHolder(tx: Tx, workItemId: string): Promise<{ item: WorkItemRow; agent: AgentRow | null }> {
    const [peek] = await tx.query<{ agent_id: string | null }>(PEEK_ITEM_AGENT, [workItemId]);
    if (!peek) throw new RoutingNotFoundError('work item', workItemId);
    const agent = peek.agent_id ? await this.lockAgent(tx, peek.agent_id) : null;
    const [item] = await tx.query<WorkItemRow>(LOCK_ITEM, [workItemId]);
    if (!item) throw new RoutingNotFoundError('work item', workItemId);
    if (item.agent_id !== peek.agent_id) throw new StateMovedError();
    return { item, agent };
  }

  /** Locks an item the given agent must hold in one of `statuses`. */
  async lockHeldItem(tx: Tx, workItemId: string, agentId: string, statuses: WorkItemStatus[]): Promise<{ item: WorkItemRow }> {
    await this.lockAgent(tx, agentId);
    const [item] = await tx.query<WorkItemRow>(LOCK_ITEM, [workItemId]);
    if (!item) throw new RoutingNotFoundError('work item', workItemId);
    if (item.agent_id !== agentId || !ACTIVE.has(item.status)) throw new RoutingConflictError(`agent ${agentId} does not hold work item ${workItemId}`);
    if (!statuses.includes(item.status)) throw new RoutingConflictError(`work item ${workItemId} is ${item.status}; expected ${statuses.join(' or ')}`);
    return { item };
  }

  checkId(id: string, entity: 'work item' | 'offer'): void {
    if (!uuid.safeParse(id).success) throw new RoutingNotFoundError(entity, id);
  }

  /** The precise reason an agent could not act on an item it was expected to hold. */
  async whyNotHeld(workItemId: string, agentId: string, statuses: WorkItemStatus[]): Promise<Error> {
    const [agent] = await this.db.run(`SELECT 1 FROM routing.agent WHERE id = $1`, [agentId]);
    if (!agent) return new RoutingNotFoundError('agent', agentId);
    const [item] = await this.db.run<{ status: WorkItemStatus; agent_id: string | null }>(`SELECT status, agent_id FROM routing.work_item WHERE id = $1`, [workItemId]);
    if (!item) return new RoutingNotFoundError('work item', workItemId);
    if (item.agent_id !== agentId || !ACTIVE.has(item.status)) return new RoutingConflictError(`agent ${agentId} does not hold work item ${workItemId}`);
    return new RoutingConflictError(`work item ${workItemId} is ${item.status}; expected ${statuses.join(' or ')}`);
  }
}

export function isTerminal(status: WorkItemStatus): boolean {
  return status === 'completed' || status === 'transferred' || status === 'abandoned';
}

const DATE_FIELDS = ['created_at', 'queued_at', 'answered_at', 'assigned_at', 'wrapping_at', 'ended_at', 'updated_at'] as const;

/** A work item row that went through `to_jsonb`/row-to-json has ISO strings for timestamps. */
export function reviveItem(raw: WorkItemRow): WorkItemRow {
  const row = { ...raw } as unknown as Record<string, unknown>;
  for (const f of DATE_FIELDS) if (typeof row[f] === 'string') row[f] = new Date(row[f]);
  return row as unknown as WorkItemRow;
}
