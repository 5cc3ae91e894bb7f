import { z } from 'zod';
import { celExpression, loopBound, variableName } from './common';
import { defineNode } from './types';

export const setConfigSchema = z.strictObject({
  /** Applied in order; a later assignment sees the earlier ones. */
  assignments: z
    .array(z.strictObject({ variable: variableName, value: celExpression('Value (CEL), e.g. ctx.attempts + 1') }))
    .min(1, 'add at least one assignment')
    .describe('Applied in order'),
  ...loopBound,
});
export type SetConfig = z.infer<typeof setConfigSchema>;

/** Assigns flow variables from CEL expressions. */
export const setNode = defineNode({
  type: 'set',
  typeVersion: 1,
  title: 'Set variables',
  category: 'logic',
  description: 'Assign flow variables from expressions.',
  hasInput: true,
  waits: false,
  configSchema: setConfigSchema,
  ports: [{ id: 'next', label: 'Next' }],
  loopExitPort: (config) => config.onMaxVisits ?? 'next',
  expressions: (config, context) =>
    config.assignments.map((a, i) => ({
      path: ['assignments', i, 'value'],
      source: a.value,
      kind: 'expression',
      // An undeclared variable is reported by `writes`; check the value against anything meanwhile.
      expect: context.variables.get(a.variable) ?? 'any',
      describe: `value assigned to "${a.variable}"`,
    })),
  writes: (config, context) =>
    config.assignments.map((a, i) => ({ variable: a.variable, path: ['assignments', i, 'variable'], accepts: [context.variables.get(a.variable) ?? 'string'] })),
  docs: 'Evaluates each `value` in order and stores it in `ctx.<variable>`. The variable must be declared by the flow and the value must have its type (an `int` fits a `double` variable).',
});
