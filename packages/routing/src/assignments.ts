/**
 * The `workItemAssigned` signal: routing tells a contact's workflow that an agent took its work item
 * (accepted an offer, claimed it), so the contact is handled by a person and the customer is told.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { WORK_ITEM_ASSIGNED_SIGNAL, type WorkItemAssignment } from '@tandem/contracts';
import { LeasedDeliveries, startLoop, type DeliveryReport, type LeasedDeliveryRow, type ResolutionOutboxOptions, type SignalResult } from './resolutions';

/** Sends an assignment to a contact's workflow; `temporalAssignmentSignaler(client)` is the real one. */
export interface AssignmentSignaler {
  /** Resolves `workflow_missing` when the workflow does not exist or has finished; throws on anything retryable. */
  signal(workflowId: string, assignment: WorkItemAssignment): Promise<SignalResult>;
}

/** Signals `workItemAssigned` through a Temporal client. */
export function temporalAssignmentSignaler(client: Client): AssignmentSignaler {
  return {
    async signal(workflowId, assignment) {
      try {
        await client.workflow.getHandle(workflowId).signal(WORK_ITEM_ASSIGNED_SIGNAL, assignment);
        return 'delivered';
      } catch (e) {
        if (e instanceof WorkflowNotFoundError) return 'workflow_missing';
        throw e;
      }
    },
  };
}

/** The state of one assignment's signal. */
export interface AssignmentDelivery {
  /** The assignment's history event (an item assigned twice — after a release — has two). */
  eventId: string;
  workItemId: string;
  workflowId: string;
  payload: WorkItemAssignment;
  status: 'pending' | 'delivered' | 'workflow_missing';
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  deliveredAt: Date | null;
}

interface AssignmentRow extends LeasedDeliveryRow {
  event_id: string;
  work_item_id: string;
  agent_id: string;
  agent_name: string | null;
  assigned_at: Date;
}

/** The agent's display name rides along, so the customer can be told who joined. */
const RETURNING = `d.*, (SELECT NULLIF(a.display_name, '') FROM routing.agent a WHERE a.id = d.agent_id) AS agent_name`;

function payloadOf(row: AssignmentRow): WorkItemAssignment {
  return {
    schemaVersion: 1,
    workItemId: row.work_item_id,
    agentId: row.agent_id,
    ...(row.agent_name ? { agentName: row.agent_name } : {}),
    assignedAt: row.assigned_at.toISOString(),
  };
}

/**
 * Delivers `workItemAssigned` signals from the outbox that accepting an offer and claiming write in
 * their own transaction (`routing.assignment_delivery`, one row per assignment). At least once, like
 * {@link ResolutionOutbox}: a batch is leased, signalled, then marked; a deliverer that dies in between
 * leaves the lease to expire and the signal goes again — the workflow ignores a duplicate, and an
 * assignment of an item it no longer waits on. A finished or unknown workflow is `workflow_missing`
 * and not retried; other failures back off exponentially and retry forever.
 *
 * @example
 * const outbox = new AssignmentOutbox({ dataSource });
 * const stop = outbox.start(temporalAssignmentSignaler(client), { intervalMs: 500 });
 * outbox.deliverPending(client); // right after an accept, not to wait for the next tick
 */
export class AssignmentOutbox {
  private readonly deliveries: LeasedDeliveries<AssignmentRow>;

  constructor(options: ResolutionOutboxOptions) {
    this.deliveries = new LeasedDeliveries<AssignmentRow>(options, { table: 'routing.assignment_delivery', key: 'event_id', returning: RETURNING });
  }

  /** Sends every due assignment once (up to `limit`), and reports what happened. */
  async deliverPending(signaler: AssignmentSignaler | Client, options: { limit?: number } = {}): Promise<DeliveryReport> {
    const send = isAssignmentSignaler(signaler) ? signaler : temporalAssignmentSignaler(signaler);
    return this.deliveries.deliverPending((row) => send.signal(row.workflow_id, payloadOf(row)), options.limit);
  }

  /** The signals of an item's assignments, oldest first. */
  async deliveriesOf(workItemId: string): Promise<AssignmentDelivery[]> {
    const rows = await this.deliveries.select(`d.work_item_id::text = $1 ORDER BY d.assigned_at, d.event_id`, [workItemId]);
    return rows.map((row) => ({
      eventId: row.event_id,
      workItemId: row.work_item_id,
      workflowId: row.workflow_id,
      payload: payloadOf(row),
      status: row.status,
      attempts: row.attempts,
      nextAttemptAt: row.next_attempt_at,
      lastError: row.last_error,
      deliveredAt: row.delivered_at,
    }));
  }

  /**
   * Runs `deliverPending` every `intervalMs` (default 1000) until the returned function is called;
   * `wake()` on it runs a round now (after an accept, say). Errors go to `onError`; the loop goes on.
   */
  start(signaler: AssignmentSignaler | Client, options: { intervalMs?: number; onError?: (e: unknown) => void } = {}): (() => Promise<void>) & { wake: () => void } {
    return startLoop(() => this.deliverPending(signaler), options.intervalMs ?? 1000, options.onError);
  }
}

function isAssignmentSignaler(x: AssignmentSignaler | Client): x is AssignmentSignaler {
  return typeof (x as AssignmentSignaler).signal === 'function';
}
