import { Injectable, Logger } from '@nestjs/common';
import type { HandoffPackage, WorkItemOutcome } from '@tandem/contracts';
import {
  contactEvents,
  EventValidationError,
  OutboxWriter,
  producerDeadLetter,
  recordProducerDeadLetters,
  wrapUpEvents,
  type EscalationContext,
  type ProducerDeadLetter,
  type TandemEvent,
} from '@tandem/events';
import type { RoutingEvent, RoutingEventSink, RoutingSinkTransaction } from '@tandem/routing';
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
 * derived from routing's history event ids, so a retried transaction appends nothing twice. A draft's
 * work item (flow version 0: a designer's test chat) gets valid events marked `simulation: true`.
 *
 * An event that cannot be built valid is **dead-lettered** in the same transaction
 * (`events.producer_dead_letters`) instead of thrown: throwing would roll the routing change back —
 * every tick, for an offer — and stall routing for everyone on the queue. Once the change has
 * committed, each new dead letter is counted (`tandem_events_dead_lettered_total{source,type}`) and
 * logged as a warning with its event id and error.
 */
@Injectable()
export class RoutingOutboxSink implements RoutingEventSink {
  private readonly logger = new Logger(RoutingOutboxSink.name);
  private readonly skipped: Counter<'type'>;

  constructor(
    private readonly outbox: OutboxWriter,
    private readonly contexts: EscalationContextService,
    private readonly metrics: MetricsService,
  ) {
    this.skipped = new Counter({
      name: 'tandem_api_routing_events_unpublished_total',
      help: 'Work item events not published because the escalation context (flow version, nodes) could not be found',
      labelNames: ['type'],
      registers: [metrics.registry],
    });
  }

  async append(manager: EntityManager, events: RoutingEvent[], transaction?: RoutingSinkTransaction): Promise<void> {
    const out: TandemEvent[] = [];
    const letters: ProducerDeadLetter[] = [];
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
      try {
        out.push(...eventsOf(event, item, context));
      } catch (e) {
        // Retrying cannot make it valid: keep it, and let the routing change commit.
        if (!(e instanceof EventValidationError)) throw e;
        letters.push(producerDeadLetter(API_EVENT_SOURCE, e, { contactId: item.contact_id }));
      }
    }
    if (letters.length) {
      const fresh = await recordProducerDeadLetters(manager, letters);
      const report = () => {
        for (const letter of fresh) {
          this.metrics.deadLetteredEvents.inc({ source: letter.source, type: letter.eventType });
          this.logger.warn({ eventId: letter.eventId, type: letter.eventType, contactId: letter.contactId, err: letter.error }, 'dead-lettered a work item event that cannot be valid');
        }
      };
      if (transaction) transaction.afterCommit(report);
      else report();
    }
    if (out.length) await this.outbox.append(manager, out);
  }
}

/** The published events of one routing event (none for an offer or acceptance without an agent). */
function eventsOf(event: RoutingEvent, item: ItemRow, context: EscalationContext): TandemEvent[] {
  const at = new Date(event.occurredAt);
  const meta = { contactId: context.contactId, flowId: context.flowId, flowVersion: context.flowVersion, nodeId: context.escalateNodeId, source: API_EVENT_SOURCE, time: event.occurredAt, id: event.id };
  const agentId = event.agentId ?? undefined;
  switch (event.type) {
    case 'workitem.offered':
      return agentId ? [contactEvents.workItemOffered(meta, { workItemId: item.id, queue: event.queue, agentId, attempt: item.attempts + 1 })] : [];
    case 'workitem.accepted':
    case 'workitem.assigned':
      return agentId ? [contactEvents.workItemAccepted(meta, { workItemId: item.id, queue: event.queue, agentId, waitMs: Math.max(0, at.getTime() - item.created_at.getTime()) })] : [];
    case 'workitem.completed': {
      const started = item.assigned_at ?? item.answered_at;
      return wrapUpEvents(
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
      );
    }
    default:
      return [];
  }
}
