import type { EndConfig } from '@tandem/flow';
import { defineExecutor, ENDED } from '../../workflows/runtime/step';

export const endExecutor = defineExecutor<EndConfig>({
  type: 'end',
  version: 1,
  doc: 'says the goodbye (if any), records the outcome',
  run: ({ node, path }, rt) => {
    const end = () => {
      rt.finish(node.config.outcome, node.id);
      path.activity = 'flow';
      return ENDED;
    };
    const delivery = node.config.message === undefined ? undefined : rt.say('bot', rt.expressions.render(node, 'message'), node.id);
    return delivery ? delivery.then(end) : end();
  },
});
