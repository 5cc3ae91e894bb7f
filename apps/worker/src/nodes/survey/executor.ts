import type { SurveyConfig } from '@tandem/flow';
import { workflowNow } from '../../workflows/clock';
import { escapeIfAsked } from '../../workflows/runtime/escape-hatch';
import { defineExecutor, type DeadlineProgress } from '../../workflows/runtime/step';
import { parseSurveyScore, REPROMPT } from './score';

export const surveyExecutor = defineExecutor<SurveyConfig>({
  type: 'survey',
  version: 1,
  doc: 'asks, parses the score (one re-prompt), stores it, emits `feedback.csat` attributed to the node that handled the contact; a request for a person, a trigger the flow lists, or an unhappy answer that is no score takes the escape hatch',
  async run(step, rt) {
    const { node, path } = step;
    const { config } = node;
    const ns = rt.progress<DeadlineProgress>(step, () => ({ deadline: null }));
    path.activity = 'bot';
    try {
      if (!ns.asked) {
        ns.asked = true;
        ns.deadline = workflowNow().getTime() + config.timeoutSeconds * 1000;
        await rt.say('bot', rt.expressions.render(node, 'question'), node.id);
      }
      for (let attempt = 0; attempt < 2; attempt++) {
        const message = await rt.nextMessage(path, node.id, { timeoutMs: Math.max(0, (ns.deadline ?? 0) - workflowNow().getTime()), checkpoint: true });
        if (!message) return 'skipped';
        const score = parseSurveyScore(config.kind, message.text);
        // A request for a person is honoured even here; an unhappy answer that is no score is one too.
        const escape = await escapeIfAsked(step, rt, message, score === null ? ['frustration', 'negative_sentiment'] : []);
        if (escape) return escape;
        if (score !== null) {
          if (config.saveAs) rt.state.ctx[config.saveAs] = score;
          if (config.kind === 'csat') {
            // Attributed to the node that handled the contact (the bot, or the escalation a human resolved).
            const handler = rt.state.lastHandler;
            rt.emit('feedback.csat', handler?.nodeId ?? node.id, {
              score,
              collectedBy: 'survey_node',
              surveyNodeId: node.id,
              resolvedBy: handler ? { kind: handler.kind, ...(handler.agentId ? { agentId: handler.agentId } : {}) } : { kind: 'none' },
            });
          }
          return 'answered';
        }
        if (attempt === 0) await rt.say('bot', REPROMPT[config.kind], node.id);
      }
      return 'skipped';
    } finally {
      rt.forgetProgress(step);
      path.activity = 'flow';
    }
  },
});
