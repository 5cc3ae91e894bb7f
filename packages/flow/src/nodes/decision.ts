import { z } from 'zod';
import { celExpression, duplicates, loopBound, portId } from './common';
import { defineNode } from './types';

export const decisionRuleSchema = z.strictObject({
  /** Becomes the exit's id; keep it stable, edges refer to it. */
  id: portId.refine((id) => id !== 'default', { message: '"default" is reserved for the fallback exit' }).describe('Becomes the exit\'s id; keep it stable, edges refer to it.'),
  label: z.string().max(200).optional(),
  /** A CEL condition; the first rule whose condition is true wins. */
  condition: celExpression('Condition (CEL), e.g. nlu.sentiment < -0.5').describe('A CEL condition; the first rule whose condition is true wins.'),
});

export const decisionConfigSchema = z
  .object({
    rules: z.array(decisionRuleSchema).min(1, 'add at least one rule').describe('Checked in order; the first true one wins'),
    ...loopBound,
  })
  .superRefine((config, issue) => {
    for (const d of duplicates(config.rules, (r) => r.id)) {
      issue.addIssue({ code: 'custom', path: ['rules', d.index, 'id'], message: `two rules are called "${d.key}"` });
    }
  });
export type DecisionConfig = z.infer<typeof decisionConfigSchema>;

/** Ordered CEL rules: one exit per rule plus `default`. */
export const decisionNode = defineNode({
  type: 'decision',
  typeVersion: 1,
  title: 'Decision',
  category: 'logic',
  description: 'Branch on conditions, checked in order; the first that holds wins.',
  hasInput: true,
  waits: false,
  configSchema: decisionConfigSchema,
  ports: (config) => [
    ...config.rules.map((rule) => ({ id: rule.id, label: rule.label ?? rule.id })),
    { id: 'default', label: 'Otherwise' },
  ],
  loopExitPort: (config) => config.onMaxVisits ?? 'default',
  expressions: (config) =>
    config.rules.map((rule, i) => ({
      path: ['rules', i, 'condition'],
      source: rule.condition,
      kind: 'expression',
      expect: 'bool',
      describe: `condition of rule "${rule.label ?? rule.id}"`,
    })),
  docs: 'Evaluates `rules` in order inside the workflow (deterministic) and leaves through the first rule whose `condition` is true, or `default`. Conditions must be true/false expressions.',
});
