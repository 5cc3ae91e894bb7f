import { z } from 'zod';
import { duplicates, loopBound, portId } from './common';
import { defineNode } from './types';

export const parallelConfigSchema = z
  .object({
    branches: z
      .array(z.strictObject({ id: portId, label: z.string().max(200).optional() }))
      .min(2, 'a parallel needs at least two branches')
      .max(10)
      .describe('Branches started at once; each is an exit'),
    ...loopBound,
  })
  .superRefine((config, issue) => {
    for (const d of duplicates(config.branches, (b) => b.id)) {
      issue.addIssue({ code: 'custom', path: ['branches', d.index, 'id'], message: `two branches are called "${d.key}"` });
    }
  });
export type ParallelConfig = z.infer<typeof parallelConfigSchema>;

/** Starts several branches at once; they meet again at one join. */
export const parallelNode = defineNode({
  type: 'parallel',
  typeVersion: 1,
  title: 'Parallel',
  category: 'flow',
  description: 'Run branches at the same time, e.g. the AI drafts an email reply while an agent takes the call.',
  hasInput: true,
  waits: false,
  configSchema: parallelConfigSchema,
  ports: (config) => config.branches.map((b) => ({ id: b.id, label: b.label ?? b.id })),
  loopExitPort: (config) => config.onMaxVisits,
  docs: 'Starts every branch at once. Each branch advances on its own (a parked human step never blocks the others). All branches must meet again at exactly one `join`, which decides when the flow goes on; a branch may not end the contact on its own.',
});
