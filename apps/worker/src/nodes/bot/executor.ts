import { ActivityFailure, isCancellation, log } from '@temporalio/workflow';
import type { EscalationTrigger } from '@tandem/contracts';
import type { BotConfig } from '@tandem/flow';
import { workflowNow, workflowNowIso } from '../../workflows/clock';
import { hatchOf } from '../../workflows/runtime/escape-hatch';
import { builtinActivities } from '../../workflows/runtime/proxies';
import { defineExecutor, type CustomerMessage, type NodeRuntime, type Step, type StepExit } from '../../workflows/runtime/step';
import type { BotActivities, BotTurnResponse } from './activities';
import type { BotProgress } from './progress';

const bot = builtinActivities<BotActivities>();

export const botExecutor = defineExecutor<BotConfig>({
  type: 'bot',
  version: 1,
  doc: 'greets (template), then per customer message a `botTurn` activity (the virtual agent, trained once per configuration and cached); replies that come from the node\'s own texts are rendered after the turn, so a slot filled in that turn shows; leaves through `resolved` only with evidence — the customer confirms an answer, or stays quiet for the flow\'s quiet period after it — `escalate` (with the trigger and its evidence; the flow\'s escape-hatch triggers are escalated on too) or `no_match` (also when a turn cannot be processed, with the error recorded)',
  async run(step, rt) {
    const { node, path } = step;
    const { state } = rt;
    const ns: BotProgress = (state.nodeState[node.id] as BotProgress | undefined) ?? { conversation: null, greeted: false };
    state.nodeState[node.id] = ns;
    path.activity = 'bot';
    if (!ns.greeted) {
      ns.greeted = true;
      if (node.config.greeting !== undefined) await rt.say('bot', rt.renderSafely(node.config.greeting, node.id), node.id);
    }
    const quietSeconds = rt.plan.guarantees?.containment.quietSeconds;
    for (;;) {
      // After an answer, silence for the quiet period counts as the customer being done (evidence enough).
      const quietFor = ns.quietUntil !== undefined ? Math.max(0, ns.quietUntil - workflowNow().getTime()) : undefined;
      const message = await rt.nextMessage(path, node.id, { checkpoint: true, ...(quietFor !== undefined ? { timeoutMs: quietFor } : {}) });
      if (!message) {
        if (rt.leaving() || quietFor === undefined) return rt.leave(node.id);
        delete ns.quietUntil;
        ns.resolvedQuietly = true;
        state.bot = { ...state.bot, outcome: 'resolved', resolvedBy: 'quiet_period' };
        state.escalationCause = null;
        path.activity = 'flow';
        return 'resolved';
      }
      delete ns.quietUntil;
      delete ns.resolvedQuietly;
      const result = await turn(step, rt, ns, message);
      if (typeof result !== 'object' || !('conversation' in result)) return result;
      if (result.outcome === 'continue') {
        if (result.awaitingConfirmation && quietSeconds !== undefined) ns.quietUntil = workflowNow().getTime() + quietSeconds * 1000;
        continue;
      }
      if (result.outcome === 'escalate' || result.outcome === 'no_match') {
        const trigger: EscalationTrigger = result.escalation ?? { kind: 'bot_failure', reason: 'the bot could not help', evidence: [] };
        rt.lastTrigger = trigger;
        state.escalationCause = { trigger, nodeId: node.id };
      } else {
        state.escalationCause = null;
      }
      path.activity = 'flow';
      return result.outcome;
    }
  },
});

/** One turn of the virtual agent; a turn it cannot process leaves through `no_match` with the error, never kills the contact. */
async function turn(step: Step<BotConfig>, rt: NodeRuntime, ns: BotProgress, message: CustomerMessage): Promise<BotTurnResponse | StepExit> {
  const { node, path, visit } = step;
  const { state } = rt;
  const hatch = hatchOf(rt.plan, node.id, path);
  let result: BotTurnResponse;
  try {
    result = await bot.botTurn({
      ...rt.site(node, visit),
      config: node.config,
      conversation: ns.conversation,
      message,
      customer: state.contact.customer,
      channel: state.contact.channel,
      now: workflowNowIso(),
      ...(hatch ? { escalateOnToo: [...hatch.triggers] } : {}),
      // Greeted already: by this node, or by anything the flow said before.
      greeted: node.config.greeting !== undefined || state.transcript.some((t) => t.from === 'bot' || t.from === 'system'),
      ...(rt.plan.guarantees ? { containment: true } : {}),
    });
  } catch (e) {
    if (!(e instanceof ActivityFailure) || isCancellation(e)) throw e;
    const error = e.cause?.message ?? e.message;
    log.warn('a bot turn could not be processed; leaving through no_match', { nodeId: node.id, error });
    const trigger: EscalationTrigger = { kind: 'bot_failure', reason: `the bot could not process a message: ${error}`, evidence: [] };
    rt.lastTrigger = trigger;
    state.escalationCause = { trigger, nodeId: node.id };
    path.activity = 'flow';
    return { port: 'no_match', error };
  }
  ns.conversation = result.conversation;
  state.nlu = result.nlu;
  state.bot = result.bot;
  Object.assign(state.ctx, result.variables);
  for (const reply of result.replies) await rt.say('bot', renderReply(rt, node.id, reply), node.id, reply.articleId);
  const articleId = result.replies.find((r) => r.articleId)?.articleId;
  state.lastHandler = { nodeId: node.id, kind: 'bot' };
  rt.emit('bot.turn', node.id, {
    ...result.nlu,
    turn: typeof result.bot.turns === 'number' && result.bot.turns > 0 ? result.bot.turns : 1,
    answered: Boolean(articleId) || (result.nlu.intent !== 'none' && result.replies.length > 0),
    ...(articleId ? { articleId } : {}),
  });
  return result;
}

/**
 * Bot replies that come from the node's own texts (intent answers, slot prompts, fallback) are
 * templates, rendered after the turn so a slot filled in this very turn shows (`Let me look up order
 * {{ctx.orderNumber}}`). Knowledge-base answers are plain text.
 */
function renderReply(rt: NodeRuntime, nodeId: string, reply: { text: string; articleId?: string }): string {
  return reply.articleId || !reply.text.includes('{{') ? reply.text : rt.renderSafely(reply.text, nodeId);
}
