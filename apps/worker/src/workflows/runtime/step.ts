/**
 * What a node executor is and what it may use: the step it runs, the exits it can take, and the narrow
 * runtime façade (`NodeRuntime`). Executors live one per node type@version in `src/nodes/<type>/`; the
 * runtime core (this folder) owns paths, the conversation, events and continue-as-new.
 */
import type { ContactOutcome, EscalationTrigger, WorkItemResolution } from '@tandem/contracts';
import type { Plan, PlanNode } from '@tandem/flow/runtime';
import type { ContactFlowInput, ContactState, HandledBy, OutboundMessage, SubflowOutput } from '@tandem/workflow-contract';
import type { CallSite, ContactEventData, ContactEventType } from '../../activities/contract';
import type { Expressions } from './expressions';

/** A line of execution through the plan: the main path, or one branch of a parallel. */
export interface Path {
  id: string;
  main: boolean;
  /** The join where this branch stops. */
  stopAt?: string;
  /** `any` joins: finish the current step, then stop at the next node boundary. */
  stopRequested: boolean;
  /** The node the path is at. */
  node?: string;
  /** Who the customer deals with on this path right now (see `handledBy`). */
  activity: HandledBy;
  /** The current node's visit and entry time (ms), for step.exited. */
  visit: number;
  enteredAt: number;
}

/** One visit of a node, as its executor sees it: the node with its config typed, the visit and the path. */
export interface Step<C> {
  readonly node: Omit<PlanNode, 'config'> & { readonly config: C };
  /** 1 on the first visit of this node by this contact, 2 on a loop back, … */
  readonly visit: number;
  /** The run resumes at this node after continue-as-new: its `state.nodeState` entry holds its progress. */
  readonly resuming: boolean;
  readonly path: Path;
}

/** The executor reached an end node: the contact has ended (`NodeRuntime.finish` was called). */
export const ENDED = Object.freeze({ ended: true as const });

/**
 * How a step leaves:
 * - the id of the port it leaves by;
 * - `{ port, after?, error? }`: that port once `after` settles (a delivery in flight: awaiting it costs
 *   no promise, a `.then` would), `error` saying what went wrong when the step took its defined way out
 *   after a failure (recorded on its step.exited event, for the node's metrics);
 * - `ENDED`;
 * - `{ continueAt, port?, after? }`: the path goes on at another node — a parallel at its join (it
 *   recorded its own exits), the escape hatch at its target (recorded with `port`).
 */
export type StepExit =
  | string
  | { readonly port: string; readonly after?: Promise<unknown>; readonly error?: string }
  | typeof ENDED
  | { readonly continueAt: string; readonly port?: string; readonly after?: Promise<unknown> };

/**
 * The executor of one node type at one version: a short function over a typed node and the façade.
 * It returns the exit synchronously when it waits for nothing (no promise: each costs the workflow
 * sandbox a captured stack), else a promise of it.
 */
export interface NodeExecutor<C = unknown> {
  readonly type: string;
  readonly version: number;
  /** What the node does at run time: its row in docs/runtime.md ("Node by node"), generated from here. */
  readonly doc: string;
  run(step: Step<C>, rt: NodeRuntime): StepExit | Promise<StepExit>;
}

/** Declares an executor; `C` is the node's config type from its zod schema in @tandem/flow (`import type`). */
export function defineExecutor<C>(executor: NodeExecutor<C>): NodeExecutor<C> {
  return executor;
}

/** The progress of a step that asks and then waits until a deadline (wait, survey), kept across continue-as-new. */
export interface DeadlineProgress {
  /** Workflow time (ms) the wait ends; null until set. */
  deadline: number | null;
  /** Its question was asked (not again when the run resumes). */
  asked?: boolean;
}

/** A customer message a step has read: its text and its index in the transcript. */
export interface CustomerMessage {
  text: string;
  index: number;
}

/**
 * What an executor may use of the runtime. Anything else an executor needs is a sign the runtime core
 * should offer it here, not that the executor should reach into the core.
 */
export interface NodeRuntime {
  readonly plan: Plan;
  /** The workflow's input: pinned subflow plans and calendars, options. */
  readonly input: ContactFlowInput;
  readonly workflowId: string;
  /** The contact's durable state (context, NLU, transcript, per-node progress), carried across continue-as-new. */
  readonly state: ContactState;
  /** The run is handing over to a new one: a waiting step keeps its `nodeState` for the resume. */
  readonly continuing: boolean;
  readonly expressions: Expressions;
  /** The trigger that made the last bot or classification escalate, for the handoff and the escalated event. */
  lastTrigger: EscalationTrigger | null;

  /**
   * The progress a waiting step keeps in `state.nodeState` (it survives continue-as-new): what was
   * stored when the run resumes at this step, else `fresh()`.
   */
  progress<T extends object>(step: Step<unknown>, fresh: () => T): T;
  /** The step is over: its progress goes (kept while the run hands over, to resume from). */
  forgetProgress(step: Step<unknown>): void;

  /** Where an activity call comes from (logs, idempotency keys: workflow id + node + visit). */
  site(node: { id: string }, visit: number): CallSite;

  /** Says something to the customer: the open turn's answer, the parent (subflows), or the channel. */
  say(from: OutboundMessage['from'], text: string, nodeId?: string, articleId?: string): Promise<void> | undefined;
  /** The next unread customer message, waiting for one (up to `timeoutMs`); null on timeout or when the customer leaves. */
  nextMessage(path: Path, nodeId: string, options?: { timeoutMs?: number; checkpoint?: boolean }): Promise<CustomerMessage | null>;
  /** Waits until `ready` (or the timeout); meanwhile the path counts as parked. False on timeout. */
  park(path: Path, acceptsInput: boolean, ready: () => boolean, timeoutMs?: number): Promise<boolean>;
  /** A safe point of a waiting step: the run may continue-as-new here (it throws to unwind). */
  checkpoint(path: Path, nodeId: string): void;
  /** The customer left or the contact is being cancelled. */
  leaving(): boolean;
  /** Unwinds the contact as abandoned at this node (after `leaving()`). */
  leave(nodeId: string): never;

  /** The resolution routing delivered for this work item, once (later calls: undefined). */
  takeResolution(workItemId: string): WorkItemResolution | undefined;
  hasResolution(workItemId: string): boolean;
  /** The customer left while an escalation waits: true once, for the escalation to take its `abandoned` exit. */
  takeCustomerLeft(): boolean;
  customerLeft(): boolean;

  /** Records a contact event (sent in batches when the contact waits or ends). */
  emit<T extends ContactEventType>(type: T, nodeId: string, data: ContactEventData[T]): void;
  /** Work that may outlive the step (agent assist): the run waits for it before it ends. */
  background(task: Promise<unknown>): void;
  /** Publishes the queue search attribute (`TandemQueue`). */
  publishQueue(queue: string): void;
  /** Records how the contact ends (once). */
  finish(outcome: ContactOutcome, nodeId: string): void;
  /** Renders a template; one that fails at run time is sent as written (and logged), never stops the contact. */
  renderSafely(source: string, nodeId: string): string;

  /** Runs a parallel node's branches until its join may go on (`all`, `any`, `first`). */
  runBranches(node: PlanNode, path: Path): Promise<void>;
  /** Subflow caller: collects what the child workflow sends back until `release()`. */
  receiveSubflow(childWorkflowId: string): { outputs: SubflowOutput[]; release(): void };
}

/** Thrown by the main path at a checkpoint when it is time to continue-as-new. */
export class ContinueAsNewRequest extends Error {
  constructor(readonly resumeAt: string) {
    super(`continue-as-new at ${resumeAt}`);
    this.name = 'ContinueAsNewRequest';
  }
}

/** The customer left while a path waited for them: the contact ends as abandoned. */
export class CancelledContact extends Error {
  constructor(readonly nodeId: string) {
    super(`the customer left at ${nodeId}`);
    this.name = 'CancelledContact';
  }
}

/** A branch reached an end node: unwinds the other paths. */
export class EndReached extends Error {
  constructor(readonly nodeId: string) {
    super(`ended at ${nodeId}`);
    this.name = 'EndReached';
  }
}
