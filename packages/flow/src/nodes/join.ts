import { z } from 'zod';
import { loopBound } from './common';
import { defineNode } from './types';

export const joinConfigSchema = z.strictObject({
  /**
   * - `all`: go on when every branch has arrived;
   * - `first`: go on when the first branch arrives and cancel the others;
   * - `any`: go on when the first branch arrives; the others finish their current step and stop at the join.
   */
  mode: z.enum(['all', 'any', 'first']).default('all'),
  ...loopBound,
});
export type JoinConfig = z.infer<typeof joinConfigSchema>;

/** Where a parallel's branches meet. */
export const joinNode = defineNode({
  type: 'join',
  typeVersion: 1,
  title: 'Join',
  category: 'flow',
  description: 'Where the branches of a parallel meet again.',
  hasInput: true,
  waits: false,
  configSchema: joinConfigSchema,
  ports: [{ id: 'next', label: 'Next' }],
  loopExitPort: (config) => config.onMaxVisits ?? 'next',
  docs: '`mode` decides when the flow goes on: `all` waits for every branch; `first` continues with the first branch to arrive and cancels the others; `any` continues with the first branch to arrive and lets the others finish the step they are in, then drops them. Every join belongs to exactly one parallel.',
});
