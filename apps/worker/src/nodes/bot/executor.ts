import { log } from '@temporalio/workflow';
import type { BotConfig } from '@tandem/flow';
import { workflowNowIso } from '../../workflows/clock';
import { builtinActivities } from '../../workflows/runtime/proxies';
import { defineExecutor, type NodeRuntime } from '../../workflows/runtime/step';
import type { BotActivities } from './activities';
import type { BotProgress } from './progress';

const bot = builtinActivities<BotActivities>();

export const botExecutor = defineExecutor<BotConfig>({
  type: 'bot',
  version: 1,
  doc: 'greets (template), then per customer message a `botTurn` activity (the virtual agent, trained once per configuration and cached); replies that come from the node\'s own texts are rendered after the turn, so a slot filled in that turn shows; leaves through `resolved`, `escalate` (with the trigger and its evidence) or `no_match`',
  async run({ node, path, visit }, rt) {
    const { state } = rt;
    const ns: BotProgress = (state.nodeState[node.id] as BotProgress | undefined) ?? { conversation: null, greeted: false };
    state.nodeState[node.id] = ns;
    path.activity = 'bot';
    if (!ns.greeted) {
      ns.greeted = true;
      if (node.config.greeting !== undefined) await rt.say('bot', rt.expressions.render(node, 'greeting'), node.id);
    }
    for (;;) {
      const message = await rt.nextMessage(path, node.id, { checkpoint: true });
      if (!message) return rt.leave(node.id);
      const result = await bot.botTurn({
        ...rt.site(node, visit),
        config: node.config,
        conversation: ns.conversation,
        message,
        customer: state.contact.customer,
        channel: state.contact.channel,
        now: workflowNowIso(),
      });
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
      if (result.outcome === 'continue') continue;
      if (result.outcome === 'escalate') rt.lastTrigger = result.escalation;
      path.activity = 'flow';
      return result.outcome;
    }
  },
});

/**
 * Bot replies that come from the node's own texts (intent answers, slot prompts, fallback) are
 * templates, rendered after the turn so a slot filled in this very turn shows (`Let me look up order
 * {{ctx.orderNumber}}`). Knowledge-base answers are plain text.
 */
function renderReply(rt: NodeRuntime, nodeId: string, reply: { text: string; articleId?: string }): string {
  if (reply.articleId || !reply.text.includes('{{')) return reply.text;
  try {
    return rt.expressions.template(reply.text);
  } catch (e) {
    log.warn('a bot reply template failed to render; sending it as written', { nodeId, error: String(e) });
    return reply.text;
  }
}
