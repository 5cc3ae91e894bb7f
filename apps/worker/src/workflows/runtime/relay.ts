/**
 * Subflow side of a subflow call: the parent holds the customer's conversation, so what this subflow
 * says goes back to it (a `subflowOutput` signal), each time the subflow waits again and once more when
 * it closes. Runs in the workflow's root scope for the whole run.
 */
import { CancellationScope, condition, getExternalWorkflowHandle, isCancellation } from '@temporalio/workflow';
import { subflowOutputSignal, type HandledBy } from '@tandem/workflow-contract';
import type { Conversation } from './conversation';

export class SubflowRelay {
  /** A signal to the parent is in flight. */
  relaying = false;
  private lastReported = -1;

  constructor(
    private readonly parentWorkflowId: string,
    private readonly workflowId: string,
    private readonly conversation: Conversation,
    private readonly status: { closing(): boolean; handledBy(): HandledBy },
  ) {}

  /** Nothing said that the parent has not been sent. */
  idle(): boolean {
    return !this.relaying && this.conversation.relayOut.length === 0;
  }

  async run(): Promise<void> {
    const conv = this.conversation;
    const handle = getExternalWorkflowHandle(this.parentWorkflowId);
    const owed = () => conv.relayOut.length > 0 || conv.lastParentConsumed > this.lastReported;
    const due = () => this.status.closing() || (owed() && conv.quiescent());
    for (;;) {
      await untilEvenIfCancelled(due);
      if (!owed()) return;
      const messages = conv.relayOut.splice(0);
      const answeredUpTo = conv.lastParentConsumed;
      this.relaying = true;
      try {
        await CancellationScope.nonCancellable(() =>
          handle.signal(subflowOutputSignal, { schemaVersion: 1, childWorkflowId: this.workflowId, messages, answeredUpTo, handledBy: this.status.handledBy() }),
        );
      } finally {
        this.relaying = false;
      }
      this.lastReported = answeredUpTo;
    }
  }
}

/**
 * Waits for `ready`, through a cancellation of the workflow too: once the subflow is cancelled (its
 * caller was, or an operator cancelled it) it still owes the caller its last words.
 */
async function untilEvenIfCancelled(ready: () => boolean): Promise<void> {
  if (!CancellationScope.current().consideredCancelled) {
    try {
      await condition(ready);
      return;
    } catch (e) {
      if (!isCancellation(e)) throw e;
    }
  }
  await CancellationScope.nonCancellable(() => condition(ready));
}
