/**
 * The contact's events: recorded with a deterministic id (`<workflowId>/<sequence>`, counting across
 * runs) and sent in batches by one activity call when sending becomes due — the contact went quiet
 * (every path parked), enough are pending, or the run is closing — so a contact costs one extra
 * activity per quiet period, not one per event. One delivery is in flight at a time, so batches arrive
 * in sequence order. Sending is started where it becomes due, not by a coroutine polling a condition.
 */
import { CancellationScope } from '@temporalio/workflow';
import type { ContactState } from '@tandem/workflow-contract';
import type { ContactEventData, ContactEventRecord, ContactEventType } from '../../activities/contract';
import { workflowNowIso } from '../clock';
import { eventDelivery } from './proxies';

export interface EventSource {
  workflowId: string;
  contactId: string;
  flowId: string;
  flowVersion: number;
  /** A sandbox run's events are simulations (drafts' are anyway, by their version 0). */
  simulation?: true;
}

export class EventOutbox {
  private readonly pending: ContactEventRecord[] = [];
  /** One non-cancellable scope for every delivery (a scope costs promises): events outlive a cancellation. */
  private keep: CancellationScope | undefined;
  /** The delivery in flight. */
  private sending: Promise<void> | undefined;
  private lastBatch: ContactEventRecord[] = [];
  /** The run is closing: whatever is pending is due. */
  closing = false;

  constructor(
    private readonly source: EventSource,
    private readonly state: ContactState,
    private readonly batchSize: number,
    /** Whether the contact is quiet (every path parked). */
    private readonly quiet: () => boolean,
  ) {}

  emit<T extends ContactEventType>(type: T, nodeId: string, data: ContactEventData[T]): void {
    const sequence = this.state.eventSeq++;
    const { workflowId, contactId, flowId, flowVersion, simulation } = this.source;
    this.pending.push({ id: `${workflowId}/${sequence}`, workflowId, sequence, type, time: workflowNowIso(), contactId, flowId, flowVersion, nodeId, ...(simulation ? { simulation } : {}), data } as ContactEventRecord);
    this.sendIfDue();
  }

  /**
   * Sends what is pending if sending is due and nothing is in flight; after a delivery it looks again.
   * Called where that can become true: an event recorded, a path parked, a branch ended, the run closing.
   */
  sendIfDue(): void {
    if (this.sending || this.pending.length === 0) return;
    if (this.pending.length < this.batchSize && !this.closing && !this.quiet()) return;
    const batch = this.pending.splice(0);
    this.keep ??= new CancellationScope({ cancellable: false });
    this.sending = this.keep
      .run(() => eventDelivery.emitEvents({ events: batch }))
      .then(() => {
        this.sending = undefined;
        this.sendIfDue();
      });
  }

  /** The delivery in flight, if any. */
  inFlight(): Promise<void> | undefined {
    return this.sending;
  }

  hasPending(): boolean {
    return this.pending.length > 0;
  }

  /** Nothing pending, nothing in flight. */
  idle(): boolean {
    return this.pending.length === 0 && !this.sending;
  }

  /**
   * The usual end of a run (nothing else in flight, the workflow not cancelled): the delivery of the
   * last events in the current scope, awaited directly. Undefined when there is nothing to send that
   * way (then drain). `lastEventsCancelled` puts them back if a cancellation interrupts the delivery.
   */
  last(): Promise<unknown> | undefined {
    if (this.sending || this.pending.length === 0 || CancellationScope.current().consideredCancelled) return undefined;
    this.closing = true;
    this.lastBatch = this.pending.splice(0);
    return eventDelivery.emitEvents({ events: this.lastBatch });
  }

  /** The last delivery was cancelled (the workflow was, meanwhile): queue its events again for `drain`. */
  lastCancelled(): void {
    this.pending.unshift(...this.lastBatch);
    this.lastBatch = [];
  }
}
