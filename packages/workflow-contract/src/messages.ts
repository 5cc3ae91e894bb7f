/**
 * The contact workflow's messages, defined once next to the workflow and imported by clients (the API,
 * routing, tests). Payloads carry a schema version so running contacts survive payload changes.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ComplianceFlag, WorkItemAssignment, WorkItemResolution } from '@tandem/contracts';
import { WORK_ITEM_ASSIGNED_SIGNAL, WORK_ITEM_RESOLVED_SIGNAL } from '@tandem/contracts/sandbox';
import type { ContactStateView, CustomerMessageInput, CustomerMessageReply, HandledBy, OutboundMessage } from './types';

/** A customer's message; returns what the flow answered before it waited again. */
export const customerMessageUpdate = defineUpdate<CustomerMessageReply, [CustomerMessageInput]>('customerMessage');

/** A human agent's message to the customer (the agent must hold the contact's current work item). */
export interface AgentMessageInput {
  schemaVersion: 1;
  workItemId: string;
  agentId: string;
  /** What the customer is sent: checked for compliance and with card numbers masked before it left the API. */
  text: string;
  /** `warn` findings of the compliance check it was sent with (a `block` finding is never sent). */
  flags?: ComplianceFlag[];
}
export const agentMessageSignal = defineSignal<[AgentMessageInput]>('agentMessage');

/** Routing's completion of a work item; accepted only for the item the contact waits on now. */
export const workItemResolvedSignal = defineSignal<[WorkItemResolution]>(WORK_ITEM_RESOLVED_SIGNAL);

/**
 * Routing's news that an agent took the work item the contact waits on (accepted an offer, claimed it):
 * the contact is handled by a person now, and the customer is told, in the flow's words.
 */
export const workItemAssignedSignal = defineSignal<[WorkItemAssignment]>(WORK_ITEM_ASSIGNED_SIGNAL);

/** Ends the contact: the customer left, or an operator cancelled it. */
export interface CancelInput {
  schemaVersion: 1;
  reason: 'customer_left' | 'operator' | 'timeout';
  note?: string;
}
export const cancelSignal = defineSignal<[CancelInput]>('cancel');

/** The contact as operators and agents see it: current step, context, transcript, handoff. */
export const stateQuery = defineQuery<ContactStateView>('state');

/** Parent → subflow: a customer message the parent received while the subflow holds the conversation. */
export interface SubflowInput {
  schemaVersion: 1;
  text: string;
  /** The message's index in the parent's transcript. */
  parentIndex: number;
}
export const subflowInputSignal = defineSignal<[SubflowInput]>('subflowInput');

/** Subflow → parent: what the subflow said, once it waits again, and who has the contact now. */
export interface SubflowOutput {
  schemaVersion: 1;
  childWorkflowId: string;
  messages: OutboundMessage[];
  /** The last forwarded message (parent index) the subflow has read and answered; -1 before any. */
  answeredUpTo: number;
  handledBy: HandledBy;
}
export const subflowOutputSignal = defineSignal<[SubflowOutput]>('subflowOutput');
