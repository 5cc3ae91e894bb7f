import { type Channel, type WorkItemResolution, channelSchema } from '@tandem/contracts';
import pLimit, { type Limit } from 'p-limit';
import { type DataSource } from 'typeorm';
import { z } from 'zod';
import { RoutingDb, StateMovedError, type Tx } from './db';
import { InvalidRoutingInputError, RoutingConflictError, RoutingNotFoundError, parseInput } from './errors';
import { noopEventSink, type RoutingEventSink } from './events';
import {
  actorLabel,
  agentStatusSchema,
  completionSchema,
  createWorkItemInputSchema,
  mergeSkills,
  systemClock,
  transferSchema,
  workItemFilterSchema,
  type Actor,
  type AgentStatus,
  type Clock,
  type Completion,
  type CreateWorkItemInput,
  type HistoryEntry,
  type HistoryType,
  type Offer,
  type Transfer,
  type TransferNote,
  type WorkItem,
  type WorkItemFilter,
  type WorkItemStatus,
} from './model';
import {
  toEvent,
  toHistoryEntry,
  toOffer,
  toWorkItem,
  type AgentRow,
  type HistoryRow,
  type OfferRow,
  type QueueRow,
  type WorkItemRow,
} from './rows';
import {
  ADJUST_LOAD,
  CLAIM,
  CLAIM_THOROUGH,
  COMPLETE_HELD_ITEM,
  COMPLETE_ITEM,
  DISPATCH_CANDIDATES,
  INSERT_HISTORY,
  INSERT_RESOLUTION,
  LOCK_AGENT,
  LOCK_ITEM,
  PEEK_ITEM_AGENT,
  PICK_AGENT_FOR_OFFER,
} from './sql';

/** What every routing service is built from. */
export interface RoutingServiceOptions {
  /** A DataSource whose database has `routingMigrations` applied. */
  dataSource: DataSource;
  /** The current time; tests pass a controllable clock. Defaults to the system clock. */
  clock?: Clock;
  /** Receives each state change's events inside its transaction (e.g. an outbox). Defaults to none. */
  eventSink?: RoutingEventSink;
}

/** The default of {@link WorkRouterOptions.maxConcurrentClaims}. */
export const DEFAULT_MAX_CONCURRENT_CLAIMS = 4;

export interface WorkRouterOptions extends RoutingServiceOptions {
  /**
   * How many claims this router runs against the database at once; more wait their turn here, in
   * order. Claims are CPU-bound in PostgreSQL and contend on the queue heads, so past about twice the
   * database's cores more concurrent claims only slow each other down (measured: 4 at a time on a
   * 2-core server claimed 1,637/s with p99 23 ms for 16 eager agents; 20 at a time, 1,092/s with p99
   * 41 ms — see docs/routing.md). Default 4; raise it with the database's cores.
   */
  maxConcurrentClaims?: number;
}

/** A pending offer with the item it reserves, as an agent desktop shows it. */
export interface PendingOffer {
  offer: Offer;
  workItem: WorkItem;
}

export interface ClaimOptions {
  /** Claim only from these of the agent's queues. */
  queues?: string[];
  /** Claim only items of these channels. */
  channels?: Channel[];
}

const uuid = z.uuid();
const claimOptionsSchema = z.object({
  queues: z.array(z.string().min(1)).max(200).optional(),
  channels: z.array(channelSchema).max(10).optional(),
});

/**
 * The routing engine: creates work items, hands them to agents (pull: `claim`; push: offers with
 * expiry), and moves them through wrap-up, transfer, release and completion. Every state change
 * writes a history row and its event in the same transaction. Methods read the time from the clock.
 *
 * @example
 * const router = new WorkRouter({ dataSource });
 * const { workItem } = await router.createWorkItem({ workflowId, stepId: 'esc', visit: 0, queue: 'billing', handoff });
 * const mine = await router.claim('alice');
 * await router.completeWorkItem(mine!.id, 'alice', { outcome: 'resolved', reasonTags: ['refund'] });
 */
export class WorkRouter {
  private readonly db: RoutingDb;
  private readonly now: Clock;
  /** Counters for metrics: claims attempted, and how many needed the thorough pass (contention). */
  readonly counters = { claims: 0, claimsAssigned: 0, thoroughClaims: 0 };

  private readonly claimGate: Limit;

  constructor(options: WorkRouterOptions) {
    const maxClaims = options.maxConcurrentClaims ?? DEFAULT_MAX_CONCURRENT_CLAIMS;
    if (!Number.isInteger(maxClaims) || maxClaims < 1 || maxClaims > 1_000) {
      throw new InvalidRoutingInputError('router options', [{ path: 'maxConcurrentClaims', message: `must be a whole number from 1 to 1000 (got ${String(options.maxConcurrentClaims)})` }]);
    }
    this.claimGate = pLimit(maxClaims);
    this.now = options.clock ?? systemClock;
    this.db = new RoutingDb(options.dataSource, options.eventSink ?? noopEventSink, options.eventSink === undefined || options.eventSink === noopEventSink);
  }

  // ---------------------------------------------------------------------------------------------
  // Create

  /**
   * Creates the work item for one escalation, idempotently: the same (workflowId, stepId, visit)
   * returns the item created the first time (`created: false`), whatever else the retry carries.
   */
  async createWorkItem(input: CreateWorkItemInput): Promise<{ workItem: WorkItem; created: boolean }> {
    const data = parseInput(createWorkItemInputSchema, input, 'work item');
    const now = this.now();
    const result = await this.db.transaction(async (tx) => {
      const [queue] = await tx.query<QueueRow>(`SELECT * FROM routing.queue WHERE name = $1`, [data.queue]);
      if (!queue) throw new RoutingNotFoundError('queue', data.queue);
      const required = mergeSkills(queue.skills, data.requiredSkills);
      const [inserted] = await tx.query<WorkItemRow>(
        `INSERT INTO routing.work_item (workflow_id, step_id, visit, contact_id, queue_name, channel, priority,
           requested_skills, required_skills, handoff, status, created_at, queued_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'queued', $11, $11, $11)
         ON CONFLICT (workflow_id, step_id, visit) DO NOTHING
         RETURNING *`,
        [
          data.workflowId,
          data.stepId,
          data.visit,
          data.handoff.contactId,
          data.queue,
          data.handoff.channel,
          data.priority,
          JSON.stringify(data.requiredSkills),
          JSON.stringify(required),
          JSON.stringify(data.handoff),
          now,
        ],
      );
      if (!inserted) {
        const [existing] = await tx.query<WorkItemRow>(`SELECT * FROM routing.work_item WHERE workflow_id = $1 AND step_id = $2 AND visit = $3`, [
          data.workflowId,
          data.stepId,
          data.visit,
        ]);
        return { row: existing!, created: false, distribution: queue.distribution };
      }
      await this.record(tx, inserted, { type: 'created', from: null, to: 'queued', agentId: null, actor: { kind: 'workflow' }, now });
      tx.notify({ type: 'created', workItemId: inserted.id, queue: inserted.queue_name });
      return { row: inserted, created: true, distribution: queue.distribution };
    });
    if (result.created && result.distribution === 'push') await this.offerWorkItem(result.row.id);
    return { workItem: toWorkItem(result.row), created: result.created };
  }

  async getWorkItem(id: string): Promise<WorkItem> {
    this.checkId(id, 'work item');
    const [row] = await this.db.run<WorkItemRow>(`SELECT * FROM routing.work_item WHERE id = $1`, [id]);
    if (!row) throw new RoutingNotFoundError('work item', id);
    return toWorkItem(row);
  }

  /**
   * Work items by queue, status, agent or contact (all given filters apply), oldest first, at most
   * `limit` (default 100). A read: it locks nothing.
   */
  async listWorkItems(filter: WorkItemFilter = {}): Promise<WorkItem[]> {
    const f = parseInput(workItemFilterSchema, filter, 'work item filter');
    const where: string[] = [];
    const values: unknown[] = [];
    if (f.queue) where.push(`queue_name = $${values.push(f.queue)}`);
    if (f.statuses?.length) where.push(`status = ANY ($${values.push(f.statuses)}::text[])`);
    if (f.agentId) where.push(`agent_id = $${values.push(f.agentId)}`);
    if (f.contactId) where.push(`contact_id = $${values.push(f.contactId)}`);
    const rows = await this.db.run<WorkItemRow>(
      `SELECT * FROM routing.work_item ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY queued_at, id LIMIT $${values.push(f.limit)}`,
      values,
    );
    return rows.map(toWorkItem);
  }

  /** Every state change of an item, oldest first. */
  async history(workItemId: string): Promise<HistoryEntry[]> {
    this.checkId(workItemId, 'work item');
    const rows = await this.db.run<HistoryRow>(`SELECT * FROM routing.work_item_history WHERE work_item_id = $1 ORDER BY seq`, [workItemId]);
    return rows.map(toHistoryEntry);
  }

  // ---------------------------------------------------------------------------------------------
  // Pull

  /**
   * Assigns the agent the best item it may take right now, or returns null when there is none: its
   * skills meet the item's requirement (after relaxation), it has capacity left on the item's
   * channel, it is available; highest aged priority first, then the oldest. Atomic: concurrent
   * claimers never get the same item. Throws if the agent does not exist.
   */
  async claim(agentId: string, options: ClaimOptions = {}): Promise<WorkItem | null> {
    const opts = parseInput(claimOptionsSchema, options, 'claim options');
    return this.claimGate(() => this.claimNow(agentId, opts));
  }

  /** Claims in flight against the database and waiting for their turn (see `maxConcurrentClaims`). */
  claimLoad(): { running: number; waiting: number } {
    return { running: this.claimGate.activeCount, waiting: this.claimGate.pendingCount };
  }

  private async claimNow(agentId: string, opts: z.infer<typeof claimOptionsSchema>): Promise<WorkItem | null> {
    const now = this.now();
    const values = [agentId, now, opts.queues ?? null, opts.channels ?? null];
    // A row comes back even when nothing was claimed: it carries how many candidates were seen.
    type ClaimRow = WorkItemRow & { history_seq: string; history_event_id: string; candidates: number };
    const toHistory = (r: ClaimRow): HistoryRow => ({
      seq: r.history_seq,
      event_id: r.history_event_id,
      work_item_id: r.id,
      type: 'assigned',
      from_status: 'queued',
      to_status: 'assigned',
      queue_name: r.queue_name,
      agent_id: agentId,
      actor: `agent:${agentId}`,
      reason: 'claimed',
      details: {},
      at: now,
    });
    const attempt = async (statement: typeof CLAIM): Promise<ClaimRow | undefined> => {
      if (this.db.sinkIsNoop) {
        // One statement, autocommit: the CTE already writes the item, the load and the history atomically.
        return (await this.db.run<ClaimRow>(statement, values))[0];
      }
      return this.db.transaction(async (tx) => {
        const [r] = await tx.query<ClaimRow>(statement, values);
        if (r?.id) tx.events.push(toEvent(toHistory(r), r));
        return r;
      });
    };
    this.counters.claims++;
    let row = await attempt(CLAIM);
    // Every candidate was held by a concurrent claimer: look past them.
    if (row && !row.id && row.candidates > 0) {
      this.counters.thoroughClaims++;
      row = await attempt(CLAIM_THOROUGH);
    }
    if (row?.id) {
      this.counters.claimsAssigned++;
      const { history_seq: _s, history_event_id: _e, candidates: _c, ...item } = row;
      return toWorkItem(item);
    }
    const [agent] = await this.db.run<{ status: AgentStatus }>(`SELECT status FROM routing.agent WHERE id = $1`, [agentId]);
    if (!agent) throw new RoutingNotFoundError('agent', agentId);
    return null;
  }

  // ---------------------------------------------------------------------------------------------
  // Push

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

  /**
   * Offers queued items of push queues, best first, to the agents who can take them; returns the
   * offers made. Call it when work or capacity appears (notifications) and periodically.
   */
  async dispatchOffers(options: { queues?: string[]; limit?: number } = {}): Promise<Offer[]> {
    const limit = options.limit ?? 100;
    const candidates = await this.db.run<{ id: string }>(DISPATCH_CANDIDATES, [this.now(), options.queues ?? null, limit]);
    const offers: Offer[] = [];
    for (const { id } of candidates) {
      const offer = await this.offerWorkItem(id);
      if (offer) offers.push(offer);
    }
    return offers;
  }

  /** The agent accepts an offer: the item is assigned to it. */
  async acceptOffer(offerId: string, agentId: string): Promise<WorkItem> {
    this.checkId(offerId, 'offer');
    const now = this.now();
    return this.db.transaction(async (tx) => {
      await this.lockAgent(tx, agentId);
      const { offer, item } = await this.lockOffer(tx, offerId, agentId);
      if (offer.expires_at.getTime() <= now.getTime()) {
        throw new RoutingConflictError(`offer ${offerId} expired at ${offer.expires_at.toISOString()}`);
      }
      await tx.query(`UPDATE routing.offer SET status = 'accepted', responded_at = $2 WHERE id = $1`, [offerId, now]);
      const [assigned] = await tx.query<WorkItemRow>(
        `UPDATE routing.work_item SET status = 'assigned', assigned_at = $2, answered_at = COALESCE(answered_at, $2), updated_at = $2
         WHERE id = $1 RETURNING *`,
        [item.id, now],
      );
      await this.record(tx, assigned!, { type: 'accepted', from: 'offered', to: 'assigned', agentId, actor: { kind: 'agent', id: agentId }, now, details: { offerId } });
      tx.notify({ type: 'offer_closed', offerId, workItemId: item.id, agentId, queue: item.queue_name });
      return toWorkItem(assigned!);
    });
  }

  /** The agent declines an offer: the item goes back to its queue and is offered to the next agent. */
  async rejectOffer(offerId: string, agentId: string, reason = 'rejected'): Promise<WorkItem> {
    this.checkId(offerId, 'offer');
    const now = this.now();
    const item = await this.db.transaction(async (tx) => {
      await this.lockAgent(tx, agentId);
      const { offer, item } = await this.lockOffer(tx, offerId, agentId);
      await tx.query(`UPDATE routing.offer SET status = 'rejected', responded_at = $2, reason = $3 WHERE id = $1`, [offer.id, now, reason]);
      return this.requeue(tx, item, { type: 'rejected', actor: { kind: 'agent', id: agentId }, reason, now, details: { offerId } });
    });
    await this.offerIfPush(item);
    return toWorkItem(item);
  }

  /**
   * Expires pending offers whose time is up: their items go back to the queue (attempts + 1) and are
   * re-offered to another agent. Returns how many expired. Call it periodically (the maintenance loop does).
   */
  async expireOffers(options: { limit?: number } = {}): Promise<number> {
    const now = this.now();
    const due = await this.db.run<{ id: string; agent_id: string }>(
      `SELECT id, agent_id FROM routing.offer WHERE status = 'pending' AND expires_at <= $1 ORDER BY expires_at LIMIT $2`,
      [now, options.limit ?? 500],
    );
    let expired = 0;
    for (const due1 of due) {
      const item = await this.db.transaction(async (tx) => {
        await this.lockAgent(tx, due1.agent_id);
        const [offer] = await tx.query<OfferRow>(`SELECT * FROM routing.offer WHERE id = $1 FOR UPDATE`, [due1.id]);
        if (!offer || offer.status !== 'pending' || offer.expires_at.getTime() > now.getTime()) return null;
        const [item] = await tx.query<WorkItemRow>(LOCK_ITEM, [offer.work_item_id]);
        await tx.query(`UPDATE routing.offer SET status = 'expired', responded_at = $2, reason = 'no answer in time' WHERE id = $1`, [offer.id, now]);
        return this.requeue(tx, item!, { type: 'expired', actor: { kind: 'system' }, reason: 'offer_expired', now, details: { offerId: offer.id } });
      });
      if (item) {
        expired++;
        await this.offerIfPush(item);
      }
    }
    return expired;
  }

  /** The agent's offers still waiting for an answer: what a desktop shows after (re)connecting. */
  async pendingOffersFor(agentId: string): Promise<PendingOffer[]> {
    const rows = await this.db.run<OfferRow & { item: WorkItemRow }>(
      `SELECT o.*, to_jsonb(w) AS item FROM routing.offer o JOIN routing.work_item w ON w.id = o.work_item_id
       WHERE o.agent_id = $1 AND o.status = 'pending' AND o.expires_at > $2 ORDER BY o.offered_at`,
      [agentId, this.now()],
    );
    return rows.map(({ item, ...offer }) => ({ offer: toOffer(offer), workItem: toWorkItem(reviveItem(item)) }));
  }

  // ---------------------------------------------------------------------------------------------
  // Handling

  /** The conversation is over; the agent does after-contact work (the item still counts against capacity). */
  async beginWrapUp(workItemId: string, agentId: string): Promise<WorkItem> {
    this.checkId(workItemId, 'work item');
    const now = this.now();
    return this.db.transaction(async (tx) => {
      const { item } = await this.lockHeldItem(tx, workItemId, agentId, ['assigned']);
      const [wrapping] = await tx.query<WorkItemRow>(
        `UPDATE routing.work_item SET status = 'wrapping', wrapping_at = $2, updated_at = $2 WHERE id = $1 RETURNING *`,
        [item.id, now],
      );
      await this.record(tx, wrapping!, { type: 'wrapping', from: 'assigned', to: 'wrapping', agentId, actor: { kind: 'agent', id: agentId }, now });
      return toWorkItem(wrapping!);
    });
  }

  /**
   * Finishes an item (from assigned or wrapping) with an outcome and reason tags, frees the agent's
   * capacity, and queues the `workItemResolved` signal to the contact's workflow in the same
   * transaction (delivered by `ResolutionOutbox`, exactly once per item).
   */
  async completeWorkItem(workItemId: string, agentId: string, completion: Completion): Promise<WorkItem> {
    this.checkId(workItemId, 'work item');
    const data = parseInput(completionSchema, completion, 'completion');
    const now = this.now();
    const status: WorkItemStatus = data.outcome === 'transferred' ? 'transferred' : data.outcome === 'abandoned' ? 'abandoned' : 'completed';
    const payload: WorkItemResolution = {
      schemaVersion: 1,
      workItemId,
      outcome: data.outcome,
      reasonTags: data.reasonTags,
      agentId,
      ...(data.note ? { note: data.note } : {}),
      resolvedAt: now.toISOString(),
    };
    type CompleteRow = WorkItemRow & {
      previous_status: WorkItemStatus;
      history_seq: string;
      history_event_id: string;
      history_details: Record<string, unknown>;
      notified: string;
    };
    const values = [agentId, workItemId, status, data.outcome, data.reasonTags, data.note ?? null, now, JSON.stringify(payload)];
    const row = this.db.sinkIsNoop
      ? (await this.db.run<CompleteRow>(COMPLETE_HELD_ITEM, values))[0]
      : await this.db.transaction(async (tx) => {
          const [r] = await tx.query<CompleteRow>(COMPLETE_HELD_ITEM, values);
          if (r) {
            const history: HistoryRow = {
              seq: r.history_seq,
              event_id: r.history_event_id,
              work_item_id: r.id,
              type: 'completed',
              from_status: r.previous_status,
              to_status: status,
              queue_name: r.queue_name,
              agent_id: agentId,
              actor: `agent:${agentId}`,
              reason: data.outcome,
              details: r.history_details,
              at: now,
            };
            tx.events.push(toEvent(history, r));
          }
          return r;
        });
    if (!row) throw await this.whyNotHeld(workItemId, agentId, ['assigned', 'wrapping']);
    const { previous_status: _p, history_seq: _s, history_event_id: _e, history_details: _d, notified: _n, ...item } = row;
    return toWorkItem(item);
  }

  /** The precise reason an agent could not act on an item it was expected to hold. */
  private async whyNotHeld(workItemId: string, agentId: string, statuses: WorkItemStatus[]): Promise<Error> {
    const [agent] = await this.db.run(`SELECT 1 FROM routing.agent WHERE id = $1`, [agentId]);
    if (!agent) return new RoutingNotFoundError('agent', agentId);
    const [item] = await this.db.run<{ status: WorkItemStatus; agent_id: string | null }>(`SELECT status, agent_id FROM routing.work_item WHERE id = $1`, [workItemId]);
    if (!item) return new RoutingNotFoundError('work item', workItemId);
    if (item.agent_id !== agentId || !ACTIVE.has(item.status)) return new RoutingConflictError(`agent ${agentId} does not hold work item ${workItemId}`);
    return new RoutingConflictError(`work item ${workItemId} is ${item.status}; expected ${statuses.join(' or ')}`);
  }

  /**
   * Moves an item to another queue (queued there, ordered from now) or offers it to one agent (who
   * must be available with capacity on the channel). The handoff package stays; the note is appended
   * to the item's notes. Allowed while queued, offered or assigned.
   */
  async transferWorkItem(workItemId: string, transfer: Transfer): Promise<WorkItem> {
    this.checkId(workItemId, 'work item');
    const data = parseInput(transferSchema, transfer, 'transfer');
    const now = this.now();
    const item = await this.db.transaction(async (tx) => this.transferIn(tx, workItemId, data, now, 'transfer'));
    await this.offerIfPush(item);
    return toWorkItem(item);
  }

  /**
   * The customer left, or the flow withdrew the item: it ends as `abandoned` wherever it was.
   * `notifyWorkflow` (default: unless the workflow itself asked) queues a `workItemResolved` signal
   * with outcome `abandoned`.
   */
  /**
   * Raises a waiting item's base priority by `by` points (capped at 1000), e.g. when its SLA is breached;
   * its age in the queue is kept. Items no longer waiting (taken or finished) are left as they are.
   */
  async raisePriority(workItemId: string, by: number, options: { actor: Actor; reason: string }): Promise<WorkItem> {
    this.checkId(workItemId, 'work item');
    if (!Number.isInteger(by) || by < 1 || by > 1000) throw new InvalidRoutingInputError('priority raise', [{ path: 'by', message: 'an integer from 1 to 1000' }]);
    const now = this.now();
    return this.db.transaction(async (tx) => {
      const { item } = await this.lockItemAndHolder(tx, workItemId);
      if (item.status !== 'queued' && item.status !== 'offered') return toWorkItem(item);
      const [raised] = await tx.query<WorkItemRow>(
        `UPDATE routing.work_item SET priority = LEAST(1000, priority + $2), updated_at = $3 WHERE id = $1 RETURNING *`,
        [item.id, by, now],
      );
      await this.record(tx, raised!, {
        type: 'reprioritized',
        from: item.status,
        to: item.status,
        agentId: item.agent_id,
        actor: options.actor,
        reason: options.reason,
        now,
        details: { from: item.priority, to: raised!.priority },
      });
      return toWorkItem(raised!);
    });
  }

  async abandonWorkItem(workItemId: string, options: { actor: Actor; reason: string; notifyWorkflow?: boolean }): Promise<WorkItem> {
    this.checkId(workItemId, 'work item');
    const now = this.now();
    const notifyWorkflow = options.notifyWorkflow ?? options.actor.kind !== 'workflow';
    return this.db.transaction(async (tx) => {
      const { item } = await this.lockItemAndHolder(tx, workItemId);
      if (isTerminal(item.status)) throw new RoutingConflictError(`work item ${item.id} is already ${item.status}`);
      await this.releaseHold(tx, item, now);
      const [done] = await tx.query<WorkItemRow>(COMPLETE_ITEM, [item.id, 'abandoned', 'abandoned', [], null, now]);
      await this.record(tx, done!, { type: 'abandoned', from: item.status, to: 'abandoned', agentId: item.agent_id, actor: options.actor, reason: options.reason, now });
      if (notifyWorkflow) await this.enqueueResolution(tx, done!, { outcome: 'abandoned', reasonTags: [], agentId: item.agent_id ?? undefined, note: options.reason, now });
      return toWorkItem(done!);
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Agents

  /**
   * Changes an agent's status. `available` makes it eligible (idle since now if it holds nothing).
   * `away` revokes its pending offers but keeps its assigned work. `offline` also gives back its
   * assigned items: they return to their queue (attempts + 1, history says why). Items in wrap-up stay
   * with the agent (the conversation is over; only its after-contact work is left).
   */
  async setAgentStatus(agentId: string, status: AgentStatus, options: { reason?: string } = {}): Promise<{ released: WorkItem[] }> {
    const target = parseInput(agentStatusSchema, status, 'agent status');
    const now = this.now();
    const released = await this.db.transaction(async (tx) => {
      const agent = await this.lockAgent(tx, agentId);
      const releaseStatuses: WorkItemStatus[] = target === 'offline' ? ['offered', 'assigned'] : target === 'away' ? ['offered'] : [];
      const items = releaseStatuses.length
        ? await tx.query<WorkItemRow>(`SELECT * FROM routing.work_item WHERE agent_id = $1 AND status = ANY ($2) ORDER BY id FOR UPDATE`, [agentId, releaseStatuses])
        : [];
      const reason = options.reason ?? `agent_${target}`;
      const requeued: WorkItemRow[] = [];
      for (const item of items) {
        if (item.status === 'offered') {
          await tx.query(`UPDATE routing.offer SET status = 'revoked', responded_at = $2, reason = $3 WHERE work_item_id = $1 AND status = 'pending'`, [item.id, now, reason]);
        }
        requeued.push(await this.requeue(tx, item, { type: 'released', actor: { kind: 'system' }, reason, now, adjustLoad: false }));
      }
      await tx.query(
        `UPDATE routing.agent a SET status = $2,
           status_changed_at = CASE WHEN a.status = $2 THEN a.status_changed_at ELSE $3 END,
           load = COALESCE((SELECT jsonb_object_agg(channel, n) FROM (
                    SELECT channel, count(*) AS n FROM routing.work_item WHERE agent_id = $1 AND status IN ('offered', 'assigned', 'wrapping') GROUP BY channel) c), '{}'::jsonb),
           last_idle_since = CASE
             WHEN $2 <> 'available' THEN NULL
             WHEN EXISTS (SELECT 1 FROM routing.work_item WHERE agent_id = $1 AND status IN ('offered', 'assigned', 'wrapping')) THEN NULL
             WHEN a.status = 'available' THEN COALESCE(a.last_idle_since, $3)
             ELSE $3 END,
           updated_at = $3
         WHERE id = $1`,
        [agentId, target, now],
      );
      if (target === 'available' && agent.status !== 'available') tx.notify({ type: 'agent_available', agentId });
      return requeued;
    });
    for (const item of released) await this.offerIfPush(item);
    return { released: released.map(toWorkItem) };
  }

  // ---------------------------------------------------------------------------------------------
  // Overflow

  /**
   * Moves items that have waited longer than their queue's `maxWaitSeconds` to its overflow queue
   * (a transfer by the system, reason `max_wait_exceeded`). Returns how many moved.
   */
  async overflowWaitingItems(options: { limit?: number } = {}): Promise<number> {
    const now = this.now();
    const due = await this.db.run<{ id: string; overflow_queue: string }>(
      `SELECT w.id, q.overflow_queue FROM routing.work_item w JOIN routing.queue q ON q.name = w.queue_name
       WHERE w.status = 'queued' AND q.overflow_queue IS NOT NULL AND q.max_wait_seconds IS NOT NULL
         AND w.queued_at <= $1::timestamptz - make_interval(secs => q.max_wait_seconds)
       ORDER BY w.queued_at LIMIT $2`,
      [now, options.limit ?? 500],
    );
    let moved = 0;
    for (const d of due) {
      const item = await this.db.transaction(async (tx) => {
        const [current] = await tx.query<WorkItemRow>(`SELECT * FROM routing.work_item WHERE id = $1 AND status = 'queued' FOR UPDATE`, [d.id]);
        if (!current) return null;
        const transfer = parseInput(transferSchema, { toQueue: d.overflow_queue, by: { kind: 'system' }, note: 'waited longer than the queue allows' }, 'transfer');
        return this.transferIn(tx, d.id, transfer, now, 'max_wait_exceeded');
      });
      if (item) {
        moved++;
        await this.offerIfPush(item);
      }
    }
    return moved;
  }

  // ---------------------------------------------------------------------------------------------
  // Internals

  private async transferIn(tx: Tx, workItemId: string, data: z.output<typeof transferSchema>, now: Date, reason: string): Promise<WorkItemRow> {
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

  private async createOffer(tx: Tx, item: WorkItemRow, agentId: string, timeoutSeconds: number, actor: Actor, reason: string, now: Date): Promise<Offer> {
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
  private async requeue(
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
  private async releaseHold(tx: Tx, item: WorkItemRow, now: Date): Promise<void> {
    if (item.status === 'offered') {
      await tx.query(`UPDATE routing.offer SET status = 'revoked', responded_at = $2, reason = 'moved' WHERE work_item_id = $1 AND status = 'pending'`, [item.id, now]);
    }
    if (item.agent_id && ['offered', 'assigned', 'wrapping'].includes(item.status)) {
      await tx.query(ADJUST_LOAD, [item.agent_id, -1, item.channel, now]);
      tx.notify({ type: 'capacity_freed', agentId: item.agent_id, workItemId: item.id, queue: item.queue_name });
    }
  }

  private async record(
    tx: Tx,
    item: WorkItemRow,
    e: { type: HistoryType; from: WorkItemStatus | null; to: WorkItemStatus; agentId: string | null; actor: Actor; reason?: string; now: Date; details?: Record<string, unknown> },
  ): Promise<void> {
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
  }

  private async enqueueResolution(
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

  private async offerIfPush(item: WorkItemRow): Promise<void> {
    if (item.status !== 'queued') return;
    const [queue] = await this.db.run<{ distribution: string }>(`SELECT distribution FROM routing.queue WHERE name = $1`, [item.queue_name]);
    if (queue?.distribution === 'push') await this.offerWorkItem(item.id);
  }

  private async lockAgent(tx: Tx, agentId: string): Promise<AgentRow> {
    const [agent] = await tx.query<AgentRow>(LOCK_AGENT, [agentId]);
    if (!agent) throw new RoutingNotFoundError('agent', agentId);
    return agent;
  }

  private async queueRow(tx: Tx, name: string): Promise<QueueRow> {
    const [queue] = await tx.query<QueueRow>(`SELECT * FROM routing.queue WHERE name = $1`, [name]);
    if (!queue) throw new RoutingNotFoundError('queue', name);
    return queue;
  }

  /** Locks an offer's agent-held item after the agent; the offer must be this agent's and pending. */
  private async lockOffer(tx: Tx, offerId: string, agentId: string): Promise<{ offer: OfferRow; item: WorkItemRow }> {
    const [offer] = await tx.query<OfferRow>(`SELECT * FROM routing.offer WHERE id = $1 FOR UPDATE`, [offerId]);
    if (!offer || offer.agent_id !== agentId) throw new RoutingNotFoundError('offer', offerId);
    if (offer.status !== 'pending') throw new RoutingConflictError(`offer ${offerId} is already ${offer.status}`);
    const [item] = await tx.query<WorkItemRow>(LOCK_ITEM, [offer.work_item_id]);
    return { offer, item: item! };
  }

  /** Locks an item and the agent holding it (agent first), retrying if it changed hands in between. */
  private async lockItemAndHolder(tx: Tx, workItemId: string): Promise<{ item: WorkItemRow; agent: AgentRow | null }> {
    const [peek] = await tx.query<{ agent_id: string | null }>(PEEK_ITEM_AGENT, [workItemId]);
    if (!peek) throw new RoutingNotFoundError('work item', workItemId);
    const agent = peek.agent_id ? await this.lockAgent(tx, peek.agent_id) : null;
    const [item] = await tx.query<WorkItemRow>(LOCK_ITEM, [workItemId]);
    if (!item) throw new RoutingNotFoundError('work item', workItemId);
    if (item.agent_id !== peek.agent_id) throw new StateMovedError();
    return { item, agent };
  }

  /** Locks an item the given agent must hold in one of `statuses`. */
  private async lockHeldItem(tx: Tx, workItemId: string, agentId: string, statuses: WorkItemStatus[]): Promise<{ item: WorkItemRow }> {
    await this.lockAgent(tx, agentId);
    const [item] = await tx.query<WorkItemRow>(LOCK_ITEM, [workItemId]);
    if (!item) throw new RoutingNotFoundError('work item', workItemId);
    if (item.agent_id !== agentId || !ACTIVE.has(item.status)) throw new RoutingConflictError(`agent ${agentId} does not hold work item ${workItemId}`);
    if (!statuses.includes(item.status)) throw new RoutingConflictError(`work item ${workItemId} is ${item.status}; expected ${statuses.join(' or ')}`);
    return { item };
  }

  private checkId(id: string, entity: 'work item' | 'offer'): void {
    if (!uuid.safeParse(id).success) throw new RoutingNotFoundError(entity, id);
  }
}

const ACTIVE = new Set<WorkItemStatus>(['offered', 'assigned', 'wrapping']);

function isTerminal(status: WorkItemStatus): boolean {
  return status === 'completed' || status === 'transferred' || status === 'abandoned';
}


const DATE_FIELDS = ['created_at', 'queued_at', 'answered_at', 'assigned_at', 'wrapping_at', 'ended_at', 'updated_at'] as const;

/** A work item row that went through `to_jsonb`/row-to-json has ISO strings for timestamps. */
function reviveItem(raw: WorkItemRow): WorkItemRow {
  const row = { ...raw } as unknown as Record<string, unknown>;
  for (const f of DATE_FIELDS) if (typeof row[f] === 'string') row[f] = new Date(row[f]);
  return row as unknown as WorkItemRow;
}

