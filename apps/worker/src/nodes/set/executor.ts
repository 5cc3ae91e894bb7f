import type { SetConfig } from '@tandem/flow';
import { defineExecutor } from '../../workflows/runtime/step';

export const setExecutor = defineExecutor<SetConfig>({
  type: 'set',
  version: 1,
  doc: 'assigns flow variables from CEL, in order (a later assignment sees the earlier ones); live data such as `queue.ewt` is fetched by an activity first',
  run: ({ node }, rt) => {
    const x = rt.expressions;
    const assign = () => {
      // Each assignment sees the ones before it: a fresh activation each time.
      for (const a of node.config.assignments) rt.state.ctx[a.variable] = x.evaluate(a.value, x.evaluator.prepare(x.activation()));
      return 'next';
    };
    return x.needsLiveData(node) ? x.prepared(node).then(assign) : assign();
  },
});
