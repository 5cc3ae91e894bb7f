import type { EscalationTriggerKind, WorkItemResolution } from '@tandem/contracts';
import { contactEvents, feedbackEvents, type EnvelopeOptions } from './contracts/builders';
import type { ContactEscalatedEvent, EscalationTaggedEvent, WorkItemCompletedEvent } from './contracts/events';

/**
 * What routing keeps on a work item so an agent's wrap-up can be tied back to the flow: the flow
 * version, the escalate node that routed the contact, and the node and trigger that caused it.
 */
export interface EscalationContext {
  contactId: string;
  flowId: string;
  flowVersion: number;
  escalateNodeId: string;
  causeNodeId: string;
  trigger: EscalationTriggerKind | null;
  queue: string;
  workItemId: string;
}

/** The escalation context of a `contact.escalated` event (routing stores it with the work item). */
export function escalationContextOf(event: ContactEscalatedEvent, workItemId = event.data.workItemId): EscalationContext {
  if (!workItemId) throw new Error(`escalationContextOf: contact.escalated ${event.id} has no workItemId; pass the work item id`);
  return {
    contactId: event.subject,
    flowId: event.flowid,
    flowVersion: event.flowversion,
    escalateNodeId: event.nodeid,
    causeNodeId: event.data.causeNodeId,
    trigger: event.data.trigger?.kind ?? null,
    queue: event.data.queue,
    workItemId,
  };
}

/**
 * The events of an agent's wrap-up: `workitem.completed` (at the escalate node) and, when the agent
 * tagged it, `feedback.escalation-tagged` (at the node that caused the escalation, with its trigger),
 * which is what ties the reason tags to the node, threshold and flow version that escalated.
 *
 * @example
 * await outbox.append(manager, wrapUpEvents(context, resolution, { handleMs: 184_000, source: '/tandem/api' }));
 */
export function wrapUpEvents(
  context: EscalationContext,
  resolution: WorkItemResolution,
  options: EnvelopeOptions & { handleMs: number },
): [WorkItemCompletedEvent] | [WorkItemCompletedEvent, EscalationTaggedEvent] {
  if (resolution.workItemId !== context.workItemId) {
    throw new Error(`wrapUpEvents: the resolution is for work item ${resolution.workItemId}, the context for ${context.workItemId}`);
  }
  const { handleMs, id, ...envelope } = options;
  const time = envelope.time ?? resolution.resolvedAt;
  const base = { contactId: context.contactId, flowId: context.flowId, flowVersion: context.flowVersion, source: envelope.source, time };
  const completed = contactEvents.workItemCompleted(
    { ...base, nodeId: context.escalateNodeId, id },
    {
      workItemId: context.workItemId,
      queue: context.queue,
      agentId: resolution.agentId,
      outcome: resolution.outcome,
      reasonTags: resolution.reasonTags,
      handleMs,
    },
  );
  const tags = [...new Set(resolution.reasonTags)];
  if (tags.length === 0) return [completed];
  const tagged = feedbackEvents.escalationTagged(
    { ...base, nodeId: context.causeNodeId, id: id ? `${id}:tags` : undefined },
    {
      workItemId: context.workItemId,
      agentId: resolution.agentId,
      tags,
      trigger: context.trigger,
      escalateNodeId: context.escalateNodeId,
      queue: context.queue,
      outcome: resolution.outcome,
    },
  );
  return [completed, tagged];
}
