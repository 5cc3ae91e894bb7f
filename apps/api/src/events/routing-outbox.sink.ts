import { Injectable, Logger } from '@nestjs/common';
import type { HandoffPackage, WorkItemOutcome } from '@tandem/contracts';
import { contactEvents, OutboxWriter, wrapUpEvents, type TandemEvent } from '@tandem/events';
import type { RoutingEvent, RoutingEventSink } from '@tandem/routing';
import { Counter } from 'prom-client';
import type { EntityManager } from 'typeorm';
import { MetricsService } from '../metrics/metrics.service';
import { EscalationContextService } from './escalation-context.service';

/** The CloudEvents `source` of everything the API publishes. */
export const API_EVENT_SOURCE = '/tandem/api';

interface ItemRow {
  id: string;
  workflow_id: string;
  contact_id: string;
  step_id: string;
  queue_name: string;
  attempts: number;
  created_at: Date;
  assigned_at: Date | null;
  answered_at: Date | null;
  outcome: WorkItemOutcome | null;
  reason_tags: string[];
  resolution_note: string | null;
  handoff: HandoffPackage;
}

/** How long a routing transaction may wait for a contact's workflow to say which flow version it runs. */
const IN_TRANSACTION_LOOKUP_MS = 1_000;

/** Routing's state changes that are part of the published event contract. */
const PUBLISHED = new Set<RoutingEvent['type']>(['workitem.offered', 'workitem.accepted', 'workitem.assigned', 'workitem.completed']);

/**
 * Routing's event sink: turns the work item changes that the event contract knows into CloudEvents
 * and appends them to the transactional outbox IN the routing transaction, so they are published if
 * and only if the change commits.
 *
 * - `workitem.offered` → `tandem.workitem.offered.v1` (attempt = times it came back + 1);
 * - `workitem.accepted` (push) and `workitem.assigned` (a claim: pull) → `tandem.workitem.accepted.v1`
 *   with the wait since the item was created;
 * - `workitem.completed` → `wrapUpEvents`: `tandem.workitem.completed.v1` at the escalate node and,
 *   when the agent tagged it, `tandem.feedback.escalation-tagged.v1` at the node that caused the
 *   escalation, with its trigger and flow version.
 *
 * Each is tied to its flow version and nodes through the {@link EscalationContextService}. Ids are
 * derived from routing's history event ids, so a retried transaction appends nothing twice.
 */
@Injectable()
export class RoutingOutboxSink implements RoutingEventSink {
  private readonly logger = new Logger(RoutingOutboxSink.name);
  private readonly skipped: Counter<'type'>;

  constructor(
    private readonly outbox: OutboxWriter,
    private readonly contexts: EscalationContextService,
    metrics: MetricsService,
  ) {
    this.skipped = new Counter({
      name: 'tandem_api_routing_events_unpublished_total',
      help: 'Work item events not published because the escalation context (flow version, nodes) could not be found',
      labelNames: ['type'],
      registers: [metrics.registry],
    });
  }

  async append(manager: EntityManager, events: RoutingEvent[]): Promise<void> {
    const out: TandemEvent[] = [];
    for (const event of events) {
      if (!PUBLISHED.has(event.type)) continue;
      const [item] = await manager.query<ItemRow[]>(
        `SELECT id, workflow_id, contact_id, step_id, queue_name, attempts, created_at, assigned_at, answered_at, outcome, reason_tags, resolution_note, handoff
           FROM routing.work_item WHERE id = $1`,
        [event.workItemId],
      );
      if (!item) continue;
      const context = await this.contexts.forWorkItem(
        { id: item.id, workflowId: item.workflow_id, contactId: item.contact_id, stepId: item.step_id, queue: event.queue, handoff: item.handoff },
        manager,
        // Inside the routing transaction (its row locks held): ask the workflow briefly, if at all.
        { timeoutMs: IN_TRANSACTION_LOOKUP_MS },
      );
      if (!context) {
        this.skipped.inc({ type: event.type });
        this.logger.warn({ workItemId: item.id, type: event.type }, 'work item event not published: its escalation context is unknown');
        continue;
      }
      const at = new Date(event.occurredAt);
      const meta = { contactId: context.contactId, flowId: context.flowId, flowVersion: context.flowVersion, nodeId: context.escalateNodeId, source: API_EVENT_SOURCE, time: event.occurredAt, id: event.id };
      const agentId = event.agentId ?? undefined;
      switch (event.type) {
        case 'workitem.offered':
          if (!agentId) break;
          out.push(contactEvents.workItemOffered(meta, { workItemId: item.id, queue: event.queue, agentId, attempt: item.attempts + 1 }));
          break;
        case 'workitem.accepted':
        case 'workitem.assigned':
          if (!agentId) break;
          out.push(contactEvents.workItemAccepted(meta, { workItemId: item.id, queue: event.queue, agentId, waitMs: Math.max(0, at.getTime() - item.created_at.getTime()) }));
          break;
        case 'workitem.completed': {
          const started = item.assigned_at ?? item.answered_at;
          out.push(
            ...wrapUpEvents(
              context,
              {
                schemaVersion: 1,
                workItemId: item.id,
                outcome: item.outcome ?? 'resolved',
                reasonTags: item.reason_tags,
                ...(agentId ? { agentId } : {}),
                ...(item.resolution_note ? { note: item.resolution_note } : {}),
                resolvedAt: event.occurredAt,
              },
              { handleMs: started ? Math.max(0, at.getTime() - started.getTime()) : 0, id: event.id, source: API_EVENT_SOURCE, time: event.occurredAt },
            ),
          );
          break;
        }
        default:
          break;
      }
    }
    if (out.length) await this.outbox.append(manager, out);
  }
}
