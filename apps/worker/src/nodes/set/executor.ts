import type { SetConfig } from '@tandem/flow';
import { defineExecutor } from '../../workflows/runtime/step';

export const setExecutor = defineExecutor<SetConfig>({
  type: 'set',
  version: 1,
  doc: 'assigns flow variables from CEL, in order (a later assignment sees the earlier ones)',
  run: ({ node }, rt) =>
    rt.expressions.withActivation(node, () => {
      const { expressions, state } = rt;
      for (const a of node.config.assignments) state.ctx[a.variable] = expressions.evaluate(a.value, expressions.evaluator.prepare(expressions.activation()));
      return 'next';
    }),
});
