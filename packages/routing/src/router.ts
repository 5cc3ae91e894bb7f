import pLimit, { type Limit } from 'p-limit';
import { type DataSource } from 'typeorm';
import { claimNow, claimOptionsSchema, type ClaimOptions } from './claims';
import { RoutingDb } from './db';
import { InvalidRoutingInputError, parseInput } from './errors';
import { deferredEventSink, noopEventSink, type RoutingEvent, type RoutingEventSink } from './events';
import * as handling from './handling';
import { warnItemFailure, type ItemFailureHandler } from './item-failures';
import {
  systemClock,
  type Actor,
  type AgentStatus,
  type Clock,
  type Completion,
  type CreateWorkItemInput,
  type HistoryEntry,
  type Offer,
  type Transfer,
  type WorkItem,
  type WorkItemFilter,
} from './model';
import * as offers from './offers';
import { type PendingOffer } from './offers';
import { RouterCore, type RouterCounters } from './router-core';
import * as sweeps from './sweeps';
import { type SweepOptions } from './sweeps';

export type { ClaimOptions } from './claims';
export type { PendingOffer } from './offers';
export type { SweepOptions } from './sweeps';

/** What every routing service is built from. */
export interface RoutingServiceOptions {
  /** A DataSource whose database has `routingMigrations` applied. */
  dataSource: DataSource;
  /** The current time; tests pass a controllable clock. Defaults to the system clock. */
  clock?: Clock;
  /**
   * Receives each state change's events inside its transaction (e.g. an outbox). Without one, the
   * events wait in `routing.deferred_event` for a router that has one to publish them
   * (`publishDeferredEvents`); `noopEventSink` drops them (benchmarks, tools).
   */
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
  /**
   * Where failures on single items go when no call says otherwise: the sweeps' (offer expiry, overflow,
   * push dispatch) and the follow-up offer after a committed change (a reject, a release, a transfer,
   * a new item in a push queue), which never fails the change itself. Default: a line on stderr.
   */
  onItemFailure?: ItemFailureHandler;
}

/**
 * The routing engine: creates work items, hands them to agents (pull: `claim`; push: offers with
 * expiry), and moves them through wrap-up, transfer, release and completion. Every state change
 * writes a history row and its event in the same transaction. Methods read the time from the clock.
 * The operations live in `handling.ts`, `claims.ts`, `offers.ts` and `sweeps.ts`, over the shared
 * transitions and locks of `router-core.ts`.
 *
 * @example
 * const router = new WorkRouter({ dataSource });
 * const { workItem } = await router.createWorkItem({ workflowId, stepId: 'esc', visit: 0, queue: 'billing', handoff });
 * const mine = await router.claim('alice');
 * await router.completeWorkItem(mine!.id, 'alice', { outcome: 'resolved', reasonTags: ['refund'] });
 */
export class WorkRouter {
  private readonly core: RouterCore;
  /** Counters for metrics: claims attempted, how many needed the thorough pass (contention), item failures. */
  readonly counters: RouterCounters;

  private readonly claimGate: Limit;
  /** Whether this router has a sink of its own: only such a router publishes deferred events. */
  private readonly publishes: boolean;

  constructor(options: WorkRouterOptions) {
    const maxClaims = options.maxConcurrentClaims ?? DEFAULT_MAX_CONCURRENT_CLAIMS;
    if (!Number.isInteger(maxClaims) || maxClaims < 1 || maxClaims > 1_000) {
      throw new InvalidRoutingInputError('router options', [{ path: 'maxConcurrentClaims', message: `must be a whole number from 1 to 1000 (got ${String(options.maxConcurrentClaims)})` }]);
    }
    this.claimGate = pLimit(maxClaims);
    const sink = options.eventSink ?? deferredEventSink;
    this.publishes = sink !== deferredEventSink && sink !== noopEventSink;
    const db = new RoutingDb(options.dataSource, sink, sink === noopEventSink);
    this.core = new RouterCore(db, options.clock ?? systemClock, options.onItemFailure ?? warnItemFailure);
    this.counters = this.core.counters;
  }

  // ---------------------------------------------------------------------------------------------
  // Create and read

  /**
   * Creates the work item for one escalation, idempotently: the same (workflowId, stepId, visit)
   * returns the item created the first time (`created: false`), whatever else the retry carries. In
   * a push queue it is offered at once; if that fails the item exists all the same (the failure is
   * reported, the dispatcher offers it).
   */
  async createWorkItem(input: CreateWorkItemInput): Promise<{ workItem: WorkItem; created: boolean }> {
    return handling.createWorkItem(this.core, input);
  }

  /** One work item by id. */
  async getWorkItem(id: string): Promise<WorkItem> {
    return handling.getWorkItem(this.core, id);
  }

  /**
   * Work items by queue, status, agent or contact (all given filters apply), oldest first, at most
   * `limit` (default 100). A read: it locks nothing.
   */
  async listWorkItems(filter: WorkItemFilter = {}): Promise<WorkItem[]> {
    return handling.listWorkItems(this.core, filter);
  }

  /** Every state change of an item, oldest first. */
  async history(workItemId: string): Promise<HistoryEntry[]> {
    return handling.history(this.core, workItemId);
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
    return this.claimGate(() => claimNow(this.core, agentId, opts));
  }

  /** Claims in flight against the database and waiting for their turn (see `maxConcurrentClaims`). */
  claimLoad(): { running: number; waiting: number } {
    return { running: this.claimGate.activeCount, waiting: this.claimGate.pendingCount };
  }

  // ---------------------------------------------------------------------------------------------
  // Push

  /**
   * Offers a queued item to the best eligible agent (see `PICK_AGENT_FOR_OFFER`): reserves it until the
   * queue's offer timeout. Returns null when the item is not queued, is being handled by another
   * transaction, or no agent can take it now (it stays queued; the dispatcher tries again).
   */
  async offerWorkItem(workItemId: string): Promise<Offer | null> {
    return this.core.offerWorkItem(workItemId);
  }

  /**
   * Offers queued items of push queues, best first, to the agents who can take them; returns the
   * offers made. Call it when work or capacity appears (notifications) and periodically.
   *
   * Each item is handled on its own: one that fails (its transaction, or the event sink inside it) is
   * reported to `onItemFailure` (default: the router's), counted in `counters.itemFailures`, tried
   * again after a growing wait, and the others are still served.
   */
  async dispatchOffers(options: SweepOptions & { queues?: string[] } = {}): Promise<Offer[]> {
    return sweeps.dispatchOffers(this.core, options);
  }

  /** The agent accepts an offer: the item is assigned to it. */
  async acceptOffer(offerId: string, agentId: string): Promise<WorkItem> {
    return offers.acceptOffer(this.core, offerId, agentId);
  }

  /** The agent declines an offer: the item goes back to its queue and is offered to the next agent. */
  async rejectOffer(offerId: string, agentId: string, reason = 'rejected'): Promise<WorkItem> {
    return offers.rejectOffer(this.core, offerId, agentId, reason);
  }

  /**
   * Expires pending offers whose time is up: their items go back to the queue (attempts + 1) and are
   * re-offered to another agent. Returns how many expired. Call it periodically (the maintenance loop does).
   *
   * Each item is handled on its own: one that fails (its transaction, or the event sink inside it) is
   * reported to `onItemFailure` (default: the router's), counted in `counters.itemFailures`, tried
   * again after a growing wait, and the others are still served.
   */
  async expireOffers(options: SweepOptions = {}): Promise<number> {
    return sweeps.expireOffers(this.core, options);
  }

  /** The agent's offers still waiting for an answer: what a desktop shows after (re)connecting. */
  async pendingOffersFor(agentId: string): Promise<PendingOffer[]> {
    return offers.pendingOffersFor(this.core, agentId);
  }

  // ---------------------------------------------------------------------------------------------
  // Handling

  /** The conversation is over; the agent does after-contact work (the item still counts against capacity). */
  async beginWrapUp(workItemId: string, agentId: string): Promise<WorkItem> {
    return handling.beginWrapUp(this.core, workItemId, agentId);
  }

  /**
   * Finishes an item (from assigned or wrapping) with an outcome and reason tags, frees the agent's
   * capacity, and queues the `workItemResolved` signal to the contact's workflow in the same
   * transaction (delivered by `ResolutionOutbox`, exactly once per item).
   */
  async completeWorkItem(workItemId: string, agentId: string, completion: Completion): Promise<WorkItem> {
    return handling.completeWorkItem(this.core, workItemId, agentId, completion);
  }

  /**
   * Moves an item to another queue (queued there, ordered from now) or offers it to one agent (who
   * must be available with capacity on the channel). The handoff package stays; the note is appended
   * to the item's notes. Allowed while queued, offered or assigned.
   */
  async transferWorkItem(workItemId: string, transfer: Transfer): Promise<WorkItem> {
    return handling.transferWorkItem(this.core, workItemId, transfer);
  }

  /**
   * Raises a waiting item's base priority by `by` points (capped at 1000), e.g. when its SLA is breached;
   * its age in the queue is kept. Items no longer waiting (taken or finished) are left as they are.
   */
  async raisePriority(workItemId: string, by: number, options: { actor: Actor; reason: string }): Promise<WorkItem> {
    return handling.raisePriority(this.core, workItemId, by, options);
  }

  /**
   * The customer left, or the flow withdrew the item: it ends as `abandoned` wherever it was.
   * `notifyWorkflow` (default: unless the workflow itself asked) queues a `workItemResolved` signal
   * with outcome `abandoned`.
   */
  async abandonWorkItem(workItemId: string, options: { actor: Actor; reason: string; notifyWorkflow?: boolean }): Promise<WorkItem> {
    return handling.abandonWorkItem(this.core, workItemId, options);
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
    return handling.setAgentStatus(this.core, agentId, status, options);
  }

  // ---------------------------------------------------------------------------------------------
  // Events of routers without a sink

  /**
   * Publishes, through this router's sink and in one transaction, the events that routers without a
   * sink deferred (see `RoutingServiceOptions.eventSink`), oldest first, at most `limit` (default 500);
   * returns how many. A router without a sink of its own publishes nothing. Several routers may run it
   * at once: each takes rows the others do not hold. Routing maintenance calls it on every tick.
   */
  async publishDeferredEvents(options: { limit?: number } = {}): Promise<number> {
    if (!this.publishes) return 0;
    return this.core.db.transaction(async (tx) => {
      const rows = await tx.query<{ seq: string; event: RoutingEvent }>(
        `DELETE FROM routing.deferred_event WHERE seq IN (
           SELECT seq FROM routing.deferred_event ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED)
         RETURNING seq, event`,
        [options.limit ?? 500],
      );
      rows.sort((a, b) => Number(a.seq) - Number(b.seq));
      tx.events.push(...rows.map((r) => r.event));
      return rows.length;
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Overflow

  /**
   * Moves items that have waited longer than their queue's `maxWaitSeconds` to its overflow queue
   * (a transfer by the system, reason `max_wait_exceeded`). Returns how many moved.
   *
   * Each item is handled on its own: one that fails (its transaction, or the event sink inside it) is
   * reported to `onItemFailure` (default: the router's), counted in `counters.itemFailures`, tried
   * again after a growing wait, and the others are still served.
   */
  async overflowWaitingItems(options: SweepOptions = {}): Promise<number> {
    return sweeps.overflowWaitingItems(this.core, options);
  }
}
