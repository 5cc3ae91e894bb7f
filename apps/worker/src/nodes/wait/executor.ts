import { ApplicationFailure } from '@temporalio/workflow';
import type { WaitConfig } from '@tandem/flow';
import { isOpen, nextOpening } from '@tandem/flow/sandbox';
import { workflowNow } from '../../workflows/clock';
import { escapeIfAsked } from '../../workflows/runtime/escape-hatch';
import { defineExecutor, type DeadlineProgress, type NodeRuntime, type Path, type Step, type StepExit } from '../../workflows/runtime/step';

export const waitExecutor = defineExecutor<WaitConfig>({
  type: 'wait',
  version: 1,
  doc: '`reply` (with timeout), `timer`, or `until_open`: a durable wait on workflow time until the calendar opens (after-hours re-routing). A reply that asks for a person (or carries a trigger the flow lists) takes the escape hatch',
  async run(step, rt) {
    const { node, path } = step;
    const ns = rt.progress<DeadlineProgress>(step, () => ({ deadline: null }));
    try {
      switch (node.config.mode) {
        case 'reply':
          return await reply(step as Step<Extract<WaitConfig, { mode: 'reply' }>>, ns, rt);
        case 'timer':
          return await timer(node.id, node.config.timeoutSeconds, path, ns, rt);
        case 'until_open':
          return await untilOpen(step as Step<Extract<WaitConfig, { mode: 'until_open' }>>, ns, rt);
        default:
          throw ApplicationFailure.nonRetryable(`unknown wait mode "${String((node.config as { mode: unknown }).mode)}"`, 'PlanError');
      }
    } finally {
      // The wait is over (or unwinding); a later visit starts afresh.
      rt.forgetProgress(step);
      path.activity = 'flow';
    }
  },
});

async function reply(step: Step<Extract<WaitConfig, { mode: 'reply' }>>, ns: DeadlineProgress, rt: NodeRuntime): Promise<StepExit> {
  const { node, path } = step;
  path.activity = 'bot';
  const now = workflowNow().getTime();
  if (!ns.asked) {
    ns.asked = true;
    ns.deadline = now + node.config.timeoutSeconds * 1000;
    if (node.config.prompt) await rt.say('bot', rt.expressions.render(node, 'prompt'), node.id);
  }
  const message = await rt.nextMessage(path, node.id, { timeoutMs: Math.max(0, (ns.deadline ?? now) - workflowNow().getTime()), checkpoint: true });
  if (!message) {
    if (rt.leaving()) rt.leave(node.id);
    return 'timeout';
  }
  const escape = await escapeIfAsked(step, rt, message);
  if (escape) return escape;
  if (node.config.saveReplyAs) rt.state.ctx[node.config.saveReplyAs] = message.text;
  return 'reply';
}

async function timer(nodeId: string, seconds: number, path: Path, ns: DeadlineProgress, rt: NodeRuntime): Promise<string> {
  ns.deadline ??= workflowNow().getTime() + seconds * 1000;
  rt.checkpoint(path, nodeId);
  await rt.park(path, false, () => rt.leaving(), Math.max(0, ns.deadline - workflowNow().getTime()));
  if (rt.leaving()) rt.leave(nodeId);
  return 'timeout';
}

async function untilOpen({ node, path }: Step<Extract<WaitConfig, { mode: 'until_open' }>>, ns: DeadlineProgress, rt: NodeRuntime): Promise<string> {
  const now = workflowNow().getTime();
  const calendar = await rt.expressions.calendar(node.config.calendar);
  const opening = nextOpening(calendar, workflowNow());
  if (node.config.maxWaitSeconds !== undefined) ns.deadline ??= now + node.config.maxWaitSeconds * 1000;
  if (opening && opening.getTime() <= workflowNow().getTime()) return 'open';
  const until = Math.min(opening?.getTime() ?? Number.POSITIVE_INFINITY, ns.deadline ?? Number.POSITIVE_INFINITY);
  if (!Number.isFinite(until)) throw ApplicationFailure.nonRetryable(`the calendar of "${node.label}" never opens and the wait has no maximum`, 'ConfigError');
  rt.checkpoint(path, node.id);
  await rt.park(path, false, () => rt.leaving(), Math.max(1, until - workflowNow().getTime()));
  if (rt.leaving()) rt.leave(node.id);
  return isOpen(calendar, workflowNow()) ? 'open' : 'timeout';
}
