/**
 * The contact workflow's messages, defined once next to the workflow and imported by clients (the API,
 * routing, tests). Payloads carry a schema version so running contacts survive payload changes.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { WORK_ITEM_RESOLVED_SIGNAL, type WorkItemResolution } from '@tandem/contracts';
import type { ContactStateView, CustomerMessageInput, CustomerMessageReply } from './types';

/** A customer's message; returns what the flow answered before it waited again. */
export const customerMessageUpdate = defineUpdate<CustomerMessageReply, [CustomerMessageInput]>('customerMessage');

/** A human agent's message to the customer (the agent must hold the contact's current work item). */
export interface AgentMessageInput {
  schemaVersion: 1;
  workItemId: string;
  agentId: string;
  text: string;
}
export const agentMessageSignal = defineSignal<[AgentMessageInput]>('agentMessage');

/** Routing's completion of a work item; accepted only for the item the contact waits on now. */
export const workItemResolvedSignal = defineSignal<[WorkItemResolution]>(WORK_ITEM_RESOLVED_SIGNAL);

/** Ends the contact: the customer left, or an operator cancelled it. */
export interface CancelInput {
  schemaVersion: 1;
  reason: 'customer_left' | 'operator' | 'timeout';
  note?: string;
}
export const cancelSignal = defineSignal<[CancelInput]>('cancel');

/** The contact as operators and agents see it: current step, context, transcript, handoff. */
export const stateQuery = defineQuery<ContactStateView>('state');
