import { log } from '@temporalio/workflow';
import type { SetConfig } from '@tandem/flow';
import { defineExecutor, type StepExit } from '../../workflows/runtime/step';

export const setExecutor = defineExecutor<SetConfig>({
  type: 'set',
  version: 1,
  doc: 'assigns flow variables from CEL, in order (a later assignment sees the earlier ones); live data such as `queue.ewt` is fetched by an activity first. An assignment that fails at run time leaves its variable as it was, with the error on the step\'s metrics',
  run: ({ node }, rt) => {
    const x = rt.expressions;
    const assign = (): StepExit => {
      const errors: string[] = [];
      // Each assignment sees the ones before it: a fresh activation each time.
      for (const a of node.config.assignments) {
        const result = x.attempt(() => x.evaluate(a.value, x.evaluator.prepare(x.activation())));
        if (result.ok) rt.state.ctx[a.variable] = result.value;
        else {
          log.warn('an assignment failed at run time; the variable keeps its value', { nodeId: node.id, variable: a.variable, error: result.error });
          errors.push(`${a.variable}: ${result.error}`);
        }
      }
      return errors.length ? { port: 'next', error: errors.join('; ') } : 'next';
    };
    return x.needsLiveData(node) ? x.prepared(node).then(assign) : assign();
  },
});
