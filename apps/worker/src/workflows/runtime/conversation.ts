/**
 * The conversation: customer messages in (the `customerMessage` update's turns, the inbox), what the
 * flow says out (into the open turn's answer, through the parent for a subflow, or through the
 * channel), and the waiting model behind both — a path that waits is *parked*; when every path is
 * parked the contact is *quiescent*, and a customer's turn returns with everything said until then.
 */
import { condition, log } from '@temporalio/workflow';
import type { ComplianceFlag } from '@tandem/contracts';
import { maskPaymentCards } from '@tandem/contracts/sandbox';
import type { ContactState, CustomerMessageInput, CustomerMessageReply, HandledBy, OutboundMessage, SubflowInput } from '@tandem/workflow-contract';
import { workflowNowIso } from '../clock';
import { core } from './proxies';
import type { CustomerMessage, Path } from './step';

interface Turn {
  index: number;
  consumed: boolean;
  replies: OutboundMessage[];
}

/** What the conversation needs to know of the rest of the contact. */
export interface ConversationHost {
  /** Paths running now (the main path and parallel branches). */
  pathCount(): number;
  /** The contact ended, or is handing over to a new run: no turn stays open. */
  closed(): boolean;
  /** Who has the contact, for the answer of a turn. */
  handledBy(): HandledBy;
  steps(): string[];
  /** A path is about to wait: publish where the contact waits (`TandemStep`). */
  publishStep(): void;
  /** The contact may have gone quiet: send the events that became due. */
  sendEventsIfDue(): void;
}

export class Conversation {
  private readonly turns: Turn[] = [];
  private currentTurn: Turn | null = null;
  private parked = 0;
  private accepting = 0;
  /** False until the main path runs: a buffered update delivered before must not see a quiet contact. */
  started = false;
  /** Subflow side: what to send the parent, and the parent's index of each forwarded message by ours. */
  readonly relayOut: OutboundMessage[] = [];
  private readonly parentIndexOf = new Map<number, number>();
  /** Subflow side: the newest forwarded message (parent index) a step has read. */
  lastParentConsumed = -1;

  constructor(
    private readonly state: ContactState,
    private readonly isSubflow: boolean,
    private readonly host: ConversationHost,
    /** A sandbox run (a flow test): nothing is delivered through the channel; the transcript has it all. */
    private readonly sandbox = false,
  ) {}

  quiescent(): boolean {
    return this.started && this.parked >= this.host.pathCount();
  }

  /** Every customer message read and answered: nothing waits on this run (continue-as-new is safe). */
  settled(): boolean {
    return this.state.inbox.length === 0 && this.turns.every((t) => t.consumed);
  }

  /** Waits for `ready` (or the timeout); while waiting the path counts as parked. */
  async park(acceptsInput: boolean, ready: () => boolean, timeoutMs?: number): Promise<boolean> {
    this.host.publishStep();
    this.parked++;
    if (acceptsInput) this.accepting++;
    this.host.sendEventsIfDue();
    try {
      if (timeoutMs === undefined) {
        await condition(ready);
        return true;
      }
      return await condition(ready, Math.max(1, timeoutMs));
    } finally {
      this.parked--;
      if (acceptsInput) this.accepting--;
    }
  }

  /** A path starts waiting on something other than a condition (a fork on its branches): it counts as parked. */
  beginWait(): void {
    this.parked++;
    this.host.sendEventsIfDue();
  }

  endWait(): void {
    this.parked--;
  }

  /**
   * Says something to the customer: into the open turn's replies, through the parent (subflows), or
   * delivered through the channel. Returns the delivery's promise, or undefined when nothing is sent.
   */
  say(from: OutboundMessage['from'], text: string, nodeId?: string, articleId?: string): Promise<void> | undefined {
    if (!text.trim()) return undefined;
    const index = this.state.transcript.length;
    this.state.transcript.push({ at: workflowNowIso(), from, text, ...(nodeId ? { nodeId } : {}), ...(articleId ? { articleId } : {}) });
    const message: OutboundMessage = { from, text, ...(nodeId ? { nodeId } : {}), ...(articleId ? { articleId } : {}) };
    if (this.isSubflow) {
      // A subflow talks through its parent, which holds the customer's conversation.
      this.relayOut.push(message);
      return undefined;
    }
    if (this.currentTurn && !this.turnClosed(this.currentTurn)) {
      this.currentTurn.replies.push(message);
      return undefined;
    }
    // No customer message is waiting for this answer: deliver it through the channel.
    if (this.sandbox) return undefined;
    return core.deliverMessage({ contactId: this.state.contact.id, channel: this.state.contact.channel, from, text, index });
  }

  /** The next unread customer message, waiting for one (up to `timeoutMs`, or until `leaving`) if there is none. */
  async nextMessage(path: Path, nodeId: string, leaving: () => boolean, timeoutMs?: number, beforePark?: () => void): Promise<CustomerMessage | null> {
    if (!this.state.inbox.length) {
      beforePark?.();
      const arrived = await this.park(true, () => this.state.inbox.length > 0 || leaving(), timeoutMs);
      if (!arrived || !this.state.inbox.length) return null;
    }
    const index = this.state.inbox.shift() as number;
    const parentIndex = this.parentIndexOf.get(index);
    if (parentIndex !== undefined) this.lastParentConsumed = Math.max(this.lastParentConsumed, parentIndex);
    const turn = this.turns.find((t) => t.index === index);
    if (turn) {
      turn.consumed = true;
      this.currentTurn = turn;
    }
    log.debug('customer message read', { nodeId, index, path: path.id });
    return { text: this.state.transcript[index]?.text ?? '', index };
  }

  /** The `customerMessage` update: records the message, waits until the flow answered it, returns the answer. */
  async onCustomerMessage(message: CustomerMessageInput): Promise<CustomerMessageReply> {
    const index = this.state.transcript.length;
    // Card numbers never reach the transcript, the handoff or the events (PCI DSS).
    this.state.transcript.push({ at: workflowNowIso(), from: 'customer', text: maskPaymentCards(message.text.trim()).text });
    const turn: Turn = { index, consumed: false, replies: [] };
    this.turns.push(turn);
    this.state.inbox.push(index);
    try {
      await condition(() => this.turnClosed(turn));
    } finally {
      this.turns.splice(this.turns.indexOf(turn), 1);
      if (this.currentTurn === turn) this.currentTurn = null;
    }
    return { handledBy: this.host.handledBy(), messages: turn.replies, steps: this.host.steps() };
  }

  /**
   * An agent's message to the customer: into the transcript, then to the customer through the parent
   * (subflows) or the channel — never into a turn's answer (the customer's update returned already).
   */
  agentSaid(raw: string, agentId: string, nodeId: string, flags?: ComplianceFlag[]): Promise<void> | undefined {
    const index = this.state.transcript.length;
    // The API masked it already; a client that signals the workflow directly does not get to store one either.
    const { text } = maskPaymentCards(raw);
    this.state.transcript.push({ at: workflowNowIso(), from: 'agent', text, agentId, nodeId, ...(flags?.length ? { flags } : {}) });
    if (this.isSubflow) {
      this.relayOut.push({ from: 'agent', text, nodeId });
      return undefined;
    }
    if (this.sandbox) return undefined;
    return core.deliverMessage({ contactId: this.state.contact.id, channel: this.state.contact.channel, from: 'agent', text, index });
  }

  /** Subflow side: a customer message forwarded by the parent. */
  onSubflowInput(input: SubflowInput): void {
    const index = this.state.transcript.length;
    this.state.transcript.push({ at: workflowNowIso(), from: 'customer', text: maskPaymentCards(input.text).text });
    this.parentIndexOf.set(index, input.parentIndex);
    this.state.inbox.push(index);
  }

  private turnClosed(turn: Turn): boolean {
    return this.host.closed() || (this.quiescent() && (turn.consumed || this.accepting === 0));
  }
}
