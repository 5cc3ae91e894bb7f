import { log } from '@temporalio/workflow';
import type { DecisionConfig } from '@tandem/flow';
import { defineExecutor } from '../../workflows/runtime/step';

export const decisionExecutor = defineExecutor<DecisionConfig>({
  type: 'decision',
  version: 1,
  doc: 'the first rule whose CEL condition holds, else `default`; evaluated in the workflow (live data such as `queue.ewt` fetched by an activity first). A rule that fails at run time (a conversion, a missing field) does not hold: the step goes on with the next rules and leaves through `default` at worst, with the error on its metrics. A rule that holds is the cause of a following escalation (`flow_rule`, with the rule)',
  run: ({ node }, rt) =>
    rt.expressions.withActivation(node, (activation) => {
      const errors: string[] = [];
      for (const rule of node.config.rules) {
        const held = rt.expressions.attempt(() => rt.expressions.condition(rule.condition, activation));
        if (!held.ok) {
          log.warn('a decision rule failed at run time; it does not hold', { nodeId: node.id, rule: rule.id, error: held.error });
          errors.push(`rule "${rule.label ?? rule.id}": ${held.error}`);
          continue;
        }
        if (!held.value) continue;
        // The rule that holds is why the contact goes where it goes (an escalation reports it as such),
        // with what had been detected when it held (a classify step's trigger and its words).
        const name = rule.label ?? rule.id;
        const seen = rt.lastTrigger;
        const detected = [...new Set([...(seen ? [seen.kind] : []), ...rt.state.nlu.triggers])].map((k) => k.replace(/_/g, ' '));
        rt.state.escalationCause = {
          trigger: { kind: 'flow_rule', reason: `rule "${name}" of ${node.label}${detected.length ? ` (${detected.join(', ')} detected)` : ''}`, detail: rule.id, evidence: seen?.evidence ?? [] },
          nodeId: node.id,
          rule: { id: rule.id, ...(rule.label ? { label: rule.label } : {}) },
        };
        return errors.length ? { port: rule.id, error: errors.join('; ') } : rule.id;
      }
      // No rule held: whatever an earlier step decided is no longer why the contact goes on from here.
      rt.state.escalationCause = null;
      return errors.length ? { port: 'default', error: errors.join('; ') } : 'default';
    }),
});
