/**
 * The contact workflow's update, signals and query (defined in @tandem/workflow-contract), wired to
 * the contact's runtime. Payloads are checked here: a malformed signal is logged and ignored, a bad
 * customer message is refused by the update's validator before anything is recorded.
 */
import { ApplicationFailure, log, setHandler, type CancellationScope } from '@temporalio/workflow';
import type { WorkItemAssignment } from '@tandem/contracts';
import { safeParseWorkItemResolution } from '@tandem/contracts/sandbox';
import {
  agentMessageSignal,
  cancelSignal,
  CONTACT_MOVING,
  customerMessageUpdate,
  MAX_CUSTOMER_MESSAGE_LENGTH,
  stateQuery,
  subflowInputSignal,
  subflowOutputSignal,
  workItemAssignedSignal,
  workItemResolvedSignal,
  type AgentMessageInput,
  type ContactStateView,
  type CustomerMessageInput,
} from '@tandem/workflow-contract';
import type { ContactRuntime } from './runtime/contact';

export function installHandlers(contact: ContactRuntime, main: CancellationScope): void {
  setHandler(stateQuery, () => view(contact));
  setHandler(
    customerMessageUpdate,
    (message) => {
      if (contact.continuing || contact.outcome() !== null) {
        // Accepted by the validator a moment before the run decided to hand over (or end): fail the
        // update without touching the state; the client sends it again to the next run.
        const ended = contact.outcome() !== null;
        throw ApplicationFailure.create({ message: ended ? 'the contact has ended' : CONTACT_MOVING, type: ended ? 'ContactEnded' : 'ContactMoving', nonRetryable: true });
      }
      return contact.conversation.onCustomerMessage(message);
    },
    {
      validator: (message: CustomerMessageInput) => {
        if (message?.schemaVersion !== 1) throw new Error('customerMessage needs schemaVersion 1');
        if (typeof message.text !== 'string' || !message.text.trim()) throw new Error('text: the message is empty');
        if (message.text.length > MAX_CUSTOMER_MESSAGE_LENGTH) throw new Error(`text: longer than ${MAX_CUSTOMER_MESSAGE_LENGTH} characters`);
        if (contact.outcome() !== null) throw new Error('the contact has ended');
        // Rejected (not recorded) while the run hands over to its continuation; the client retries and
        // the new run answers it.
        if (contact.continuing) throw new Error(CONTACT_MOVING);
      },
    },
  );
  setHandler(agentMessageSignal, (message) => {
    if (message?.schemaVersion !== 1 || !message.text?.trim() || !message.workItemId || !message.agentId) {
      log.warn('malformed agentMessage ignored', { message });
      return;
    }
    agentMessage(contact, message);
  });
  setHandler(workItemResolvedSignal, (payload) => {
    const parsed = safeParseWorkItemResolution(payload);
    if (!parsed.success) {
      log.warn('malformed workItemResolved ignored', { issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) });
      return;
    }
    contact.resolve(parsed.data);
  });
  setHandler(workItemAssignedSignal, (payload) => {
    if (payload?.schemaVersion !== 1 || !payload.workItemId || !payload.agentId) {
      log.warn('malformed workItemAssigned ignored', { payload });
      return;
    }
    agentJoined(contact, payload);
  });
  setHandler(subflowInputSignal, (input) => contact.conversation.onSubflowInput(input));
  setHandler(subflowOutputSignal, (output) => contact.subflowOutput(output));
  setHandler(cancelSignal, (request) => {
    if (contact.cancel(request ?? { schemaVersion: 1, reason: 'operator' })) main.cancel();
  });
}

/** An agent's message, accepted only from the work item the contact waits on. */
function agentMessage(contact: ContactRuntime, message: AgentMessageInput): void {
  const item = contact.state.workItem;
  if (!item || item.id !== message.workItemId) {
    log.warn('agent message for a work item the contact is not waiting on: ignored', { workItemId: message.workItemId, current: item?.id });
    return;
  }
  item.agentId = message.agentId;
  for (const p of contact.scheduler.paths.values()) if (p.node === item.nodeId) p.activity = 'human';
  const delivery = contact.conversation.agentSaid(message.text, message.agentId, item.nodeId, message.flags);
  if (delivery) contact.background(delivery);
}

/**
 * An agent took the work item the contact waits on: a person has the contact now, and the customer is
 * told in the flow's words (`waiting.agentJoined` of the escalate step). Late or duplicate news of an
 * earlier, transferred or already-taken item is ignored.
 */
function agentJoined(contact: ContactRuntime, assignment: WorkItemAssignment): void {
  const item = contact.state.workItem;
  if (!item || item.id !== assignment.workItemId || item.agentId !== undefined) {
    log.info('workItemAssigned for an item the contact is not waiting on, or already has an agent: ignored', { workItemId: assignment.workItemId, current: item?.id });
    return;
  }
  item.agentId = assignment.agentId;
  for (const p of contact.scheduler.paths.values()) if (p.node === item.nodeId) p.activity = 'human';
  const waiting = (contact.plan.nodes[item.nodeId]?.config as { waiting?: { agentJoined?: string } } | undefined)?.waiting;
  if (!waiting?.agentJoined?.trim()) return;
  const delivery = contact.say('system', contact.renderSafely(waiting.agentJoined, item.nodeId), item.nodeId);
  if (delivery) contact.background(delivery);
}

function view(contact: ContactRuntime): ContactStateView {
  const { state, plan, input } = contact;
  return {
    contactId: state.contact.id,
    flowId: plan.flowId,
    flowVersion: input.flowVersion,
    planHash: plan.hash,
    steps: contact.steps(),
    handledBy: contact.handledBy(),
    outcome: contact.outcome(),
    ctx: state.ctx,
    nlu: state.nlu,
    customer: state.contact.customer,
    channel: state.contact.channel,
    transcript: state.transcript,
    handoff: state.handoff,
    workItem: state.workItem,
    assist: state.assist,
    path: state.trail,
    escalationCause: state.escalationCause ?? null,
    awaiting: contact.awaiting(),
    continuedAsNew: input.carried?.runs ?? 0,
  };
}
