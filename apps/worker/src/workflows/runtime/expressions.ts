/**
 * Expressions in the workflow: the activation flows see (`contact`, `customer`, `ctx`, `nlu`, `bot`,
 * live queue waits and calendars), CEL evaluated deterministically with one evaluator per plan, and
 * the live data an expression references fetched first by an activity.
 */
import { ApplicationFailure, log } from '@temporalio/workflow';
import type { Activation, Calendar, CalendarRef, Evaluator, Plan, PlanNode, PreparedActivation } from '@tandem/flow/runtime';
// Values from the sandbox entry: the runtime entry's plan schemas would be rebuilt for every contact.
import { createEvaluator, isOpen } from '@tandem/flow/sandbox';
import type { ContactState } from '@tandem/workflow-contract';
import type { LiveDataResponse } from '../../activities/contract';
import { workflowNow } from '../clock';
import { planEvaluators } from '../shared-modules';
import { core } from './proxies';

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

/** Something that holds CEL expressions: a plan node (its `expressions` say what live data they read). */
type WithExpressions = Pick<PlanNode, 'expressions'>;

export class Expressions {
  readonly evaluator: Evaluator;
  private readonly live: LiveDataResponse = { queues: {}, calendars: {} };

  constructor(
    plan: Plan,
    private readonly state: ContactState,
    calendars: Record<string, Calendar> | undefined,
  ) {
    this.evaluator = evaluatorFor(plan);
    Object.assign(this.live.calendars, calendars ?? {});
  }

  /** What expressions see now. */
  activation(): Activation {
    const s = this.state;
    return {
      contact: { id: s.contact.id, channel: s.contact.channel, attributes: s.contact.attributes },
      customer: s.contact.customer,
      ctx: s.ctx,
      nlu: s.nlu,
      bot: s.bot,
      live: { queues: this.live.queues, calendars: this.calendarFlags() },
    };
  }

  /**
   * Runs `use` with the node's activation: at once when its expressions read no live data (no promise),
   * else after an activity fetched it.
   */
  withActivation<R>(node: WithExpressions, use: (activation: PreparedActivation) => R | Promise<R>): R | Promise<R> {
    return this.needsLiveData(node) ? this.prepared(node).then(use) : use(this.evaluator.prepare(this.activation()));
  }

  /** Fetches (in an activity) the live data the node's expressions reference, then prepares an activation. */
  async prepared(node: WithExpressions): Promise<PreparedActivation> {
    const queues = new Set<string>();
    const calendars = new Set<string>();
    for (const e of Object.values(node.expressions)) {
      e.refs.queues.forEach((q) => queues.add(q));
      e.refs.calendars.forEach((c) => calendars.add(c));
    }
    if (queues.size || calendars.size) await this.fetchLive([...queues], [...calendars], true);
    return this.evaluator.prepare(this.activation());
  }

  /** Whether the node's expressions read live queue or calendar data (fetched in an activity first). */
  needsLiveData(node: WithExpressions): boolean {
    return Object.values(node.expressions).some((e) => e.refs.queues.length > 0 || e.refs.calendars.length > 0);
  }

  /**
   * Renders a template field of the node's config ('' when the field is absent). A template that fails
   * at run time is said as written (and logged): a customer gets a sentence, never silence.
   */
  render(node: Pick<PlanNode, 'config' | 'id'>, field: string, activation?: PreparedActivation | Activation): string {
    const source = node.config[field];
    if (typeof source !== 'string') return '';
    try {
      return this.evaluator.renderTemplate(source, activation ?? this.activation());
    } catch (e) {
      log.warn('a template failed to render; sending it as written', { nodeId: node.id, field, error: String(e) });
      return source;
    }
  }

  template(source: string, activation?: PreparedActivation | Activation): string {
    return this.evaluator.renderTemplate(source, activation ?? this.activation());
  }

  evaluate(source: string, activation: PreparedActivation): unknown {
    return this.evaluator.evaluate(source, activation);
  }

  condition(source: string, activation: PreparedActivation): boolean {
    return this.evaluator.evaluateCondition(source, activation);
  }

  /**
   * Evaluates, turning a failure at run time (a conversion that fails, a missing field, a division by
   * zero) into a value the step can take its defined way out with: nothing kills a conversation.
   */
  attempt<T>(evaluate: () => T): { ok: true; value: T } | { ok: false; error: string } {
    try {
      return { ok: true, value: evaluate() };
    } catch (e) {
      return { ok: false, error: e instanceof Error ? e.message : String(e) };
    }
  }

  /** A calendar by reference: written in the node, pinned with the contact, or fetched by an activity. */
  async calendar(ref: CalendarRef): Promise<Calendar> {
    if (ref.kind === 'inline') return ref.calendar;
    await this.fetchLive([], [ref.name], false);
    const cal = this.live.calendars[ref.name];
    if (!cal) throw ApplicationFailure.nonRetryable(`the calendar "${ref.name}" does not exist`, 'ConfigError');
    return cal;
  }

  async calendarOpen(ref: CalendarRef): Promise<boolean> {
    return isOpen(await this.calendar(ref), workflowNow());
  }

  private calendarFlags(): Record<string, boolean> {
    const now = workflowNow();
    return Object.fromEntries(Object.entries(this.live.calendars).map(([name, cal]) => [name, isOpen(cal, now)]));
  }

  private async fetchLive(queues: string[], calendars: string[], refreshQueues: boolean): Promise<void> {
    const wantedQueues = refreshQueues ? queues : queues.filter((q) => !(q in this.live.queues));
    const wantedCalendars = calendars.filter((c) => !(c in this.live.calendars));
    if (!wantedQueues.length && !wantedCalendars.length) return;
    const live = await core.fetchLiveData({ queues: wantedQueues.sort(), calendars: wantedCalendars.sort() });
    Object.assign(this.live.queues, live.queues);
    Object.assign(this.live.calendars, live.calendars);
  }
}
