import type { DecisionConfig } from '@tandem/flow';
import { defineExecutor } from '../../workflows/runtime/step';

export const decisionExecutor = defineExecutor<DecisionConfig>({
  type: 'decision',
  version: 1,
  doc: 'the first rule whose CEL condition holds, else `default`; evaluated in the workflow (live data such as `queue.ewt` fetched by an activity first)',
  run: ({ node }, rt) =>
    rt.expressions.withActivation(node, (activation) => node.config.rules.find((rule) => rt.expressions.condition(rule.condition, activation))?.id ?? 'default'),
});
