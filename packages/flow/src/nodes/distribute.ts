import { z } from 'zod';
import { duplicates, loopBound, portId } from './common';
import { defineNode } from './types';

export const distributeBranchSchema = z.strictObject({
  /** Becomes the exit's id; keep it stable, edges and metrics refer to it. */
  id: portId.describe('Becomes the exit\'s id; keep it stable, edges and metrics refer to it.'),
  label: z.string().max(200).optional(),
  /** Share of contacts sent this way, in percent. */
  percent: z.number().int().min(1, 'at least 1 %').max(99, 'at most 99 %: a branch that takes everything is not a split').describe('Share of contacts sent this way, in percent.'),
});

export const distributeConfigSchema = z
  .object({
    branches: z.array(distributeBranchSchema).min(2, 'split between at least two branches').max(10).describe('The branches and their shares; the shares add up to 100'),
    /**
     * What keeps a choice stable: `customer` (the same customer always takes the same branch, across
     * contacts — what an experiment wants) or `contact` (each contact drawn on its own).
     */
    by: z.enum(['customer', 'contact']).default('customer').describe('customer: the same customer always takes the same branch; contact: each contact is drawn on its own.'),
    ...loopBound,
  })
  .superRefine((config, issue) => {
    for (const d of duplicates(config.branches, (b) => b.id)) {
      issue.addIssue({ code: 'custom', path: ['branches', d.index, 'id'], message: `two branches are called "${d.key}"` });
    }
    const total = config.branches.reduce((sum, b) => sum + b.percent, 0);
    if (total !== 100) issue.addIssue({ code: 'custom', path: ['branches'], message: `the shares add up to ${total} %; make them add up to 100 %` });
  });
export type DistributeConfig = z.infer<typeof distributeConfigSchema>;

/** Sends a share of contacts down each branch: A/B tests and gradual roll-outs. */
export const distributeNode = defineNode({
  type: 'distribute',
  typeVersion: 1,
  title: 'Split by percentage',
  category: 'logic',
  description: 'Send a share of contacts down each branch, e.g. 10 % to a new bot while the rest keep the current one.',
  hasInput: true,
  waits: false,
  configSchema: distributeConfigSchema,
  ports: (config) => config.branches.map((b) => ({ id: b.id, label: b.label ?? `${b.id} (${b.percent} %)` })),
  loopExitPort: (config) => config.onMaxVisits ?? config.branches[0]?.id,
  docs: 'Sends each contact down one branch, in the shares given by `percent` (they add up to 100). The choice is a hash of the customer id (`by: customer`, the default: a returning customer takes the same branch, as an experiment needs) or of the contact id (`by: contact`) together with the flow and the node — no randomness, so it is the same on every replay. Exits are counted per branch in the designer\'s metrics.',
});
