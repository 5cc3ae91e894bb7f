import type { MessageConfig } from '@tandem/flow';
import { defineExecutor } from '../../workflows/runtime/step';

export const messageExecutor = defineExecutor<MessageConfig>({
  type: 'message',
  version: 1,
  doc: 'renders the template and says it (into the customer\'s open turn, else through the channel)',
  run: ({ node }, rt) => {
    const delivery = rt.say('bot', rt.expressions.render(node, 'text'), node.id);
    return delivery ? { port: 'next', after: delivery } : 'next';
  },
});
