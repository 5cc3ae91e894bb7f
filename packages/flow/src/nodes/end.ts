import { contactOutcomeSchema } from '@tandem/contracts';
import { z } from 'zod';
import { template } from './common';
import { defineNode, type ExpressionSite } from './types';

export const endConfigSchema = z.strictObject({
  outcome: contactOutcomeSchema,
  /** Last message to the customer (template). */
  message: template('Goodbye message').optional().describe('Last message to the customer (template).'),
});
export type EndConfig = z.infer<typeof endConfigSchema>;

/** Ends the contact with an outcome. */
export const endNode = defineNode({
  type: 'end',
  typeVersion: 1,
  title: 'End',
  category: 'flow',
  description: 'End the contact with an outcome.',
  hasInput: true,
  waits: false,
  configSchema: endConfigSchema,
  ports: [],
  loopExitPort: () => undefined,
  expressions: (config): ExpressionSite[] =>
    config.message === undefined ? [] : [{ path: ['message'], source: config.message, kind: 'template', expect: 'any', describe: 'goodbye message' }],
  docs: 'Sends the optional `message` and ends the contact with `outcome`: `resolved_by_bot`, `resolved_by_human`, `ticketed` or `abandoned`. In a subflow, the outcome is the exit the calling node takes.',
});
