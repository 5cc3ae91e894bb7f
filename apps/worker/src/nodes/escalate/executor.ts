import { CancellationScope, isCancellation, log } from '@temporalio/workflow';
import type { BreachAction, EscalateConfig } from '@tandem/flow';
import { workflowNow, workflowNowIso } from '../../workflows/clock';
import { builtinActivities, core } from '../../workflows/runtime/proxies';
import { defineExecutor, type NodeRuntime, type Step } from '../../workflows/runtime/step';
import { botConversations } from '../bot/progress';
import type { EscalateActivities } from './activities';

const routing = builtinActivities<EscalateActivities>();

/** An escalation's progress, kept in `state.nodeState` so the wait survives continue-as-new. */
interface EscalationProgress {
  workItemId: string;
  queue: string;
  /** Workflow time (ms) the work item was created. */
  createdAt: number;
  actionsDone: number;
  callbackOffered: boolean;
  visit: number;
  /** Workflow time (ms) of the next waiting update (`waiting.updateEverySeconds`). */
  nextUpdateAt?: number;
}

/** A customer's yes to a callback offer. */
const AFFIRMATIVE = /\b(yes|yeah|yep|sure|ok|okay|please|call me|callback|call back)\b/i;

export const escalateExecutor = defineExecutor<EscalateConfig>({
  type: 'escalate',
  version: 1,
  doc: 'builds the handoff package, creates the work item (idempotent), waits for `workItemResolved` for **that** item (late or duplicate resolutions of other items are ignored), runs the breach actions at `sla + afterSeconds` (raise priority; overflow to another queue; offer a callback — an affirmative answer leaves through `timeout`, the flow\'s callback path), gives up after `maxWaitSeconds` (withdrawing the item), leaves through `abandoned` when the customer leaves; while a human has the contact, agent assist is refreshed on each customer message',
  async run(step, rt) {
    const { node, path, resuming } = step;
    const item = (resuming ? (rt.state.nodeState[node.id] as EscalationProgress | undefined) : undefined) ?? (await escalate(step, rt));
    path.activity = rt.state.workItem?.agentId ? 'human' : 'queue';
    try {
      return await waitForAgent(step, rt, item);
    } catch (e) {
      // Cancelled (the contact, or a losing parallel branch): take the item out of routing so no agent picks up a dead contact.
      if (isCancellation(e)) await CancellationScope.nonCancellable(() => core.withdrawWorkItem({ workItemId: item.workItemId, reason: 'cancelled' }));
      throw e;
    } finally {
      if (!rt.continuing) {
        delete rt.state.nodeState[node.id];
        if (rt.state.workItem?.id === item.workItemId) rt.state.workItem = null;
        path.activity = 'flow';
      }
    }
  },
});

/** Builds the handoff, creates the work item and records the escalation. */
async function escalate({ node, visit }: Step<EscalateConfig>, rt: NodeRuntime): Promise<EscalationProgress> {
  const { config } = node;
  const { state } = rt;
  const activation = rt.expressions.needsLiveData(node) ? await rt.expressions.prepared(node) : rt.expressions.evaluator.prepare(rt.expressions.activation());
  // A priority that fails at run time is 0: the customer still reaches a person.
  const evaluated = rt.expressions.attempt(() => Number(rt.expressions.evaluate(config.priority, activation)));
  const priority = evaluated.ok && Number.isFinite(evaluated.value) ? evaluated.value : 0;
  // Why: what the step that sent the contact here decided (a bot's trigger, the escape hatch, a
  // decision's rule), else the last trigger any step detected.
  const cause = state.escalationCause ?? null;
  state.escalationCause = null;
  const trigger = cause?.trigger ?? rt.lastTrigger;
  const handoff = await routing.buildHandoff({
    ...rt.site(node, visit),
    channel: state.contact.channel,
    customer: state.contact.customer,
    transcript: state.transcript,
    ...botConversations(rt.plan, state.nodeState),
    nlu: state.nlu,
    trigger,
    include: config.handoff,
    attributes: chosenAttributes(rt, config.handoff.attributes ?? []),
    now: workflowNowIso(),
  });
  state.handoff = handoff;
  const { workItemId } = await routing.createWorkItem({
    ...rt.site(node, visit),
    queue: config.queue,
    priority,
    requiredSkills: config.requiredSkills,
    channel: state.contact.channel,
    handoff,
    slaTargetSeconds: config.sla.targetSeconds,
    flowId: rt.plan.flowId,
    flowVersion: rt.input.flowVersion,
  });
  const createdAt = workflowNow().getTime();
  const every = config.waiting?.updateEverySeconds;
  const progress: EscalationProgress = { workItemId, queue: config.queue, createdAt, actionsDone: 0, callbackOffered: false, visit, ...(every ? { nextUpdateAt: createdAt + every * 1000 } : {}) };
  state.nodeState[node.id] = progress;
  state.workItem = { id: workItemId, nodeId: node.id, queue: config.queue, visit };
  state.escalations++;
  const fired = cause?.trigger ?? handoff.trigger ?? trigger;
  rt.emit('contact.escalated', node.id, {
    queue: config.queue,
    trigger: fired ? { kind: fired.kind, reason: fired.reason, ...(fired.detail ? { detail: fired.detail } : {}) } : null,
    // Where the escalation came from: the step that decided it, the node the bot got stuck in, else the escalate node itself.
    causeNodeId: cause?.nodeId ?? handoff.stuckAt?.nodeId ?? (state.lastHandler?.kind === 'bot' ? state.lastHandler.nodeId : node.id),
    workItemId,
    priority: Math.round(priority),
  });
  rt.publishQueue(config.queue);
  return progress;
}

/** Waits for the agent's resolution, running the SLA breach actions on the way. */
async function waitForAgent({ node, path, visit }: Step<EscalateConfig>, rt: NodeRuntime, item: EscalationProgress): Promise<string> {
  const { config } = node;
  const { state } = rt;
  let assistedUpTo = -1;
  for (;;) {
    const resolution = rt.takeResolution(item.workItemId);
    if (resolution) {
      state.lastHandler = { nodeId: node.id, kind: 'agent', ...(resolution.agentId ? { agentId: resolution.agentId } : {}) };
      return resolution.outcome === 'transferred' ? 'transferred' : resolution.outcome === 'abandoned' ? 'abandoned' : 'resolved';
    }
    if (rt.takeCustomerLeft()) {
      await core.withdrawWorkItem({ workItemId: item.workItemId, reason: 'customer_left' });
      return 'abandoned';
    }
    // Customer messages while waiting: the agent reads them in the transcript; the assistant prepares suggestions.
    while (state.inbox.length) {
      const message = await rt.nextMessage(path, node.id);
      if (!message) break;
      if (item.callbackOffered && !state.workItem?.agentId && AFFIRMATIVE.test(message.text)) {
        await core.withdrawWorkItem({ workItemId: item.workItemId, reason: 'callback' });
        return 'timeout';
      }
      if (config.aiAssist.enabled && message.index > assistedUpTo) {
        assistedUpTo = message.index;
        rt.background(refreshAssist(rt, node.id, visit, item.workItemId, config.aiAssist));
      }
      // Nobody has the contact yet: the customer is answered, never left in silence.
      if (!state.workItem?.agentId && config.waiting) await answerWhileQueued(rt, node, visit, message.text);
    }
    const now = workflowNow().getTime();
    const slaAt = item.createdAt + config.sla.targetSeconds * 1000;
    const giveUpAt = item.createdAt + config.maxWaitSeconds * 1000;
    const action = state.workItem?.agentId ? undefined : config.breachActions[item.actionsDone];
    const actionAt = action ? slaAt + action.afterSeconds * 1000 : Number.POSITIVE_INFINITY;
    if (action && now >= actionAt) {
      item.actionsDone++;
      await breach(rt, node, item, action);
      continue;
    }
    if (!state.workItem?.agentId && now >= giveUpAt) {
      await core.withdrawWorkItem({ workItemId: item.workItemId, reason: 'timeout' });
      return 'timeout';
    }
    const updateAt = state.workItem?.agentId || item.nextUpdateAt === undefined ? Number.POSITIVE_INFINITY : item.nextUpdateAt;
    if (now >= updateAt && config.waiting?.updateEverySeconds) {
      item.nextUpdateAt = updateAt + config.waiting.updateEverySeconds * 1000;
      const activation = rt.expressions.needsLiveData(node) ? await rt.expressions.prepared(node) : undefined;
      await rt.say('system', rt.expressions.render({ id: node.id, config: config.waiting }, 'update', activation), node.id);
      continue;
    }
    rt.checkpoint(path, node.id);
    const wakeAt = Math.min(actionAt, updateAt, state.workItem?.agentId ? Number.POSITIVE_INFINITY : giveUpAt);
    await rt.park(
      path,
      true,
      () => rt.hasResolution(item.workItemId) || state.inbox.length > 0 || rt.customerLeft() || (path.activity === 'queue' && state.workItem?.agentId !== undefined),
      Number.isFinite(wakeAt) ? Math.max(1, wakeAt - workflowNow().getTime()) : undefined,
    );
    if (state.workItem?.agentId) path.activity = 'human';
  }
}

async function breach(rt: NodeRuntime, node: Step<EscalateConfig>['node'], item: EscalationProgress, action: BreachAction): Promise<void> {
  log.info('SLA breach action', { nodeId: node.id, workItemId: item.workItemId, action: action.action });
  switch (action.action) {
    case 'raise_priority':
      await routing.raiseWorkItemPriority({ workItemId: item.workItemId, by: action.by, reason: `SLA breached at ${node.label}` });
      break;
    case 'overflow':
      await routing.moveWorkItem({ workItemId: item.workItemId, queue: action.queue, reason: `overflow from ${item.queue} after SLA breach` });
      item.queue = action.queue;
      if (rt.state.workItem) rt.state.workItem.queue = action.queue;
      rt.publishQueue(action.queue);
      break;
    case 'offer_callback':
      item.callbackOffered = true;
      await rt.say('system', rt.expressions.template(action.message), node.id);
      break;
  }
}

async function refreshAssist(rt: NodeRuntime, nodeId: string, visit: number, workItemId: string, options: EscalateConfig['aiAssist']): Promise<void> {
  try {
    const suggestions = await routing.assistAgent({ ...rt.site({ id: nodeId }, visit), workItemId, transcript: rt.state.transcript, channel: rt.state.contact.channel, options });
    if (!rt.state.assist || suggestions.basedOnMessage >= rt.state.assist.basedOnMessage) rt.state.assist = suggestions;
  } catch (e) {
    // Assistance is best effort: the agent works without it rather than the contact failing.
    if (isCancellation(e)) throw e;
    log.warn('agent assist failed', { workItemId, error: String(e) });
  }
}

/**
 * A customer's message while nobody has taken the contact: a question the bot can still answer
 * confidently ("when do you open?") gets its answer, anything else the flow's acknowledgement.
 */
async function answerWhileQueued(rt: NodeRuntime, node: Step<EscalateConfig>['node'], visit: number, text: string): Promise<void> {
  const answer = await routing.answerWhileWaiting({ ...rt.site(node, visit), text, channel: rt.state.contact.channel, now: workflowNowIso() });
  if (answer) {
    await rt.say('bot', answer.reply, node.id, answer.articleId);
    return;
  }
  const waiting = node.config.waiting;
  if (waiting?.acknowledge.trim()) await rt.say('system', rt.expressions.render({ id: node.id, config: waiting }, 'acknowledge'), node.id);
}

/** The customer and contact attributes the escalate node shows the agent, by name (customer's first). */
function chosenAttributes(rt: NodeRuntime, names: readonly string[]): Record<string, unknown> {
  const { customer, attributes } = rt.state.contact;
  const out: Record<string, unknown> = {};
  for (const name of names) {
    const value = customer.attributes[name] ?? attributes[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}
