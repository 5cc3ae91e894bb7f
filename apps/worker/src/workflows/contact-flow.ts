/**
 * `contactFlow`: one durable workflow per customer contact (id `contact-<contactId>`), interpreting the
 * compiled plan it was started with.
 */
import {
  CancellationScope,
  allHandlersFinished,
  condition,
  continueAsNew,
  isCancellation,
  log,
  setHandler,
} from '@temporalio/workflow';
import { safeParseWorkItemResolution } from '@tandem/contracts/sandbox';
import { CONTACT_MOVING, CancelledContact, ContinueAsNewRequest, Interpreter } from './interpreter';
import {
  agentMessageSignal,
  cancelSignal,
  customerMessageUpdate,
  stateQuery,
  subflowInputSignal,
  subflowOutputSignal,
  workItemResolvedSignal,
} from '@tandem/workflow-contract';
import type { ContactFlowInput, ContactFlowResult, CustomerMessageInput } from '@tandem/workflow-contract';

const MAX_MESSAGE_LENGTH = 10_000;


export async function contactFlow(input: ContactFlowInput): Promise<ContactFlowResult> {
  if (input?.schemaVersion !== 1 || !input.plan || !input.contact?.id) {
    throw new Error('contactFlow needs { schemaVersion: 1, plan, flowVersion, contact: { id, channel, customer } }');
  }
  const it = new Interpreter(input);
  it.begin();
  const main = new CancellationScope();

  setHandler(stateQuery, () => it.view());
  setHandler(customerMessageUpdate, (message) => it.onCustomerMessage(message), {
    validator: (message: CustomerMessageInput) => {
      if (message?.schemaVersion !== 1) throw new Error('customerMessage needs schemaVersion 1');
      if (typeof message.text !== 'string' || !message.text.trim()) throw new Error('text: the message is empty');
      if (message.text.length > MAX_MESSAGE_LENGTH) throw new Error(`text: longer than ${MAX_MESSAGE_LENGTH} characters`);
      if (it.view().outcome !== null) throw new Error('the contact has ended');
      // Rejected (not recorded) while the run hands over to its continuation; the client retries and
      // the new run answers it.
      if (it.isContinuing()) throw new Error(CONTACT_MOVING);
    },
  });
  setHandler(agentMessageSignal, (message) => {
    if (message?.schemaVersion !== 1 || !message.text?.trim() || !message.workItemId || !message.agentId) {
      log.warn('malformed agentMessage ignored', { message });
      return;
    }
    it.onAgentMessage(message);
  });
  setHandler(workItemResolvedSignal, (payload) => {
    const parsed = safeParseWorkItemResolution(payload);
    if (!parsed.success) {
      log.warn('malformed workItemResolved ignored', { issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) });
      return;
    }
    it.onWorkItemResolved(parsed.data);
  });
  setHandler(subflowInputSignal, (input) => it.onSubflowInput(input));
  setHandler(subflowOutputSignal, (output) => it.onSubflowOutput(output));
  setHandler(cancelSignal, (request) => {
    if (it.onCancel(request ?? { schemaVersion: 1, reason: 'operator' })) main.cancel();
  });

  // A cancellation that raced the previous run's hand-over.
  if (input.carried?.cancel && it.onCancel(input.carried.cancel)) main.cancel();

  // Generation 3 sends events where sending becomes due, without a background flusher.
  const flusher = it.eventsWhenDue ? undefined : it.flushEvents();
  // Generation 2 starts the subflow relay only in a subflow (it returns at once elsewhere).
  const relay = it.lean && !input.parent ? undefined : it.relayToParent();
  /**
   * Generation 2: everything sent and every handler done, before the run ends or continues as new (the
   * flusher has nothing left to send and stops on its own). Earlier generations do it inline, below,
   * exactly as they were recorded.
   */
  const settle = async (): Promise<void> => {
    await it.drain();
    if (relay) await relay;
    if (!allHandlersFinished()) await condition(allHandlersFinished);
  };
  let result: ContactFlowResult;
  try {
    result = await main.run(() => it.run());
  } catch (e) {
    if (e instanceof ContinueAsNewRequest) {
      if (it.lean) {
        await settle();
      } else {
        await it.drain();
        await Promise.all([flusher, relay]);
        await condition(allHandlersFinished);
      }
      log.info('continuing as new', { resumeAt: e.resumeAt });
      return continueAsNew<typeof contactFlow>({ ...input, carried: it.carried(e.resumeAt) });
    }
    if (e instanceof CancelledContact || isCancellation(e)) {
      result = await it.abandon(e instanceof CancelledContact ? e.nodeId : it.currentNode(), 'cancelled');
    } else {
      throw e;
    }
  }
  if (it.lean) {
    // Generation 3: the usual end — the last events, nothing else pending — awaits their delivery
    // directly. A subflow always settles: its relay may still owe the parent an answer.
    const last = relay ? undefined : it.lastEvents();
    if (last) {
      try {
        await last;
      } catch (e) {
        if (!isCancellation(e)) throw e;
        it.lastEventsCancelled(); // the workflow was cancelled meanwhile: drain sends them, uncancellably
      }
    }
    if (relay || !it.drained || !allHandlersFinished()) await settle();
    // Generation 4: the outcome's upsert goes out with the completion, in this same workflow task.
    it.publishOutcome();
    return result;
  }
  await it.drain();
  await Promise.all([flusher, relay]);
  await condition(allHandlersFinished);
  return result;
}
