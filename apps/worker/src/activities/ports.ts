/**
 * What the built-in activities need from the outside world. The worker's entry point wires the real
 * implementations (routing on PostgreSQL, the Kafka event publisher, the API's published flows); tests
 * wire the same real ones against the local stack.
 */
import type { Calendar, Plan } from '@tandem/flow/runtime';
import type { CreateWorkItemRequest } from '../nodes/escalate/activities';
import type { TicketRequest } from '../nodes/ticket/activities';
import type { ContactEventRecord, DeliverMessageRequest } from './contract';

/** Routing's side of an escalation. Every method is idempotent: activities are retried. */
export interface WorkItemGateway {
  /** Creates the work item once per (workflow id, node, visit); a retry returns the same id. */
  create(request: CreateWorkItemRequest): Promise<{ workItemId: string }>;
  raisePriority(workItemId: string, by: number, reason: string): Promise<void>;
  /** Moves the item to another queue (SLA overflow), keeping its handoff package. */
  move(workItemId: string, queue: string, reason: string): Promise<void>;
  /** Takes the item out of routing: the customer left, took a callback, or the wait ran out. */
  withdraw(workItemId: string, reason: string): Promise<void>;
  /**
   * Withdraws the items `workflowId` created for the contact that still wait for an agent or are held
   * by one (queued, offered, assigned) — a subflow that failed or was terminated cannot withdraw its
   * own. Idempotent; returns how many it withdrew.
   */
  withdrawOpenOf(contactId: string, workflowId: string, reason: string): Promise<number>;
  /** Estimated wait in seconds for a new item in the queue (what `queue.ewt("…")` returns). */
  estimatedWaitSeconds(queue: string): Promise<number>;
}

export interface CalendarDirectory {
  get(name: string): Promise<Calendar | undefined>;
}

export interface TicketStore {
  /** Creates the ticket once per `key`. */
  create(key: string, request: TicketRequest): Promise<{ ticketId: string }>;
}

export interface PlanStore {
  /** The newest published version of a flow (what a subflow node calls). */
  latestPublished(flowId: string): Promise<{ plan: Plan; version: number } | undefined>;
}

/** Delivers messages the flow sends outside a customer's turn (greetings, agent replies, notices). */
export interface MessageChannel {
  deliver(request: DeliverMessageRequest): Promise<void>;
}

/**
 * Where contact events go (Kafka in production; see packages/events). An event that fails its
 * contract is dead-lettered — counted, logged, kept — not published and not retried; the promise
 * rejects only when the sink itself is unavailable (then the activity is retried with the same ids).
 */
export interface ContactEventSink {
  publish(events: ContactEventRecord[]): Promise<{ published: number; deadLettered: number }>;
}
