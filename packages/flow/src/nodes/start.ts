import { channelSchema } from '@tandem/contracts';
import { z } from 'zod';
import { defineNode } from './types';

export const startConfigSchema = z.strictObject({
  /** Channels this entry accepts; empty means every channel the flow declares. */
  channels: z.array(channelSchema).default([]).describe('Channels this entry accepts (empty: all of the flow’s channels)'),
});
export type StartConfig = z.infer<typeof startConfigSchema>;

/** Where every contact enters the flow. Exactly one per flow. */
export const startNode = defineNode({
  type: 'start',
  typeVersion: 1,
  title: 'Start',
  category: 'flow',
  description: 'Where a contact enters the flow.',
  hasInput: false,
  waits: false,
  configSchema: startConfigSchema,
  ports: [{ id: 'next', label: 'Next' }],
  loopExitPort: () => undefined,
  docs: 'Every flow has exactly one start. Nothing may connect into it. `channels` narrows the channels the flow declares (empty: all of them).',
});
