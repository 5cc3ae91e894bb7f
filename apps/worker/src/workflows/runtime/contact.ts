/**
 * One contact's run: the composition of the runtime core — the scheduler (paths), the conversation,
 * the events, expressions, the subflow relay, continue-as-new — and the façade its node executors get.
 * The workflow function (`../contact-flow.ts`) wires Temporal's handlers to it.
 */
import { ApplicationFailure, CancellationScope, condition, log, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { ContactOutcome, EscalationTrigger, WorkItemResolution } from '@tandem/contracts';
import type { Plan, PlanNode } from '@tandem/flow/runtime';
import {
  OutcomeKey,
  QueueKey,
  StepKey,
  type CancelInput,
  type CarriedState,
  type ContactFlowInput,
  type ContactFlowResult,
  type ContactState,
  type HandledBy,
  type OutboundMessage,
  type SubflowOutput,
} from '@tandem/workflow-contract';
import type { CallSite, ContactEventData, ContactEventType } from '../../activities/contract';
import { workflowNow } from '../clock';
import { checkPlan } from './check-plan';
import { Conversation } from './conversation';
import { EventOutbox } from './events';
import { Expressions } from './expressions';
import { core } from './proxies';
import type { ExecutorRegistry } from './registry';
import { SubflowRelay } from './relay';
import { Scheduler } from './scheduler';
import { startingState } from './state';
import { CancelledContact, ContinueAsNewRequest, EndReached, type CustomerMessage, type NodeRuntime, type Path, type Step } from './step';

export class ContactRuntime implements NodeRuntime {
  readonly plan: Plan;
  readonly state: ContactState;
  readonly workflowId: string;
  readonly expressions: Expressions;
  readonly conversation: Conversation;
  readonly scheduler: Scheduler;
  readonly relay: SubflowRelay | undefined;
  lastTrigger: EscalationTrigger | null = null;
  private readonly outbox: EventOutbox;
  private readonly resolutions = new Map<string, WorkItemResolution>();
  private cancelRequested: CancelInput | null = null;
  private ended: { outcome: ContactOutcome; nodeId: string } | null = null;
  private handingOver = false;
  private handledByWhenContinuing: HandledBy = 'flow';
  private tasks: Promise<unknown>[] = [];
  private readonly subflowOutputs = new Map<string, SubflowOutput[]>();
  /** The step operators should see (`TandemStep`), published when the contact waits there. */
  private stepToPublish: string | null = null;
  private publishedStep: string | null = null;
  /** `finish` recorded the end; `publishOutcome` publishes it with the run's completion. */
  private endToPublish = false;

  constructor(
    readonly input: ContactFlowInput,
    executors: ExecutorRegistry,
  ) {
    checkPlan(input, executors);
    this.plan = input.plan;
    this.workflowId = workflowInfo().workflowId;
    this.state = startingState(input, this.plan);
    this.expressions = new Expressions(this.plan, this.state, input.calendars);
    this.conversation = new Conversation(this.state, input.parent !== undefined, {
      pathCount: () => this.scheduler.paths.size,
      closed: () => this.ended !== null || this.handingOver,
      handledBy: () => this.handledBy(),
      steps: () => this.steps(),
      publishStep: () => this.publishStep(),
      sendEventsIfDue: () => this.outbox.sendIfDue(),
    }, input.options?.sandbox === true);
    const source = {
      workflowId: this.workflowId,
      contactId: this.state.contact.id,
      flowId: this.plan.flowId,
      flowVersion: input.flowVersion,
      ...(input.options?.sandbox ? { simulation: true as const } : {}),
    };
    this.outbox = new EventOutbox(source, this.state, input.options?.eventBatchSize ?? 100, () => this.conversation.quiescent());
    this.scheduler = new Scheduler(
      {
        plan: this.plan,
        state: this.state,
        conversation: this.conversation,
        runtime: this,
        emit: (type, nodeId, data) => this.emit(type, nodeId, data),
        stepReached: (nodeId) => void (this.stepToPublish = nodeId),
        sendEventsIfDue: () => this.outbox.sendIfDue(),
        background: (task) => this.background(task),
      },
      executors,
    );
    this.relay = input.parent
      ? new SubflowRelay(input.parent.workflowId, this.workflowId, this.conversation, { closing: () => this.outbox.closing, handledBy: () => this.handledBy() })
      : undefined;
  }

  /** Runs the flow to its end (or throws ContinueAsNewRequest, CancelledContact or a cancellation). */
  async run(): Promise<ContactFlowResult> {
    if (!this.input.carried) {
      const origin = this.input.origin ?? { kind: 'api' as const };
      const { customer } = this.state.contact;
      this.emit('contact.started', this.plan.start, {
        channel: this.state.contact.channel,
        customer: { id: customer.id, tier: customer.tier, authenticated: customer.authenticated },
        origin: origin.kind,
        ...(origin.external ? { external: origin.external } : {}),
        ...(origin.parentContactId ? { parentContactId: origin.parentContactId } : {}),
      });
    }
    const main = this.scheduler.newPath(true);
    this.conversation.started = true;
    const resumeAt = this.input.carried?.resumeAt;
    try {
      await this.scheduler.runPath(resumeAt ?? this.plan.start, main, resumeAt !== undefined);
    } catch (e) {
      if (!(e instanceof EndReached)) throw e;
    } finally {
      this.scheduler.paths.delete(main.id);
    }
    if (!this.ended) throw ApplicationFailure.nonRetryable('the flow stopped without reaching an end node', 'PlanError');
    return this.result();
  }

  result(): ContactFlowResult {
    return { outcome: this.ended?.outcome ?? 'abandoned', nodeId: this.ended?.nodeId ?? '', ctx: this.state.ctx, transcriptLength: this.state.transcript.length };
  }

  // ------------------------------------------------------------------ the façade (NodeRuntime)

  get continuing(): boolean {
    return this.handingOver;
  }

  progress<T extends object>(step: Step<unknown>, fresh: () => T): T {
    const stored = step.resuming ? (this.state.nodeState[step.node.id] as T | undefined) : undefined;
    const progress = stored ?? fresh();
    this.state.nodeState[step.node.id] = progress;
    return progress;
  }

  forgetProgress(step: Step<unknown>): void {
    if (!this.handingOver) delete this.state.nodeState[step.node.id];
  }

  site(node: { id: string }, visit: number): CallSite {
    return { contactId: this.state.contact.id, workflowId: this.workflowId, nodeId: node.id, visit };
  }

  say(from: OutboundMessage['from'], text: string, nodeId?: string, articleId?: string): Promise<void> | undefined {
    return this.conversation.say(from, text, nodeId, articleId);
  }

  nextMessage(path: Path, nodeId: string, options: { timeoutMs?: number; checkpoint?: boolean } = {}): Promise<CustomerMessage | null> {
    return this.conversation.nextMessage(path, nodeId, () => this.leaving(), options.timeoutMs, options.checkpoint ? () => this.checkpoint(path, nodeId) : undefined);
  }

  park(_path: Path, acceptsInput: boolean, ready: () => boolean, timeoutMs?: number): Promise<boolean> {
    return this.conversation.park(acceptsInput, ready, timeoutMs);
  }

  /** At a park point of the main path: continue-as-new when history grew long (and nobody waits on us). */
  checkpoint(path: Path, nodeId: string): void {
    // Only the main path, alone, with every customer message read (their updates then return with what
    // was said, and the next run starts from a clean inbox).
    if (this.input.parent || !path.main || this.scheduler.paths.size > 1 || !this.conversation.settled()) return;
    const info = workflowInfo();
    const limit = this.input.options?.continueAsNewAfterEvents;
    if (info.continueAsNewSuggested || (limit !== undefined && info.historyLength >= limit)) {
      this.handledByWhenContinuing = this.handledBy();
      this.handingOver = true;
      throw new ContinueAsNewRequest(nodeId);
    }
  }

  leaving(): boolean {
    return this.cancelRequested !== null;
  }

  leave(nodeId: string): never {
    throw new CancelledContact(nodeId);
  }

  takeResolution(workItemId: string): WorkItemResolution | undefined {
    const resolution = this.resolutions.get(workItemId);
    if (resolution) {
      this.resolutions.delete(workItemId);
      this.state.resolvedWorkItems.push(workItemId);
    }
    return resolution;
  }

  hasResolution(workItemId: string): boolean {
    return this.resolutions.has(workItemId);
  }

  customerLeft(): boolean {
    return this.cancelRequested?.reason === 'customer_left';
  }

  takeCustomerLeft(): boolean {
    if (!this.customerLeft()) return false;
    this.cancelRequested = null;
    return true;
  }

  emit<T extends ContactEventType>(type: T, nodeId: string, data: ContactEventData[T]): void {
    this.outbox.emit(type, nodeId, data);
  }

  background(task: Promise<unknown>): void {
    this.tasks.push(task);
  }

  publishQueue(queue: string): void {
    upsertSearchAttributes([{ key: QueueKey, value: queue }]);
  }

  finish(outcome: ContactOutcome, nodeId: string, reason?: string): void {
    if (this.ended) return;
    this.ended = { outcome, nodeId };
    // Published in the workflow task that closes the run (`publishOutcome`): Temporal then writes the
    // visibility record once, at close, with the outcome in it.
    this.endToPublish = true;
    this.publishedStep = this.stepToPublish = nodeId;
    const lastAgent = this.state.lastHandler?.kind === 'agent' ? this.state.lastHandler.agentId : undefined;
    const resolvedBy =
      outcome === 'resolved_by_bot' ? { kind: 'bot' as const } : outcome === 'resolved_by_human' ? { kind: 'agent' as const, ...(lastAgent ? { agentId: lastAgent } : {}) } : { kind: 'none' as const };
    this.emit('contact.ended', nodeId, {
      outcome,
      resolvedBy,
      escalations: this.state.escalations,
      durationMs: Math.max(0, workflowNow().getTime() - Date.parse(this.state.startedAt)),
    });
    if (reason) log.info('contact ended', { outcome, nodeId, reason });
  }

  renderSafely(source: string, nodeId: string): string {
    try {
      return this.expressions.template(source);
    } catch (e) {
      log.warn('a template failed to render; sending it as written', { nodeId, error: String(e) });
      return source;
    }
  }

  runBranches(node: PlanNode, path: Path): Promise<void> {
    return this.scheduler.runBranches(node, path);
  }

  receiveSubflow(childWorkflowId: string): { outputs: SubflowOutput[]; release(): void } {
    const outputs: SubflowOutput[] = [];
    this.subflowOutputs.set(childWorkflowId, outputs);
    return { outputs, release: () => void this.subflowOutputs.delete(childWorkflowId) };
  }

  // ------------------------------------------------------------------ who has the contact

  handledBy(): HandledBy {
    if (this.ended) return 'ended';
    if (this.handingOver) return this.handledByWhenContinuing;
    const kinds = [...this.scheduler.paths.values()].map((p) => p.activity);
    for (const k of ['human', 'queue', 'bot'] as const) if (kinds.includes(k)) return k;
    return 'flow';
  }

  steps(): string[] {
    return [...this.scheduler.paths.values()].map((p) => p.node).filter((n): n is string => n !== undefined);
  }

  outcome(): ContactOutcome | null {
    return this.ended?.outcome ?? null;
  }

  /**
   * The contact has answered and waits: every path is parked (on the customer, an agent or a timer) and
   * no customer message is unread. What it said so far is all it says until something happens.
   */
  awaiting(): boolean {
    return this.outcome() === null && this.conversation.quiescent() && this.conversation.settled();
  }

  /** The node the main path is at (for cancellation reports). */
  currentNode(): string {
    return this.steps()[0] ?? this.state.trail[this.state.trail.length - 1] ?? this.plan.start;
  }

  private publishStep(): void {
    if (this.stepToPublish !== null && this.stepToPublish !== this.publishedStep) {
      upsertSearchAttributes([{ key: StepKey, value: this.stepToPublish }]);
      this.publishedStep = this.stepToPublish;
    }
  }

  // ------------------------------------------------------------------ messages from outside

  /** Records a cancellation; false when it is an escalation's to handle (the customer left a queue). */
  cancel(request: CancelInput): boolean {
    this.cancelRequested = request;
    const inEscalation = [...this.scheduler.paths.values()].some((p) => p.activity === 'queue' || p.activity === 'human');
    return !(request.reason === 'customer_left' && inEscalation);
  }

  resolve(resolution: WorkItemResolution): void {
    const item = this.state.workItem;
    if (this.state.resolvedWorkItems.includes(resolution.workItemId) || !item || item.id !== resolution.workItemId) {
      log.warn('late or duplicate work item resolution: ignored', { workItemId: resolution.workItemId, current: item?.id });
      return;
    }
    this.resolutions.set(resolution.workItemId, resolution);
  }

  subflowOutput(output: SubflowOutput): void {
    const queue = this.subflowOutputs.get(output.childWorkflowId);
    if (!queue) {
      log.warn('output from a subflow this contact is not running: ignored', { child: output.childWorkflowId });
      return;
    }
    queue.push(output);
  }

  // ------------------------------------------------------------------ the end of a run

  /** After a cancellation: withdraw the open work item, end as abandoned. */
  async abandon(nodeId: string, reason: string): Promise<ContactFlowResult> {
    const item = this.state.workItem;
    if (item) {
      await CancellationScope.nonCancellable(() => core.withdrawWorkItem({ workItemId: item.id, reason: 'cancelled' }));
      this.state.workItem = null;
    }
    this.finish('abandoned', nodeId, reason);
    return this.result();
  }

  carried(resumeAt: string): CarriedState {
    return { state: this.state, resumeAt, runs: (this.input.carried?.runs ?? 0) + 1, ...(this.cancelRequested ? { cancel: this.cancelRequested } : {}) };
  }

  /**
   * The usual end of a run — nothing else in flight, not a subflow: the delivery of the last events,
   * to await directly. Undefined otherwise (then `drain`).
   */
  lastEvents(): Promise<unknown> | undefined {
    return this.relay || this.tasks.length > 0 ? undefined : this.outbox.last();
  }

  lastEventsCancelled(): void {
    this.outbox.lastCancelled();
  }

  /** Nothing left to send or wait for: `drain` would return at once. */
  get drained(): boolean {
    return this.outbox.idle() && (this.relay?.idle() ?? true) && this.tasks.length === 0;
  }

  /** Sends everything pending and waits for background work and the relay to the parent. */
  async drain(): Promise<void> {
    this.outbox.closing = true;
    for (;;) {
      const inFlight = this.outbox.inFlight();
      const relay = this.relay;
      if (inFlight) {
        await inFlight;
      } else if (relay && !relay.idle()) {
        await condition(() => relay.idle());
      } else if (this.outbox.hasPending()) {
        this.outbox.sendIfDue();
      } else if (this.tasks.length > 0) {
        const tasks = this.tasks;
        this.tasks = [];
        await Promise.allSettled(tasks);
      } else {
        return;
      }
    }
  }

  /**
   * Called by the workflow right before it returns, with nothing left to await: publishes where and how
   * the contact ended, in the workflow task that completes the run.
   */
  publishOutcome(): void {
    if (!this.endToPublish || !this.ended) return;
    this.endToPublish = false;
    upsertSearchAttributes([
      { key: StepKey, value: this.ended.nodeId },
      { key: OutcomeKey, value: this.ended.outcome },
    ]);
  }
}
