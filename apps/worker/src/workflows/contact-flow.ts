/**
 * `contactFlow`: one durable workflow per customer contact (id `contact-<contactId>`), interpreting the
 * compiled plan it was started with, node by node, through the executors of a registry.
 */
import { CancellationScope, allHandlersFinished, condition, continueAsNew, isCancellation, log } from '@temporalio/workflow';
import type { ContactFlowInput, ContactFlowResult } from '@tandem/workflow-contract';
import { installHandlers } from './handlers';
import { ContactRuntime } from './runtime/contact';
import type { ExecutorRegistry } from './runtime/registry';
import { CancelledContact, ContinueAsNewRequest } from './runtime/step';

/** The contact workflow over a registry of node executors (the product's, or a test's next build). */
export function createContactFlow(executors: ExecutorRegistry): (input: ContactFlowInput) => Promise<ContactFlowResult> {
  return async function contactFlow(input: ContactFlowInput): Promise<ContactFlowResult> {
    if (input?.schemaVersion !== 1 || !input.plan || !input.contact?.id) {
      throw new Error('contactFlow needs { schemaVersion: 1, plan, flowVersion, contact: { id, channel, customer } }');
    }
    const contact = new ContactRuntime(input, executors);
    const main = new CancellationScope();
    installHandlers(contact, main);
    // A cancellation that raced the previous run's hand-over.
    if (input.carried?.cancel && contact.cancel(input.carried.cancel)) main.cancel();

    // A subflow owes its caller what it says, until it closes.
    const relay = contact.relay?.run();
    /** Everything sent and every handler done, before the run ends or continues as new. */
    const settle = async (): Promise<void> => {
      await contact.drain();
      if (relay) await relay;
      if (!allHandlersFinished()) await condition(allHandlersFinished);
    };

    let result: ContactFlowResult;
    try {
      result = await main.run(() => contact.run());
    } catch (e) {
      if (e instanceof ContinueAsNewRequest) {
        await settle();
        log.info('continuing as new', { resumeAt: e.resumeAt });
        return continueAsNew<typeof contactFlow>({ ...input, carried: contact.carried(e.resumeAt) });
      }
      if (!(e instanceof CancelledContact) && !isCancellation(e)) throw e;
      result = await contact.abandon(e instanceof CancelledContact ? e.nodeId : contact.currentNode(), 'cancelled');
    }
    // The usual end — the last events, nothing else pending — awaits their delivery directly.
    const last = contact.lastEvents();
    if (last) {
      try {
        await last;
      } catch (e) {
        if (!isCancellation(e)) throw e;
        contact.lastEventsCancelled(); // the workflow was cancelled meanwhile: drain sends them, uncancellably
      }
    }
    if (relay || !contact.drained || !allHandlersFinished()) await settle();
    // The outcome's upsert goes out with the completion, in this same workflow task.
    contact.publishOutcome();
    return result;
  };
}
