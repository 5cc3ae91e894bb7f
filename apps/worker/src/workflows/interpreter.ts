/**
 * The interpreter: runs a compiled plan for one contact inside the Temporal workflow sandbox.
 *
 * Execution model
 * - A *path* runs nodes one after another, following `next[port]`. The main path starts at the
 *   plan's start; a parallel node starts one path per branch (each advancing on its own: a parked human
 *   step never blocks the others) and the join decides when the flow goes on.
 * - Nodes that talk to the outside world call activities; decisions, assignments and templates are CEL
 *   evaluated here, deterministically.
 * - A path *parks* when it waits for something external (a customer message, an agent, a timer). When
 *   every path is parked the contact is *quiescent*: a customer message's update returns then, with the
 *   messages the flow sent in answer.
 * - Nodes that wait keep their progress in `state.nodeState`, so the main path can continue-as-new while
 *   parked and resume at the same node.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  condition,
  getExternalWorkflowHandle,
  isCancellation,
  log,
  patched,
  proxyActivities,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
  type ActivityOptions,
  type ChildWorkflowHandle,
} from '@temporalio/workflow';
import type { EscalationTrigger, WorkItemResolution } from '@tandem/contracts';
// Run-time values from the sandbox entry (shared across contacts, see shared-modules.ts).
import { emptyNlu, parseCustomer } from '@tandem/contracts/sandbox';
import type { Activation, Calendar, CalendarRef, Evaluator, Plan, PlanNode, PreparedActivation } from '@tandem/flow/runtime';
// Values from the sandbox entry: the runtime entry's plan schemas would be rebuilt for every contact.
import { createEvaluator, isOpen, nextOpening } from '@tandem/flow/sandbox';
import { planEvaluators } from './shared-modules';
import type { BuiltinActivities, ContactEventRecord, LiveDataResponse } from '../activities/contract';
import { customActivityType } from '../activities/contract';
import { workflowNow, workflowNowIso } from './clock';
import { subflowInputSignal, subflowOutputSignal, type AgentMessageInput, type CancelInput, type SubflowInput, type SubflowOutput } from '@tandem/workflow-contract';
import { OutcomeKey, QueueKey, StepKey } from '@tandem/workflow-contract';
import type {
  CarriedState,
  ContactFlowInput,
  ContactFlowResult,
  ContactState,
  ContactStateView,
  CustomerMessageInput,
  CustomerMessageReply,
  HandledBy,
  OutboundMessage,
} from '@tandem/workflow-contract';

// Built-in activities are quick (a bot turn is milliseconds, a first model training about a second), so a
// short timeout lets a retry on another worker start soon after a worker dies mid-activity.
const activities = proxyActivities<BuiltinActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '10 seconds', maximumAttempts: 20 },
});

/** Event delivery must never be lost: retry until the sink takes them (Kafka may be down for a while). */
const eventActivities = proxyActivities<Pick<BuiltinActivities, 'emitEvents'>>({
  startToCloseTimeout: '30 seconds',
  // No maximumAttempts: unlimited retries.
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

/**
 * Interpreter changes that alter the commands a workflow issues go behind `patched()`, so contacts that
 * started on an older worker replay unchanged (test/replay.test.ts replays recorded histories of every
 * generation). Each id is a dated change; remove the old branch with `deprecatePatch` once no such
 * contact can be running.
 *
 * Each patch costs a contact two history events (Temporal's marker and its automatic
 * `TemporalChangeVersion` search-attribute upsert), so a new change supersedes the newest patch instead
 * of adding one: a generation's id stands for its own change *and* every earlier one. `begin()` asks
 * for the newest id first, so a new contact records one marker, whatever the number of generations.
 *
 * - generation 1, `PATCH_STEP_WHEN_WAITING`: the step search attribute is published where a contact
 *   waits, not on every step (was one history event per step).
 * - generation 2, `PATCH_INSTANT_STEPS`: steps that wait for nothing (start, join, decision and set
 *   without live data, an end without a message) run synchronously instead of through a chain of
 *   promises — each promise costs the SDK a captured stack trace, and these were most of a contact's.
 * - generation 3, `PATCH_EVENTS_WHEN_DUE`: no background flusher polling a condition; events are sent
 *   where sending becomes due (a path parks, a branch ends, enough are pending, the run closes), and at
 *   the end of a run the last batch is sent directly; message, classify and ticket steps continue
 *   their activity's own promise; the main path's end returns instead of throwing (an error captures
 *   a stack).
 * - generation 4, `PATCH_OUTCOME_AT_CLOSE`: the outcome (and final step) search attributes are
 *   upserted in the workflow task that closes the run, not where the end step is reached. Temporal skips
 *   the visibility write of an upsert whose workflow has closed by the time it is processed, so the
 *   close writes the record once, outcome included (was a separate write for the upsert).
 */
export const PATCH_STEP_WHEN_WAITING = '2026-11-23-step-search-attribute-when-waiting';
export const PATCH_INSTANT_STEPS = '2026-11-23-instant-steps';
export const PATCH_EVENTS_WHEN_DUE = '2026-11-23-events-when-due';
export const PATCH_OUTCOME_AT_CLOSE = '2026-11-23-outcome-at-close';

/**
 * Changes to what happens on a failure path only are asked for where that failure happens, not in
 * `begin()`: a contact records their marker only if it goes down that path, and contacts recorded
 * before the change replay as they ran.
 * - `PATCH_CANCEL_IS_NOT_AN_ACTIVITY_ERROR`: a custom activity interrupted because the contact was
 *   cancelled no longer leaves through the node's `error` exit; the cancellation goes on (the contact
 *   ends as abandoned). Before, the flow went on down the error path and could end with its outcome.
 * - `PATCH_SUBFLOW_ERROR_EXIT`: a subflow node of version 2 leaves through `error` when the called flow
 *   fails, times out, is terminated or cannot be loaded (version 1 fails the calling contact).
 * - `PATCH_SUBFLOW_CLOSES_ON_CANCEL`: a contact cancelled while in a subflow waits for the subflow to
 *   close (it abandons: withdraws its work item, sends its last events) before ending itself. Before,
 *   the contact closed first and Temporal terminated the subflow mid-way.
 */
export const PATCH_CANCEL_IS_NOT_AN_ACTIVITY_ERROR = '2026-11-23-cancel-is-not-an-activity-error';
export const PATCH_SUBFLOW_ERROR_EXIT = '2026-11-23-subflow-error-exit';
export const PATCH_SUBFLOW_CLOSES_ON_CANCEL = '2026-11-23-subflow-closes-on-cancel';

/**
 * The node versions this interpreter runs (`test/ai-first.test.ts` checks it against the flow catalog,
 * so a new node version cannot ship without the interpreter running it).
 */
export const IMPLEMENTED_NODE_VERSIONS: Readonly<Record<string, readonly number[]>> = {
  start: [1],
  bot: [1],
  classify: [1],
  decision: [1],
  set: [1],
  escalate: [1],
  parallel: [1],
  join: [1],
  message: [1],
  wait: [1],
  schedule: [1],
  ticket: [1],
  survey: [1],
  activity: [1],
  subflow: [1, 2],
  end: [1],
};

/** Error of a customer message sent while the contact continues-as-new: send it again. */
export const CONTACT_MOVING = 'CONTACT_MOVING: the contact is continuing in a new run; send the message again';

/** Thrown by the main path at a park point when it is time to continue-as-new. */
export class ContinueAsNewRequest extends Error {
  constructor(readonly resumeAt: string) {
    super(`continue-as-new at ${resumeAt}`);
    this.name = 'ContinueAsNewRequest';
  }
}

/** A contact ended inside a path (an end node); unwinds the paths. */
class EndReached extends Error {
  constructor(readonly nodeId: string) {
    super(`ended at ${nodeId}`);
    this.name = 'EndReached';
  }
}

interface Turn {
  index: number;
  consumed: boolean;
  replies: OutboundMessage[];
}

interface Path {
  id: string;
  main: boolean;
  /** The join where this branch stops. */
  stopAt?: string;
  /** `any` joins: finish the current step, then stop at the next node boundary. */
  stopRequested: boolean;
  node?: string;
  activity: HandledBy;
  /** The current node's visit and entry time (ms), for step.exited. */
  visit: number;
  enteredAt: number;
}

interface BotNodeState {
  conversation: unknown;
  greeted: boolean;
}

interface EscalationNodeState {
  workItemId: string;
  queue: string;
  /** Workflow time (ms) the work item was created. */
  createdAt: number;
  actionsDone: number;
  callbackOffered: boolean;
  visit: number;
}

interface DeadlineNodeState {
  deadline: number | null;
  asked?: boolean;
}

/** Scores a survey answer; null when the text holds no valid score. */
export function parseSurveyScore(kind: string, text: string): number | null {
  const t = text.trim().toLowerCase();
  if (kind === 'thumbs') {
    if (/^(👍|yes|y|good|great|thumbs ?up|1)\b/.test(t)) return 1;
    if (/^(👎|no|n|bad|thumbs ?down|0)\b/.test(t)) return 0;
    return null;
  }
  const m = /-?\d+/.exec(t);
  if (!m) return null;
  const n = Number(m[0]);
  const [lo, hi] = kind === 'nps' ? [0, 10] : [1, 5];
  return Number.isInteger(n) && n >= lo && n <= hi ? n : null;
}

const AFFIRMATIVE = /\b(yes|yeah|yep|sure|ok|okay|please|call me|callback|call back)\b/i;

/** Evaluators by plan hash, shared across contacts (see `planEvaluators`). */
const evaluators = planEvaluators as Map<string, Evaluator>;

function evaluatorFor(plan: Plan): Evaluator {
  let evaluator = evaluators.get(plan.hash);
  if (!evaluator) {
    if (evaluators.size >= 200) evaluators.delete(evaluators.keys().next().value as string);
    evaluator = createEvaluator({ variables: plan.variables });
    evaluators.set(plan.hash, evaluator);
  }
  return evaluator;
}

export class Interpreter {
  readonly plan: Plan;
  readonly state: ContactState;
  readonly evaluator: Evaluator;
  private readonly workflowId: string;
  private readonly runs: number;
  private readonly resumeAt: string | undefined;

  /** Paths running now, by id. */
  private readonly paths = new Map<string, Path>();
  private parked = 0;
  private accepting = 0;
  private readonly turns: Turn[] = [];
  private currentTurn: Turn | null = null;
  private readonly pendingResolutions = new Map<string, WorkItemResolution>();
  private cancelRequested: CancelInput | null = null;
  private readonly events: ContactEventRecord[] = [];
  private flushing = false;
  private closing = false;
  private continuing = false;
  private ended: { outcome: ContactFlowResult['outcome']; nodeId: string } | null = null;
  private pathCounter = 0;
  private readonly liveCache: LiveDataResponse = { queues: {}, calendars: {} };
  private background: Promise<unknown>[] = [];
  /** Subflow side: what to send the parent, and the parent indexes of forwarded messages by our index. */
  private readonly relayOut: OutboundMessage[] = [];
  private readonly parentIndexOf = new Map<number, number>();
  private lastParentConsumed = -1;
  private lastParentReported = -1;
  private relaying = false;
  /** Parent side: outputs received from running subflows, by child workflow id. */
  private readonly subflowOutputs = new Map<string, SubflowOutput[]>();

  constructor(private readonly input: ContactFlowInput) {
    this.plan = input.plan;
    // A plan compiled by a newer Tandem (during a rolling upgrade, say) may hold node versions this
    // worker does not know. Running them as another version would be wrong; failing the contact would
    // lose it. A plain error fails the workflow task instead: Temporal retries it until a worker that
    // knows them picks it up.
    const unknown = Object.values(input.plan.nodes).filter((n) => !IMPLEMENTED_NODE_VERSIONS[n.type]?.includes(n.typeVersion));
    if (unknown.length > 0) {
      const list = [...new Set(unknown.map((n) => `${n.type} v${n.typeVersion}`))].join(', ');
      throw new Error(`this worker cannot run ${list} (the plan was compiled by a newer Tandem); the contact waits until a worker that can picks it up`);
    }
    this.workflowId = workflowInfo().workflowId;
    this.evaluator = evaluatorFor(input.plan);
    this.runs = input.carried?.runs ?? 0;
    this.resumeAt = input.carried?.resumeAt;
    // A carried state from an older run may lack fields added since: fill them in.
    const carried = input.carried?.state as Partial<ContactState> | undefined;
    this.state = carried
      ? ({ ...carried, trail: carried.trail ?? [], escalations: carried.escalations ?? 0, lastHandler: carried.lastHandler ?? null } as ContactState)
      : this.initialState();
    Object.assign(this.liveCache.calendars, input.calendars ?? {});
  }

  private initialState(): ContactState {
    const { contact } = this.input;
    const ctx: Record<string, unknown> = {};
    for (const v of this.plan.variables) ctx[v.name] = this.input.input?.[v.name] ?? v.initial;
    const state: ContactState = {
      contact: {
        id: contact.id,
        channel: contact.channel,
        customer: parseCustomer(contact.customer),
        attributes: contact.attributes ?? {},
      },
      ctx,
      nlu: emptyNlu(),
      bot: {},
      transcript: [],
      inbox: [],
      visits: {},
      trail: [],
      escalations: 0,
      lastHandler: null,
      nodeState: {},
      handoff: null,
      workItem: null,
      resolvedWorkItems: [],
      assist: null,
      eventSeq: 0,
      startedAt: workflowNowIso(),
    };
    // A subflow starts with the conversation so far (its handoffs and summaries need it).
    if (this.input.parent) state.transcript.push(...this.input.parent.transcript);
    if (contact.firstMessage?.trim()) {
      state.inbox.push(state.transcript.length);
      state.transcript.push({ at: state.startedAt, from: 'customer', text: contact.firstMessage.trim() });
    }
    return state;
  }

  // ---------------------------------------------------------------- the run

  /** Runs the flow to its end (or throws ContinueAsNewRequest / a cancellation). */
  async run(): Promise<ContactFlowResult> {
    if (!this.input.carried) {
      const origin = this.input.origin ?? { kind: 'api' as const };
      const customer = this.state.contact.customer;
      this.emit('contact.started', this.plan.start, {
        channel: this.state.contact.channel,
        customer: { id: customer.id, tier: customer.tier, authenticated: customer.authenticated },
        origin: origin.kind,
        ...(origin.external ? { external: origin.external } : {}),
        ...(origin.parentContactId ? { parentContactId: origin.parentContactId } : {}),
      });
    }
    const main = this.newPath(true);
    this.started = true;
    try {
      await this.runPath(this.resumeAt ?? this.plan.start, main, this.resumeAt !== undefined);
    } catch (e) {
      if (!(e instanceof EndReached)) throw e;
    } finally {
      this.paths.delete(main.id);
    }
    if (!this.ended) throw ApplicationFailure.nonRetryable(`the flow stopped without reaching an end node`);
    return this.result();
  }

  private result(): ContactFlowResult {
    return {
      outcome: this.ended?.outcome ?? 'abandoned',
      nodeId: this.ended?.nodeId ?? '',
      ctx: this.state.ctx,
      transcriptLength: this.state.transcript.length,
    };
  }

  private newPath(main: boolean, stopAt?: string): Path {
    const path: Path = { id: `p${this.pathCounter++}`, main, stopAt, stopRequested: false, activity: 'flow', visit: 0, enteredAt: 0 };
    this.paths.set(path.id, path);
    return path;
  }

  private async runPath(entry: string, path: Path, resuming = false): Promise<void> {
    let id = entry;
    let resumeFirst = resuming;
    for (;;) {
      if (path.stopAt === id || path.stopRequested) return;
      const node = this.plan.nodes[id];
      if (!node) throw ApplicationFailure.nonRetryable(`the plan has no node "${id}"`, 'PlanError');
      let visit: number;
      if (resumeFirst) {
        visit = this.state.visits[id] ?? 1;
        path.node = id;
        path.visit = visit;
        path.enteredAt = workflowNow().getTime();
      } else {
        visit = (this.state.visits[id] ?? 0) + 1;
        this.state.visits[id] = visit;
        this.enter(path, node, visit);
      }
      const resumingNode = resumeFirst;
      resumeFirst = false;

      if (node.type === 'end') {
        if (this.lean && typeof node.config.message !== 'string') this.endAt(node, path);
        else await this.runEnd(node, path);
        // Generation 3: the main path alone simply returns (an error costs a captured stack); branches
        // still unwind with EndReached.
        if (this.eventsWhenDue && path.main && this.paths.size === 1) return;
        throw new EndReached(node.id);
      }
      if (node.type === 'parallel' && !(node.loop && visit > node.loop.maxVisits)) {
        id = await this.runParallel(node, path);
        continue;
      }
      let port: string;
      if (node.loop && visit > node.loop.maxVisits && !resumingNode) {
        port = node.loop.exitPort;
        log.info('loop bound reached', { nodeId: node.id, maxVisits: node.loop.maxVisits, port });
      } else if (this.eventsWhenDue && node.type === 'message') {
        // Its delivery's own promise, not one more wrapped around it.
        const delivery = this.say('bot', this.render(node, 'text'), node.id);
        if (delivery) await delivery;
        port = 'next';
      } else {
        port = this.lean ? (this.instantPort(node) ?? (await this.dispatch(node, path, visit, resumingNode))) : await this.runNode(node, path, visit, resumingNode);
      }
      const next = node.next[port];
      this.exited(path, node, port);
      if (next === undefined) {
        throw ApplicationFailure.nonRetryable(`the node "${node.id}" left through "${port}", which leads nowhere`, 'PlanError');
      }
      id = next;
    }
  }

  private exited(path: Path, node: PlanNode, port: string): void {
    this.emit('step.exited', node.id, { nodeType: node.type, visit: path.visit || 1, port, durationMs: Math.max(0, workflowNow().getTime() - path.enteredAt) });
  }

  private enter(path: Path, node: PlanNode, visit: number): void {
    path.node = node.id;
    path.visit = visit;
    path.enteredAt = workflowNow().getTime();
    this.state.trail.push(node.id);
    this.emit('step.entered', node.id, { nodeType: node.type, visit });
    if (path.main || this.paths.size <= 1) {
      // Operators look for where contacts *wait*; publishing every step passed through cost one history
      // event per node. Contacts started before this change keep the old behaviour on replay.
      if (this.generation() >= 1) this.stepToPublish = node.id;
      else upsertSearchAttributes([{ key: StepKey, value: node.id }]);
    }
  }

  /**
   * The interpreter generation this run follows (see `PATCH_OUTCOME_AT_CLOSE`): 4, 3 or 2 from `begin`, else
   * decided at the first step entered — where generation 1 asked, so histories recorded by it replay —
   * and fixed from then on. Undefined before that: the older, asynchronous path.
   */
  private gen: 0 | 1 | 2 | 3 | 4 | undefined;

  /**
   * Called first thing in a run: a run of generation 2 or later knows it from its first workflow task, so
   * the whole run (its events included) can take the lean path. The newest id is asked first: a new
   * contact records only its marker. Otherwise (a history recorded by an older worker) the generation
   * is decided where generation 1 asked, at the first step entered.
   */
  begin(): void {
    if (patched(PATCH_OUTCOME_AT_CLOSE)) this.gen = 4;
    else if (patched(PATCH_EVENTS_WHEN_DUE)) this.gen = 3;
    else if (patched(PATCH_INSTANT_STEPS)) this.gen = 2;
  }

  /** Whether this run takes the lean path of generations 2 and later (known from `begin`). */
  get lean(): boolean {
    return this.gen !== undefined && this.gen >= 2;
  }

  /** Generation 3 and later: events are sent where sending becomes due; no background flusher runs. */
  get eventsWhenDue(): boolean {
    return this.gen !== undefined && this.gen >= 3;
  }

  private generation(): 0 | 1 | 2 | 3 | 4 {
    this.gen ??= patched(PATCH_STEP_WHEN_WAITING) ? 1 : 0;
    return this.gen;
  }

  /**
   * Generation 2: the port of a step that waits for nothing, computed synchronously; undefined for
   * every other step, which then runs through `dispatch`.
   */
  private instantPort(node: PlanNode): string | undefined {
    switch (node.type) {
      case 'start':
      case 'join':
        return 'next';
      case 'decision': {
        const activation = this.preparedNow(node);
        return activation && this.decide(node, activation);
      }
      case 'set':
        if (this.needsLiveData(node)) return undefined;
        this.assign(node);
        return 'next';
      default:
        return undefined;
    }
  }

  /** Generations 0 and 1: every step through this async wrapper (kept as it was, for replay). */
  private async runNode(node: PlanNode, path: Path, visit: number, resuming: boolean): Promise<string> {
    switch (node.type) {
      case 'message':
        await this.say('bot', this.render(node, 'text'), node.id);
        return 'next';
      case 'schedule':
        return (await this.calendarOpen(node.config.calendar as CalendarRef)) ? 'open' : 'closed';
      default:
        return this.dispatch(node, path, visit, resuming);
    }
  }

  /**
   * The step's own work: a port, or the promise of the step's function itself (generation 2 awaits it
   * directly instead of through `runNode`).
   */
  private dispatch(node: PlanNode, path: Path, visit: number, resuming: boolean): string | Promise<string> {
    switch (node.type) {
      case 'start':
      case 'join':
        return 'next';
      case 'bot':
        return this.runBot(node, path, visit, resuming);
      case 'classify':
        return this.eventsWhenDue ? this.classifyNow(node, visit) : this.runClassify(node, visit);
      case 'decision':
        return this.runDecision(node);
      case 'set':
        return this.runSet(node);
      case 'message': {
        const delivery = this.say('bot', this.render(node, 'text'), node.id);
        return delivery ? delivery.then(() => 'next') : 'next';
      }
      case 'wait':
        return this.runWait(node, path, resuming);
      case 'schedule':
        return this.calendarOpen(node.config.calendar as CalendarRef).then((open) => (open ? 'open' : 'closed'));
      case 'ticket':
        return this.eventsWhenDue ? this.ticketNow(node, visit) : this.runTicket(node, visit);
      case 'survey':
        return this.runSurvey(node, path, resuming);
      case 'escalate':
        return this.runEscalate(node, path, visit, resuming);
      case 'activity':
        return this.runCustomActivity(node, visit);
      case 'subflow':
        return this.runSubflow(node, path, visit);
      default:
        throw ApplicationFailure.nonRetryable(`this worker cannot run nodes of type "${node.type}" (typeVersion ${node.typeVersion})`, 'PlanError');
    }
  }

  // ---------------------------------------------------------------- expressions

  private activation(): Activation {
    const s = this.state;
    return {
      contact: { id: s.contact.id, channel: s.contact.channel, attributes: s.contact.attributes },
      customer: s.contact.customer,
      ctx: s.ctx,
      nlu: s.nlu,
      bot: s.bot,
      live: { queues: this.liveCache.queues, calendars: this.calendarFlags() },
    };
  }

  private calendarFlags(): Record<string, boolean> {
    const now = workflowNow();
    return Object.fromEntries(Object.entries(this.liveCache.calendars).map(([name, cal]) => [name, isOpen(cal, now)]));
  }

  /** Fetches (in an activity) the live data the node's expressions reference, then prepares an activation. */
  private async prepared(node: PlanNode): Promise<PreparedActivation> {
    const queues = new Set<string>();
    const calendars = new Set<string>();
    for (const e of Object.values(node.expressions)) {
      e.refs.queues.forEach((q) => queues.add(q));
      e.refs.calendars.forEach((c) => calendars.add(c));
    }
    if (queues.size || calendars.size) await this.fetchLive([...queues], [...calendars], true);
    return this.evaluator.prepare(this.activation());
  }

  /** Generation 2, when the node reads no live data: its activation at once (else use `prepared`). */
  private preparedNow(node: PlanNode): PreparedActivation | undefined {
    return this.lean && !this.needsLiveData(node) ? this.evaluator.prepare(this.activation()) : undefined;
  }

  /** Whether the node's expressions read live queue or calendar data (fetched in an activity first). */
  private needsLiveData(node: PlanNode): boolean {
    return Object.values(node.expressions).some((e) => e.refs.queues.length > 0 || e.refs.calendars.length > 0);
  }

  private async fetchLive(queues: string[], calendars: string[], refreshQueues: boolean): Promise<void> {
    const wantedQueues = refreshQueues ? queues : queues.filter((q) => !(q in this.liveCache.queues));
    const wantedCalendars = calendars.filter((c) => !(c in this.liveCache.calendars));
    if (!wantedQueues.length && !wantedCalendars.length) return;
    const live = await activities.fetchLiveData({ queues: wantedQueues.sort(), calendars: wantedCalendars.sort() });
    Object.assign(this.liveCache.queues, live.queues);
    Object.assign(this.liveCache.calendars, live.calendars);
  }

  private render(node: PlanNode, field: string, activation?: PreparedActivation | Activation): string {
    const source = node.config[field];
    if (typeof source !== 'string') return '';
    return this.evaluator.renderTemplate(source, activation ?? this.activation());
  }

  private async calendar(ref: CalendarRef): Promise<Calendar> {
    if (ref.kind === 'inline') return ref.calendar;
    await this.fetchLive([], [ref.name], false);
    const cal = this.liveCache.calendars[ref.name];
    if (!cal) throw ApplicationFailure.nonRetryable(`the calendar "${ref.name}" does not exist`, 'ConfigError');
    return cal;
  }

  private async calendarOpen(ref: CalendarRef): Promise<boolean> {
    return isOpen(await this.calendar(ref), workflowNow());
  }

  // ---------------------------------------------------------------- conversation

  /** Sends a message to the customer: into the transcript, the current turn's reply, and the channel. */
  /**
   * Says something to the customer: into the open turn's replies, through the parent (subflows), or
   * delivered through the channel. Generation 2 gets the delivery's own promise, or undefined when
   * nothing is sent; earlier generations the async wrapper they replay with.
   */
  private say(from: OutboundMessage['from'], text: string, nodeId?: string, articleId?: string): Promise<void> | undefined {
    return this.lean ? this.sayNow(from, text, nodeId, articleId) : this.sayAsync(from, text, nodeId, articleId);
  }

  private async sayAsync(from: OutboundMessage['from'], text: string, nodeId?: string, articleId?: string): Promise<void> {
    // Resolved at once when nothing is delivered, exactly as the async `say` of generations 0 and 1.
    const delivery = this.sayNow(from, text, nodeId, articleId);
    if (delivery) await delivery;
  }

  private sayNow(from: OutboundMessage['from'], text: string, nodeId?: string, articleId?: string): Promise<void> | undefined {
    if (!text.trim()) return undefined;
    const index = this.state.transcript.length;
    this.state.transcript.push({ at: workflowNowIso(), from, text, ...(nodeId ? { nodeId } : {}), ...(articleId ? { articleId } : {}) });
    const message: OutboundMessage = { from, text, ...(nodeId ? { nodeId } : {}), ...(articleId ? { articleId } : {}) };
    if (this.input.parent) {
      // A subflow talks through its parent, which holds the customer's conversation.
      this.relayOut.push(message);
      return undefined;
    }
    if (this.currentTurn && !this.turnClosed(this.currentTurn)) {
      this.currentTurn.replies.push(message);
      return undefined;
    }
    // No customer message is waiting for this answer: deliver it through the channel.
    return activities.deliverMessage({ contactId: this.state.contact.id, channel: this.state.contact.channel, from, text, index });
  }

  /** The next unread customer message, waiting for one (up to `timeoutMs`) if there is none. */
  private async nextMessage(path: Path, nodeId: string, timeoutMs?: number, beforePark?: () => void): Promise<{ text: string; index: number } | null> {
    if (!this.state.inbox.length) {
      beforePark?.();
      const arrived = await this.park(path, true, () => this.state.inbox.length > 0 || this.leaving(), timeoutMs);
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
    const entry = this.state.transcript[index];
    log.debug('customer message read', { nodeId, index });
    return { text: entry?.text ?? '', index };
  }

  /** Waits for `ready` (or the timeout); while waiting the path counts as parked. */
  private async park(path: Path, acceptsInput: boolean, ready: () => boolean, timeoutMs?: number): Promise<boolean> {
    this.publishStep();
    this.parked++;
    if (acceptsInput) this.accepting++;
    this.sendEventsIfDue();
    try {
      if (timeoutMs === undefined) {
        await condition(ready);
        return true;
      }
      return await condition(ready, Math.max(1, timeoutMs));
    } finally {
      this.parked--;
      if (acceptsInput) this.accepting--;
      void path;
    }
  }

  /** The customer left (while not in an escalation, which handles it itself). */
  private leaving(): boolean {
    return this.cancelRequested !== null;
  }

  private quiescent(): boolean {
    // Before the main path exists (a buffered update is delivered as soon as its handler is set, when
    // the run has not started yet) nothing is parked: the flow is about to act.
    return this.started && this.parked >= this.paths.size;
  }

  private started = false;

  private turnClosed(turn: Turn): boolean {
    return this.ended !== null || this.continuing || (this.quiescent() && (turn.consumed || this.accepting === 0));
  }

  /** At a park point of the main path: continue-as-new when history grew long (and nobody waits on us). */
  private maybeContinueAsNew(path: Path, nodeId: string): void {
    // Only the main path, alone, with every customer message read (their updates then return with what
    // was said, and the next run starts from a clean inbox).
    if (this.input.parent || !path.main || this.paths.size > 1 || this.state.inbox.length > 0 || this.turns.some((t) => !t.consumed)) return;
    const info = workflowInfo();
    const limit = this.input.options?.continueAsNewAfterEvents;
    if (info.continueAsNewSuggested || (limit !== undefined && info.historyLength >= limit)) {
      this.handledByWhenContinuing = this.handledBy();
      this.continuing = true;
      throw new ContinueAsNewRequest(nodeId);
    }
  }

  private handledByWhenContinuing: HandledBy = 'flow';

  /** The step operators should see (`TandemStep`), published when the contact waits there. */
  private stepToPublish: string | null = null;
  private publishedStep: string | null = null;

  private publishStep(): void {
    if (this.stepToPublish !== null && this.stepToPublish !== this.publishedStep) {
      upsertSearchAttributes([{ key: StepKey, value: this.stepToPublish }]);
      this.publishedStep = this.stepToPublish;
    }
  }

  isContinuing(): boolean {
    return this.continuing;
  }

  carried(resumeAt: string): CarriedState {
    return { state: this.state, resumeAt, runs: this.runs + 1, ...(this.cancelRequested ? { cancel: this.cancelRequested } : {}) };
  }

  // ---------------------------------------------------------------- message handlers

  async onCustomerMessage(message: CustomerMessageInput): Promise<CustomerMessageReply> {
    if (this.continuing || this.ended) {
      // Accepted by the validator a moment before the run decided to hand over (or end): fail the
      // update without touching the state; the client sends it again to the next run.
      throw ApplicationFailure.create({ message: this.ended ? 'the contact has ended' : CONTACT_MOVING, type: this.ended ? 'ContactEnded' : 'ContactMoving', nonRetryable: true });
    }
    const index = this.state.transcript.length;
    this.state.transcript.push({ at: workflowNowIso(), from: 'customer', text: message.text.trim() });
    const turn: Turn = { index, consumed: false, replies: [] };
    this.turns.push(turn);
    this.state.inbox.push(index);
    try {
      await condition(() => this.turnClosed(turn));
    } finally {
      this.turns.splice(this.turns.indexOf(turn), 1);
      if (this.currentTurn === turn) this.currentTurn = null;
    }
    return { handledBy: this.handledBy(), messages: turn.replies, steps: this.steps() };
  }

  onAgentMessage(message: AgentMessageInput): void {
    const item = this.state.workItem;
    if (!item || item.id !== message.workItemId) {
      log.warn('agent message for a work item the contact is not waiting on: ignored', { workItemId: message.workItemId, current: item?.id });
      return;
    }
    item.agentId = message.agentId;
    const index = this.state.transcript.length;
    this.state.transcript.push({ at: workflowNowIso(), from: 'agent', text: message.text, agentId: message.agentId, nodeId: item.nodeId });
    for (const p of this.paths.values()) if (p.node === item.nodeId) p.activity = 'human';
    if (this.input.parent) this.relayOut.push({ from: 'agent', text: message.text, nodeId: item.nodeId });
    else {
      this.background.push(
        activities.deliverMessage({ contactId: this.state.contact.id, channel: this.state.contact.channel, from: 'agent', text: message.text, index }),
      );
    }
  }

  onWorkItemResolved(resolution: WorkItemResolution): void {
    const item = this.state.workItem;
    if (this.state.resolvedWorkItems.includes(resolution.workItemId) || !item || item.id !== resolution.workItemId) {
      log.warn('late or duplicate work item resolution: ignored', { workItemId: resolution.workItemId, current: item?.id });
      return;
    }
    this.pendingResolutions.set(resolution.workItemId, resolution);
  }

  onCancel(request: CancelInput): boolean {
    this.cancelRequested = request;
    // Inside an escalation a leaving customer is an `abandoned` exit the flow handles; otherwise the
    // whole contact is cancelled.
    const inEscalation = [...this.paths.values()].some((p) => p.activity === 'queue' || p.activity === 'human');
    return !(request.reason === 'customer_left' && inEscalation);
  }

  handledBy(): HandledBy {
    if (this.ended) return 'ended';
    if (this.continuing) return this.handledByWhenContinuing;
    const kinds = [...this.paths.values()].map((p) => p.activity);
    for (const k of ['human', 'queue', 'bot'] as const) if (kinds.includes(k)) return k;
    return 'flow';
  }

  steps(): string[] {
    return [...this.paths.values()].map((p) => p.node).filter((n): n is string => n !== undefined);
  }

  view(): ContactStateView {
    return {
      contactId: this.state.contact.id,
      flowId: this.plan.flowId,
      flowVersion: this.input.flowVersion,
      planHash: this.plan.hash,
      steps: this.steps(),
      handledBy: this.handledBy(),
      outcome: this.ended?.outcome ?? null,
      ctx: this.state.ctx,
      nlu: this.state.nlu,
      customer: this.state.contact.customer,
      channel: this.state.contact.channel,
      transcript: this.state.transcript,
      handoff: this.state.handoff,
      workItem: this.state.workItem,
      assist: this.state.assist,
      path: this.state.trail,
      continuedAsNew: this.runs,
    };
  }

  /** Subflow side: a customer message forwarded by the parent. */
  onSubflowInput(input: SubflowInput): void {
    const index = this.state.transcript.length;
    this.state.transcript.push({ at: workflowNowIso(), from: 'customer', text: input.text });
    this.parentIndexOf.set(index, input.parentIndex);
    this.state.inbox.push(index);
  }

  /** Parent side: a subflow's output. */
  onSubflowOutput(output: SubflowOutput): void {
    const queue = this.subflowOutputs.get(output.childWorkflowId);
    if (!queue) {
      log.warn('output from a subflow this contact is not running: ignored', { child: output.childWorkflowId });
      return;
    }
    queue.push(output);
  }

  /** Subflow side, background: sends the parent what we said, each time we wait again. */
  async relayToParent(): Promise<void> {
    const parent = this.input.parent;
    if (!parent) return;
    const handle = getExternalWorkflowHandle(parent.workflowId);
    const due = () => this.closing || ((this.relayOut.length > 0 || this.lastParentConsumed > this.lastParentReported) && this.quiescent());
    for (;;) {
      await this.untilEvenIfCancelled(due);
      if (this.relayOut.length === 0 && this.lastParentConsumed <= this.lastParentReported) return;
      const messages = this.relayOut.splice(0);
      const answeredUpTo = this.lastParentConsumed;
      this.relaying = true;
      try {
        await CancellationScope.nonCancellable(() =>
          handle.signal(subflowOutputSignal, { schemaVersion: 1, childWorkflowId: this.workflowId, messages, answeredUpTo, handledBy: this.handledBy() }),
        );
      } finally {
        this.relaying = false;
      }
      this.lastParentReported = answeredUpTo;
    }
  }

  /**
   * Waits for `ready`, through a cancellation of the workflow too: the subflow relay runs in the root
   * scope, and once the subflow is cancelled (its caller was, or an operator cancelled it) it still owes
   * the caller its last words. Its wait used to reject there, unawaited, and Temporal failed every
   * workflow task after it: the subflow never closed.
   */
  private async untilEvenIfCancelled(ready: () => boolean): Promise<void> {
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

  // ---------------------------------------------------------------- events

  private emit(type: ContactEventRecord['type'], nodeId: string, data: Record<string, unknown>): void {
    const sequence = this.state.eventSeq++;
    this.events.push({
      id: `${this.workflowId}/${sequence}`,
      workflowId: this.workflowId,
      sequence,
      type,
      time: workflowNowIso(),
      contactId: this.state.contact.id,
      flowId: this.plan.flowId,
      flowVersion: this.input.flowVersion,
      nodeId,
      data,
    });
    if (this.eventsWhenDue) this.sendEventsIfDue();
  }

  private resolvedBy(outcome: ContactFlowResult['outcome']): { kind: 'bot' | 'agent' | 'none'; agentId?: string } {
    if (outcome === 'resolved_by_bot') return { kind: 'bot' };
    if (outcome === 'resolved_by_human') {
      const agentId = this.state.lastHandler?.kind === 'agent' ? this.state.lastHandler.agentId : undefined;
      return { kind: 'agent', ...(agentId ? { agentId } : {}) };
    }
    return { kind: 'none' };
  }

  /**
   * Events are sent when the contact goes quiet (waits) or ends, or when this many are pending: short
   * flows send one batch, long stretches of automation do not buffer without bound.
   */
  private get eventBatchSize(): number {
    return this.input.options?.eventBatchSize ?? 100;
  }

  /** Generations 0-2, background: sends buffered events in batches, when enough are pending or the contact went quiet. */
  async flushEvents(): Promise<void> {
    const batchSize = this.eventBatchSize;
    for (;;) {
      await condition(() => this.events.length >= batchSize || (this.events.length > 0 && (this.quiescent() || this.closing)) || (this.closing && this.events.length === 0));
      if (this.events.length === 0) return;
      const batch = this.events.splice(0, Math.max(batchSize, this.events.length));
      if (this.gen === 2) {
        await this.sendEvents(batch);
        continue;
      }
      this.flushing = true;
      try {
        await CancellationScope.nonCancellable(() => eventActivities.emitEvents({ events: batch }));
      } finally {
        this.flushing = false;
      }
    }
  }

  /** Generations 2 and 3: one non-cancellable scope for every delivery of events (a scope costs promises). */
  private keep: CancellationScope | undefined;

  /** Generation 3: the delivery of events in flight (one at a time, so batches arrive in order). */
  private sending: Promise<void> | undefined;

  /**
   * Generation 3: sends what is pending if sending is due — enough events, the contact quiet (every
   * path parked) or the run closing — and nothing is in flight; after a delivery it looks again. Called
   * where that can become true (an event recorded, a path parked, a branch ended, the run closing)
   * instead of a background coroutine polling a condition after every activation.
   */
  private sendEventsIfDue(): void {
    if (!this.eventsWhenDue || this.sending || this.events.length === 0) return;
    if (this.events.length < this.eventBatchSize && !this.closing && !this.quiescent()) return;
    const batch = this.events.splice(0);
    this.keep ??= new CancellationScope({ cancellable: false });
    this.sending = this.keep
      .run(() => eventActivities.emitEvents({ events: batch }))
      .then(() => {
        this.sending = undefined;
        this.sendEventsIfDue();
      });
  }

  /**
   * Generation 3, when a run ends with nothing else in flight (no delivery, relay or background work,
   * the workflow not cancelled): the delivery of the last events, in the current scope — awaited
   * directly, without a scope of its own. Undefined when there is nothing to send or more to wait for
   * (then `drain`). `lastEventsCancelled` puts them back if a cancellation interrupts the delivery.
   */
  lastEvents(): Promise<unknown> | undefined {
    if (!this.eventsWhenDue || this.sending || this.events.length === 0 || this.relaying || this.relayOut.length > 0 || this.background.length > 0) return undefined;
    if (CancellationScope.current().consideredCancelled) return undefined;
    this.closing = true;
    this.lastBatch = this.events.splice(0);
    return eventActivities.emitEvents({ events: this.lastBatch });
  }

  private lastBatch: ContactEventRecord[] = [];

  /** The last delivery was cancelled (the workflow was, meanwhile): queue its events again for `drain`. */
  lastEventsCancelled(): void {
    this.events.unshift(...this.lastBatch);
    this.lastBatch = [];
  }

  /** Generation 3: nothing left to send or wait for (`drain` would return at once); always false before. */
  get drained(): boolean {
    return this.eventsWhenDue && this.events.length === 0 && !this.sending && !this.relaying && this.relayOut.length === 0 && this.background.length === 0;
  }

  private async sendEvents(batch: ContactEventRecord[]): Promise<void> {
    this.keep ??= new CancellationScope({ cancellable: false });
    this.flushing = true;
    try {
      await this.keep.run(() => eventActivities.emitEvents({ events: batch }));
    } finally {
      this.flushing = false;
    }
  }

  /**
   * Stops the flusher after what is pending was sent; also waits for background deliveries. Generation
   * 2 sends the rest itself rather than waking the flusher for it, and leaves the flusher to stop on
   * its own (it has nothing left to send); generation 3 has no flusher.
   */
  async drain(): Promise<void> {
    this.closing = true;
    if (!this.lean) {
      await condition(() => this.events.length === 0 && !this.flushing && this.relayOut.length === 0 && !this.relaying);
      await Promise.allSettled(this.background);
      this.background = [];
      return;
    }
    for (;;) {
      if (this.sending) {
        await this.sending;
      } else if (this.flushing || this.relaying || this.relayOut.length > 0) {
        await condition(() => !this.flushing && !this.relaying && this.relayOut.length === 0);
      } else if (this.events.length > 0) {
        if (this.eventsWhenDue) this.sendEventsIfDue();
        else await this.sendEvents(this.events.splice(0));
      } else if (this.background.length > 0) {
        const background = this.background;
        this.background = [];
        await Promise.allSettled(background);
      } else {
        return;
      }
    }
  }

  // ---------------------------------------------------------------- nodes

  private async runBot(node: PlanNode, path: Path, visit: number, resuming: boolean): Promise<string> {
    const cfg = node.config;
    const existing = this.state.nodeState[node.id] as BotNodeState | undefined;
    const ns: BotNodeState = existing ?? { conversation: null, greeted: false };
    this.state.nodeState[node.id] = ns;
    path.activity = 'bot';
    if (!ns.greeted) {
      ns.greeted = true;
      if (typeof cfg.greeting === 'string') await this.say('bot', this.render(node, 'greeting'), node.id);
    }
    void resuming;
    for (;;) {
      const message = await this.nextMessage(path, node.id, undefined, () => this.maybeContinueAsNew(path, node.id));
      if (!message) return this.leavingPort(node);
      const result = await activities.botTurn({
        ...this.site(node, visit),
        config: cfg,
        conversation: ns.conversation,
        message,
        customer: this.state.contact.customer,
        channel: this.state.contact.channel,
        now: workflowNowIso(),
      });
      ns.conversation = result.conversation;
      this.state.nlu = result.nlu;
      this.state.bot = result.bot;
      Object.assign(this.state.ctx, result.variables);
      for (const reply of result.replies) await this.say('bot', this.renderBotReply(node, reply), node.id, reply.articleId);
      const articleId = result.replies.find((r) => r.articleId)?.articleId;
      this.state.lastHandler = { nodeId: node.id, kind: 'bot' };
      this.emit('bot.turn', node.id, {
        ...result.nlu,
        turn: typeof result.bot.turns === 'number' && result.bot.turns > 0 ? result.bot.turns : 1,
        answered: Boolean(articleId) || (result.nlu.intent !== 'none' && result.replies.length > 0),
        ...(articleId ? { articleId } : {}),
      });
      if (result.outcome === 'continue') continue;
      if (result.outcome === 'escalate') this.lastTrigger = result.escalation;
      path.activity = 'flow';
      return result.outcome;
    }
  }

  /**
   * Bot replies that come from the node's own texts (intent answers, slot prompts, fallback) are
   * templates; they are rendered after the turn so a slot filled in this very turn shows
   * (`Let me look up order {{ctx.orderNumber}}`). Knowledge-base answers are plain text.
   */
  private renderBotReply(node: PlanNode, reply: { text: string; articleId?: string }): string {
    if (reply.articleId || !reply.text.includes('{{')) return reply.text;
    try {
      return this.evaluator.renderTemplate(reply.text, this.activation());
    } catch (e) {
      log.warn('a bot reply template failed to render; sending it as written', { nodeId: node.id, error: String(e) });
      return reply.text;
    }
  }

  /** The trigger that made the last bot escalate, for the handoff and the escalated event. */
  private lastTrigger: EscalationTrigger | null = null;

  private leavingPort(node: PlanNode): never {
    throw new CancelledContact(node.id);
  }

  private async runClassify(node: PlanNode, visit: number): Promise<string> {
    const input = this.classifyInput(node, visit);
    if (!input) return 'next';
    this.classified(await activities.classify(input));
    return 'next';
  }

  /** Generation 3: the classification's own promise, continued without an async frame around it. */
  private classifyNow(node: PlanNode, visit: number): string | Promise<string> {
    const input = this.classifyInput(node, visit);
    if (!input) return 'next';
    return activities.classify(input).then((result) => {
      this.classified(result);
      return 'next';
    });
  }

  /** What to classify: the customer's last message (undefined while there is none). */
  private classifyInput(node: PlanNode, visit: number): Parameters<BuiltinActivities['classify']>[0] | undefined {
    const last = [...this.state.transcript.entries()].reverse().find(([, e]) => e.from === 'customer');
    if (!last) {
      log.info('classify: no customer message yet; nlu left as it is', { nodeId: node.id });
      return undefined;
    }
    return { ...this.site(node, visit), config: node.config, text: last[1].text, index: last[0], customer: this.state.contact.customer, now: workflowNowIso() };
  }

  private classified(result: Awaited<ReturnType<BuiltinActivities['classify']>>): void {
    this.state.nlu = result.nlu;
    if (result.trigger) this.lastTrigger = result.trigger;
  }

  private async runDecision(node: PlanNode): Promise<string> {
    return this.decide(node, await this.prepared(node));
  }

  /** The first rule whose condition holds, else `default`. */
  private decide(node: PlanNode, activation: PreparedActivation): string {
    const rules = (node.config.rules as { id: string; condition: string }[]) ?? [];
    for (const rule of rules) {
      if (this.evaluator.evaluateCondition(rule.condition, activation)) return rule.id;
    }
    return 'default';
  }

  private async runSet(node: PlanNode): Promise<string> {
    await this.prepared(node);
    this.assign(node);
    return 'next';
  }

  private assign(node: PlanNode): void {
    for (const a of (node.config.assignments as { variable: string; value: string }[]) ?? []) {
      // A later assignment sees the earlier ones.
      this.state.ctx[a.variable] = this.evaluator.evaluate(a.value, this.evaluator.prepare(this.activation()));
    }
  }

  private async runWait(node: PlanNode, path: Path, resuming: boolean): Promise<string> {
    const cfg = node.config as { mode: 'reply' | 'timer' | 'until_open'; timeoutSeconds?: number; maxWaitSeconds?: number; saveReplyAs?: string; prompt?: string; calendar?: CalendarRef };
    const now = workflowNow().getTime();
    const ns = (resuming ? (this.state.nodeState[node.id] as DeadlineNodeState | undefined) : undefined) ?? { deadline: null };
    this.state.nodeState[node.id] = ns;
    try {
      switch (cfg.mode) {
        case 'reply': {
          path.activity = 'bot';
          if (!ns.asked) {
            ns.asked = true;
            ns.deadline = now + (cfg.timeoutSeconds ?? 300) * 1000;
            if (cfg.prompt) await this.say('bot', this.render(node, 'prompt'), node.id);
          }
          const message = await this.nextMessage(path, node.id, Math.max(0, (ns.deadline ?? now) - workflowNow().getTime()), () =>
            this.maybeContinueAsNew(path, node.id),
          );
          if (!message) {
            if (this.leaving()) this.leavingPort(node);
            return 'timeout';
          }
          if (cfg.saveReplyAs) this.state.ctx[cfg.saveReplyAs] = message.text;
          return 'reply';
        }
        case 'timer': {
          ns.deadline ??= now + (cfg.timeoutSeconds ?? 0) * 1000;
          this.maybeContinueAsNew(path, node.id);
          await this.park(path, false, () => this.leaving(), Math.max(0, ns.deadline - workflowNow().getTime()));
          if (this.leaving()) this.leavingPort(node);
          return 'timeout';
        }
        case 'until_open': {
          const calendar = await this.calendar(cfg.calendar as CalendarRef);
          const opening = nextOpening(calendar, workflowNow());
          if (cfg.maxWaitSeconds !== undefined) ns.deadline ??= now + cfg.maxWaitSeconds * 1000;
          if (opening && opening.getTime() <= workflowNow().getTime()) return 'open';
          const until = Math.min(opening?.getTime() ?? Number.POSITIVE_INFINITY, ns.deadline ?? Number.POSITIVE_INFINITY);
          if (!Number.isFinite(until)) throw ApplicationFailure.nonRetryable(`the calendar of "${node.label}" never opens and the wait has no maximum`, 'ConfigError');
          this.maybeContinueAsNew(path, node.id);
          await this.park(path, false, () => this.leaving(), Math.max(1, until - workflowNow().getTime()));
          if (this.leaving()) this.leavingPort(node);
          return isOpen(calendar, workflowNow()) ? 'open' : 'timeout';
        }
        default:
          throw ApplicationFailure.nonRetryable(`unknown wait mode "${String(cfg.mode)}"`, 'PlanError');
      }
    } finally {
      // The wait is over (or unwinding); a later visit starts afresh. Kept while continuing-as-new.
      if (!this.continuing) delete this.state.nodeState[node.id];
      path.activity = 'flow';
    }
  }

  private async runTicket(node: PlanNode, visit: number): Promise<string> {
    const activation = this.preparedNow(node) ?? (await this.prepared(node));
    const { ticketId } = await activities.createTicket(this.ticketInput(node, visit, activation));
    this.ticketCreated(ticketId);
    if (node.config.confirmation !== undefined) await this.say('bot', this.render(node, 'confirmation', activation), node.id);
    return 'next';
  }

  /**
   * Generation 3, for a ticket without live data or a confirmation to say: the creation's own promise,
   * continued without an async frame around it (otherwise `runTicket`).
   */
  private ticketNow(node: PlanNode, visit: number): string | Promise<string> {
    const activation = node.config.confirmation !== undefined ? undefined : this.preparedNow(node);
    if (!activation) return this.runTicket(node, visit);
    return activities.createTicket(this.ticketInput(node, visit, activation)).then(({ ticketId }) => {
      this.ticketCreated(ticketId);
      return 'next';
    });
  }

  private ticketInput(node: PlanNode, visit: number, activation: PreparedActivation): Parameters<BuiltinActivities['createTicket']>[0] {
    const cfg = node.config as { kind: 'callback' | 'follow_up'; queue?: string; dueInSeconds?: number; includeHandoff: boolean; body?: string; priority: string };
    return {
      ...this.site(node, visit),
      kind: cfg.kind,
      queue: cfg.queue ?? null,
      subject: this.render(node, 'subject', activation),
      body: cfg.body !== undefined ? this.render(node, 'body', activation) : null,
      priority: Number(this.evaluator.evaluate(cfg.priority, activation)),
      dueAt: cfg.dueInSeconds !== undefined ? new Date(workflowNow().getTime() + cfg.dueInSeconds * 1000).toISOString() : null,
      customer: this.state.contact.customer,
      channel: this.state.contact.channel,
      handoff: cfg.includeHandoff ? this.state.handoff : null,
    };
  }

  private ticketCreated(ticketId: string): void {
    this.state.ctx.ticketId ??= ticketId;
    this.tickets.push(ticketId);
  }

  private readonly tickets: string[] = [];

  private async runSurvey(node: PlanNode, path: Path, resuming: boolean): Promise<string> {
    const cfg = node.config as { kind: 'csat' | 'nps' | 'thumbs'; timeoutSeconds: number; saveAs?: string };
    const ns = (resuming ? (this.state.nodeState[node.id] as DeadlineNodeState | undefined) : undefined) ?? { deadline: null };
    this.state.nodeState[node.id] = ns;
    path.activity = 'bot';
    try {
      if (!ns.asked) {
        ns.asked = true;
        ns.deadline = workflowNow().getTime() + cfg.timeoutSeconds * 1000;
        await this.say('bot', this.render(node, 'question'), node.id);
      }
      for (let attempt = 0; attempt < 2; attempt++) {
        const message = await this.nextMessage(path, node.id, Math.max(0, (ns.deadline ?? 0) - workflowNow().getTime()), () =>
          this.maybeContinueAsNew(path, node.id),
        );
        if (!message) return 'skipped';
        const score = parseSurveyScore(cfg.kind, message.text);
        if (score !== null) {
          if (cfg.saveAs) this.state.ctx[cfg.saveAs] = score;
          if (cfg.kind === 'csat') {
            // Attributed to the node that handled the contact (the bot, or the escalation a human resolved).
            const handler = this.state.lastHandler;
            this.emit('feedback.csat', handler?.nodeId ?? node.id, {
              score,
              collectedBy: 'survey_node',
              surveyNodeId: node.id,
              resolvedBy: handler ? { kind: handler.kind, ...(handler.agentId ? { agentId: handler.agentId } : {}) } : { kind: 'none' },
            });
          }
          return 'answered';
        }
        if (attempt === 0) await this.say('bot', cfg.kind === 'nps' ? 'Please answer with a number from 0 to 10.' : cfg.kind === 'thumbs' ? 'Please answer yes or no.' : 'Please answer with a number from 1 to 5.', node.id);
      }
      return 'skipped';
    } finally {
      if (!this.continuing) delete this.state.nodeState[node.id];
      path.activity = 'flow';
    }
  }


  private async runEscalate(node: PlanNode, path: Path, visit: number, resuming: boolean): Promise<string> {
    const cfg = node.config as {
      queue: string;
      requiredSkills: { skill: string; minLevel: number }[];
      priority: string;
      sla: { targetSeconds: number };
      breachActions: ({ afterSeconds: number } & ({ action: 'raise_priority'; by: number } | { action: 'overflow'; queue: string } | { action: 'offer_callback'; message: string }))[];
      aiAssist: { enabled: boolean; knowledge: boolean; drafts: boolean; compliance: boolean };
      handoff: Record<string, boolean>;
      maxWaitSeconds: number;
    };
    let ns = resuming ? (this.state.nodeState[node.id] as EscalationNodeState | undefined) : undefined;
    if (!ns) {
      const activation = this.preparedNow(node) ?? (await this.prepared(node));
      const priority = Number(this.evaluator.evaluate(cfg.priority, activation));
      const trigger = this.lastTrigger;
      const handoff = await activities.buildHandoff({
        ...this.site(node, visit),
        channel: this.state.contact.channel,
        customer: this.state.contact.customer,
        transcript: this.state.transcript,
        conversations: this.botConversations(),
        nlu: this.state.nlu,
        trigger,
        stuckAt: null,
        include: cfg.handoff,
        now: workflowNowIso(),
      });
      this.state.handoff = handoff;
      const { workItemId } = await activities.createWorkItem({
        ...this.site(node, visit),
        queue: cfg.queue,
        priority,
        requiredSkills: cfg.requiredSkills,
        channel: this.state.contact.channel,
        handoff,
        slaTargetSeconds: cfg.sla.targetSeconds,
        flowId: this.plan.flowId,
        flowVersion: this.input.flowVersion,
      });
      ns = { workItemId, queue: cfg.queue, createdAt: workflowNow().getTime(), actionsDone: 0, callbackOffered: false, visit };
      this.state.nodeState[node.id] = ns;
      this.state.workItem = { id: workItemId, nodeId: node.id, queue: cfg.queue, visit };
      this.state.escalations++;
      const fired = handoff.trigger ?? trigger;
      this.emit('contact.escalated', node.id, {
        queue: cfg.queue,
        trigger: fired ? { kind: fired.kind, reason: fired.reason, ...(fired.detail ? { detail: fired.detail } : {}) } : null,
        // Where the escalation came from: the node the bot got stuck in, else the escalate node itself.
        causeNodeId: handoff.stuckAt?.nodeId ?? (this.state.lastHandler?.kind === 'bot' ? this.state.lastHandler.nodeId : node.id),
        workItemId,
        priority: Math.round(priority),
      });
      upsertSearchAttributes([{ key: QueueKey, value: cfg.queue }]);
    }
    const item = ns;
    path.activity = this.state.workItem?.agentId ? 'human' : 'queue';
    let readAssistFor = -1;
    try {
      for (;;) {
        const resolution = this.pendingResolutions.get(item.workItemId);
        if (resolution) {
          this.pendingResolutions.delete(item.workItemId);
          this.state.resolvedWorkItems.push(item.workItemId);
          this.state.lastHandler = { nodeId: node.id, kind: 'agent', ...(resolution.agentId ? { agentId: resolution.agentId } : {}) };
          return resolution.outcome === 'transferred' ? 'transferred' : resolution.outcome === 'abandoned' ? 'abandoned' : 'resolved';
        }
        if (this.cancelRequested?.reason === 'customer_left') {
          this.cancelRequested = null;
          await activities.withdrawWorkItem({ workItemId: item.workItemId, reason: 'customer_left' });
          return 'abandoned';
        }
        // Customer messages while waiting: the agent reads them in the transcript; the assistant prepares suggestions.
        while (this.state.inbox.length) {
          const message = await this.nextMessage(path, node.id);
          if (!message) break;
          if (item.callbackOffered && !this.state.workItem?.agentId && AFFIRMATIVE.test(message.text)) {
            await activities.withdrawWorkItem({ workItemId: item.workItemId, reason: 'callback' });
            return 'timeout';
          }
          if (cfg.aiAssist.enabled && message.index > readAssistFor) {
            readAssistFor = message.index;
            this.background.push(this.refreshAssist(node, visit, item.workItemId, cfg.aiAssist));
          }
        }
        const now = workflowNow().getTime();
        const slaAt = item.createdAt + cfg.sla.targetSeconds * 1000;
        const giveUpAt = item.createdAt + cfg.maxWaitSeconds * 1000;
        const action = this.state.workItem?.agentId ? undefined : cfg.breachActions[item.actionsDone];
        const actionAt = action ? slaAt + action.afterSeconds * 1000 : Number.POSITIVE_INFINITY;
        if (action && now >= actionAt) {
          item.actionsDone++;
          await this.breach(node, item, action);
          continue;
        }
        if (!this.state.workItem?.agentId && now >= giveUpAt) {
          await activities.withdrawWorkItem({ workItemId: item.workItemId, reason: 'timeout' });
          return 'timeout';
        }
        this.maybeContinueAsNew(path, node.id);
        const wakeAt = Math.min(actionAt, this.state.workItem?.agentId ? Number.POSITIVE_INFINITY : giveUpAt);
        await this.park(
          path,
          true,
          () =>
            this.pendingResolutions.has(item.workItemId) ||
            this.state.inbox.length > 0 ||
            this.cancelRequested?.reason === 'customer_left' ||
            (path.activity === 'queue' && this.state.workItem?.agentId !== undefined),
          Number.isFinite(wakeAt) ? Math.max(1, wakeAt - workflowNow().getTime()) : undefined,
        );
        if (this.state.workItem?.agentId) path.activity = 'human';
      }
    } catch (e) {
      // Cancelled (the contact, or a losing parallel branch): take the item out of routing so no agent picks up a dead contact.
      if (isCancellation(e)) {
        await CancellationScope.nonCancellable(() => activities.withdrawWorkItem({ workItemId: item.workItemId, reason: 'cancelled' }));
      }
      throw e;
    } finally {
      if (!this.continuing) {
        delete this.state.nodeState[node.id];
        if (this.state.workItem?.id === item.workItemId) this.state.workItem = null;
        path.activity = 'flow';
      }
    }
  }

  private async breach(
    node: PlanNode,
    item: EscalationNodeState,
    action: { afterSeconds: number } & ({ action: 'raise_priority'; by: number } | { action: 'overflow'; queue: string } | { action: 'offer_callback'; message: string }),
  ): Promise<void> {
    log.info('SLA breach action', { nodeId: node.id, workItemId: item.workItemId, action: action.action });
    switch (action.action) {
      case 'raise_priority':
        await activities.raiseWorkItemPriority({ workItemId: item.workItemId, by: action.by, reason: `SLA breached at ${node.label}` });
        break;
      case 'overflow':
        await activities.moveWorkItem({ workItemId: item.workItemId, queue: action.queue, reason: `overflow from ${item.queue} after SLA breach` });
        item.queue = action.queue;
        if (this.state.workItem) this.state.workItem.queue = action.queue;
        upsertSearchAttributes([{ key: QueueKey, value: action.queue }]);
        break;
      case 'offer_callback':
        item.callbackOffered = true;
        await this.say('system', this.evaluator.renderTemplate(action.message, this.activation()), node.id);
        break;
    }
  }

  private async refreshAssist(node: PlanNode, visit: number, workItemId: string, options: Record<string, boolean>): Promise<void> {
    try {
      const suggestions = await activities.assistAgent({
        ...this.site(node, visit),
        workItemId,
        transcript: this.state.transcript,
        channel: this.state.contact.channel,
        options,
      });
      if (!this.state.assist || suggestions.basedOnMessage >= this.state.assist.basedOnMessage) this.state.assist = suggestions;
    } catch (e) {
      // Assistance is best effort: the agent works without it rather than the contact failing.
      if (isCancellation(e)) throw e;
      log.warn('agent assist failed', { workItemId, error: String(e) });
    }
  }

  private botConversations(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [id, ns] of Object.entries(this.state.nodeState)) {
      if (this.plan.nodes[id]?.type === 'bot') out[id] = (ns as BotNodeState).conversation;
    }
    return out;
  }

  private async runCustomActivity(node: PlanNode, visit: number): Promise<string> {
    const cfg = node.config as { activity: string; input: Record<string, string>; saveOutputAs?: string; timeoutSeconds: number; retry: { maximumAttempts: number } };
    const activation = this.preparedNow(node) ?? (await this.prepared(node));
    const input: Record<string, unknown> = {};
    for (const [field, source] of Object.entries(cfg.input)) input[field] = this.evaluator.evaluate(source, activation);
    const options: ActivityOptions = {
      startToCloseTimeout: `${cfg.timeoutSeconds} seconds`,
      retry: { maximumAttempts: cfg.retry.maximumAttempts, initialInterval: '500 milliseconds', backoffCoefficient: 2, nonRetryableErrorTypes: ['ActivityContractError'] },
    };
    const custom = proxyActivities<Record<string, (request: unknown) => Promise<unknown>>>(options);
    const call = custom[customActivityType(cfg.activity)];
    if (!call) throw ApplicationFailure.nonRetryable(`no activity proxy for ${cfg.activity}`);
    try {
      const output = await call({ input, site: this.site(node, visit) });
      if (cfg.saveOutputAs) this.state.ctx[cfg.saveOutputAs] = output;
      return 'success';
    } catch (e) {
      // Interrupted by the contact's own cancellation: not the activity's failure.
      if (e instanceof ActivityFailure && !(isCancellation(e) && patched(PATCH_CANCEL_IS_NOT_AN_ACTIVITY_ERROR))) {
        log.warn('custom activity failed; taking the error exit', { nodeId: node.id, activity: cfg.activity, error: e.cause?.message ?? e.message });
        if (cfg.saveOutputAs) this.state.ctx[cfg.saveOutputAs] = { error: e.cause?.message ?? e.message };
        return 'error';
      }
      throw e;
    }
  }

  /**
   * A subflow runs as a child workflow. This contact keeps the customer's conversation: it forwards the
   * customer's messages to the child and says what the child says, so the customer sees one
   * conversation and the update of a message returns the child's answer.
   */
  private async runSubflow(node: PlanNode, path: Path, visit: number): Promise<string> {
    const cfg = node.config as { flowId: string; input: Record<string, string> };
    const activation = this.preparedNow(node) ?? (await this.prepared(node));
    const input: Record<string, unknown> = {};
    for (const [name, source] of Object.entries(cfg.input)) input[name] = this.evaluator.evaluate(source, activation);
    let pinned = this.input.subflows?.[cfg.flowId];
    if (!pinned) {
      try {
        pinned = await activities.loadSubflowPlan({ flowId: cfg.flowId });
      } catch (e) {
        return await this.subflowFailed(node, cfg.flowId, e);
      }
    }
    const { plan, version } = pinned;
    const childWorkflowId = `${this.workflowId}/sub/${node.id}/${visit}`;
    const childInput: ContactFlowInput = {
      schemaVersion: 1,
      plan,
      flowVersion: version,
      contact: {
        id: this.state.contact.id,
        channel: this.state.contact.channel,
        customer: this.state.contact.customer,
        attributes: this.state.contact.attributes,
      },
      input,
      origin: { kind: 'subflow', parentContactId: this.state.contact.id },
      parent: { workflowId: this.workflowId, transcript: this.state.transcript },
      ...(this.input.options ? { options: this.input.options } : {}),
      ...(this.input.calendars ? { calendars: this.input.calendars } : {}),
      ...(this.input.subflows ? { subflows: this.input.subflows } : {}),
    };
    const outputs: SubflowOutput[] = [];
    this.subflowOutputs.set(childWorkflowId, outputs);
    let child: ChildWorkflowHandle<(i: ContactFlowInput) => Promise<ContactFlowResult>>;
    try {
      child = await startChild<(i: ContactFlowInput) => Promise<ContactFlowResult>>('contactFlow', {
        workflowId: childWorkflowId,
        args: [childInput],
        // Should this contact close without it (terminated, failed), the subflow is asked to cancel, so it
        // abandons properly instead of being terminated with a work item still open.
        parentClosePolicy: 'REQUEST_CANCEL',
      });
    } catch (e) {
      this.subflowOutputs.delete(childWorkflowId);
      return await this.subflowFailed(node, cfg.flowId, e);
    }
    let result: ContactFlowResult | undefined;
    let failure: unknown;
    const done = child.result().then(
      (r) => void (result = r),
      (e: unknown) => void (failure = e),
    );
    let forwarded = -1;
    let answered = -1;
    let ending = false;
    try {
      for (;;) {
        // The customer's messages go to the subflow.
        while (this.state.inbox.length) {
          const message = await this.nextMessage(path, node.id);
          if (!message) break;
          try {
            await child.signal(subflowInputSignal, { schemaVersion: 1, text: message.text, parentIndex: message.index });
          } catch (e) {
            // Version 2: the child is gone (it ended or failed meanwhile); its result says which.
            if (node.typeVersion < 2 || CancellationScope.current().consideredCancelled) throw e;
            await done;
            break;
          }
          forwarded = message.index;
        }
        // What it said comes back through us (into the waiting customer's reply, or the channel).
        for (const output of outputs.splice(0)) {
          for (const m of output.messages) await this.say(m.from, m.text, m.nodeId, m.articleId);
          answered = Math.max(answered, output.answeredUpTo);
          ending ||= output.handledBy === 'ended';
          path.activity = output.handledBy === 'ended' ? 'flow' : output.handledBy;
        }
        if (result || failure) break;
        if (forwarded > answered || ending) {
          // Not parked: the customer's update waits for the subflow's answer (or for the flow to go on
          // after the subflow's end, so what comes next is part of the same answer).
          await condition(() => outputs.length > 0 || result !== undefined || failure !== undefined);
          continue;
        }
        await this.park(path, true, () => this.state.inbox.length > 0 || outputs.length > 0 || result !== undefined || failure !== undefined);
      }
      await done;
      // The child's last words arrive before its result (it drains them before completing).
      for (const output of outputs.splice(0)) for (const m of output.messages) await this.say(m.from, m.text, m.nodeId, m.articleId);
      if (result) return result.outcome;
      if (node.typeVersion >= 2) return await this.subflowFailed(node, cfg.flowId, failure, childWorkflowId);
      throw failure instanceof Error ? failure : ApplicationFailure.nonRetryable(`the subflow "${cfg.flowId}" failed`, 'SubflowFailed');
    } catch (e) {
      // This contact (or its branch) was cancelled, and the subflow with it: let the subflow close first.
      if (!result && !failure && CancellationScope.current().consideredCancelled && patched(PATCH_SUBFLOW_CLOSES_ON_CANCEL)) await done;
      throw e;
    } finally {
      this.subflowOutputs.delete(childWorkflowId);
      path.activity = 'flow';
    }
  }

  /**
   * A subflow could not run to an end (it failed, timed out or was terminated, could not be loaded or
   * started): version 2 leaves through `error`; version 1, and this contact's own cancellation, throw.
   */
  private async subflowFailed(node: PlanNode, flowId: string, error: unknown, childWorkflowId?: string): Promise<string> {
    if (node.typeVersion < 2 || CancellationScope.current().consideredCancelled || !patched(PATCH_SUBFLOW_ERROR_EXIT)) throw error;
    const cause = error instanceof Error ? (error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message) : String(error);
    log.warn('the subflow did not reach an end; taking the error exit', { nodeId: node.id, flowId, error: cause });
    if (childWorkflowId) {
      // A child that failed or was terminated did not withdraw what it left in the queues: nobody would
      // answer an agent who took it.
      const { withdrawn } = await activities.withdrawWorkItemsOf({ contactId: this.state.contact.id, workflowId: childWorkflowId, reason: 'subflow_failed' });
      if (withdrawn > 0) log.info('withdrew the failed subflow\'s work items', { nodeId: node.id, withdrawn });
    }
    return 'error';
  }

  private async runParallel(node: PlanNode, path: Path): Promise<string> {
    const spec = this.plan.parallels[node.id];
    if (!spec) throw ApplicationFailure.nonRetryable(`the plan has no parallel spec for "${node.id}"`, 'PlanError');
    const join = this.plan.nodes[spec.join];
    if (!join) throw ApplicationFailure.nonRetryable(`the join "${spec.join}" is missing`, 'PlanError');
    // A fork leaves by every branch at once.
    for (const b of spec.branches) this.exited(path, node, b.port);
    const arrived: string[] = [];
    const scope = new CancellationScope();
    const branches = spec.branches.map((branch) => {
      const child = this.newPath(false, spec.join);
      return scope
        .run(() => this.runPath(branch.entry, child))
        .then(
          () => {
            arrived.push(branch.port);
          },
          (e: unknown) => {
            if (isCancellation(e) && scope.consideredCancelled) return;
            throw e;
          },
        )
        .finally(() => {
          this.paths.delete(child.id);
          this.sendEventsIfDue(); // the others may all be parked now
        });
    });
    path.node = node.id;
    this.parked++; // the forking path itself waits for its branches
    this.sendEventsIfDue();
    try {
      if (spec.mode === 'all') {
        await Promise.all(branches);
      } else {
        await Promise.race([condition(() => arrived.length > 0), Promise.all(branches)]);
        if (spec.mode === 'first') {
          scope.cancel();
          await Promise.allSettled(branches);
        } else {
          // `any`: the others finish the step they are in, then stop at the next node boundary.
          for (const p of this.paths.values()) if (p.stopAt === spec.join) p.stopRequested = true;
          this.background.push(Promise.allSettled(branches));
        }
      }
    } finally {
      this.parked--;
    }
    const visit = (this.state.visits[join.id] ?? 0) + 1;
    this.state.visits[join.id] = visit;
    this.enter(path, join, visit);
    log.debug('join', { joinId: join.id, arrived });
    this.exited(path, join, 'next');
    const next = join.next.next;
    if (!next) throw ApplicationFailure.nonRetryable(`the join "${join.id}" leads nowhere`, 'PlanError');
    return next;
  }

  private async runEnd(node: PlanNode, path: Path): Promise<void> {
    if (typeof node.config.message === 'string') await this.say('bot', this.render(node, 'message'), node.id);
    this.endAt(node, path);
  }

  private endAt(node: PlanNode, path: Path): void {
    this.finish(node.config.outcome as ContactFlowResult['outcome'], node.id);
    path.activity = 'flow';
  }

  /** Generation 4: `finish` recorded the end (`ended`) and left it for `publishOutcome()` to publish. */
  private endToPublish = false;

  /** One command for both search attributes: where the contact ended and how. */
  private upsertEnd({ nodeId, outcome }: { nodeId: string; outcome: ContactFlowResult['outcome'] }): void {
    upsertSearchAttributes([
      { key: StepKey, value: nodeId },
      { key: OutcomeKey, value: outcome },
    ]);
  }

  /**
   * Called by the workflow right before it returns, with nothing left to await: publishes where and how
   * the contact ended (generation 4). Its upsert shares the closing workflow task with the completion,
   * so Temporal writes the visibility record once, at close, with the outcome in it.
   */
  publishOutcome(): void {
    if (!this.endToPublish || !this.ended) return;
    this.endToPublish = false;
    this.upsertEnd(this.ended);
  }

  /** Records how the contact ended (once). */
  finish(outcome: ContactFlowResult['outcome'], nodeId: string, reason?: string): void {
    if (this.ended) return;
    this.ended = { outcome, nodeId };
    if (this.gen === 4 || this.stepToPublish !== null) {
      // Generation 4 publishes it in the workflow task that closes the run (`publishOutcome`).
      if (this.gen === 4) this.endToPublish = true;
      else this.upsertEnd(this.ended);
      this.publishedStep = this.stepToPublish = nodeId;
    } else {
      upsertSearchAttributes([{ key: OutcomeKey, value: outcome }]);
    }
    this.emit('contact.ended', nodeId, {
      outcome,
      resolvedBy: this.resolvedBy(outcome),
      escalations: this.state.escalations,
      durationMs: Math.max(0, workflowNow().getTime() - Date.parse(this.state.startedAt)),
    });
    if (reason) log.info('contact ended', { outcome, nodeId, reason });
  }

  /** After a cancellation: withdraw the open work item, end as abandoned. */
  async abandon(nodeId: string, reason: string): Promise<ContactFlowResult> {
    const item = this.state.workItem;
    if (item) {
      await CancellationScope.nonCancellable(() => activities.withdrawWorkItem({ workItemId: item.id, reason: 'cancelled' }));
      this.state.workItem = null;
    }
    this.finish('abandoned', nodeId, reason);
    return this.result();
  }

  /** The node the main path is at (for cancellation reports). */
  currentNode(): string {
    return this.steps()[0] ?? this.state.trail[this.state.trail.length - 1] ?? this.plan.start;
  }

  private site(node: PlanNode, visit: number) {
    return { contactId: this.state.contact.id, workflowId: this.workflowId, nodeId: node.id, visit };
  }
}

/** The customer left while a path waited for them: the contact ends as abandoned. */
export class CancelledContact extends Error {
  constructor(readonly nodeId: string) {
    super(`the customer left at ${nodeId}`);
    this.name = 'CancelledContact';
  }
}
