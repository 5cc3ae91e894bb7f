import { z } from 'zod';
import { loopBound } from './common';
import { defineNode } from './types';

export const classifyConfigSchema = z.strictObject({
  /** What to detect on the latest customer message; results land in `nlu`. */
  detect: z
    .array(z.enum(['intent', 'sentiment', 'topics', 'triggers']))
    .min(1)
    .default(['intent', 'sentiment', 'topics', 'triggers']),
  /** Restrict intent detection to these intents (empty: all the virtual agent knows). */
  intents: z.array(z.string().min(1)).default([]).describe('Restrict intent detection to these intents (empty: all the virtual agent knows).'),
  ...loopBound,
});
export type ClassifyConfig = z.infer<typeof classifyConfigSchema>;

/** Detects intent, sentiment, topics and escalation triggers and writes them to `nlu`. */
export const classifyNode = defineNode({
  type: 'classify',
  typeVersion: 1,
  title: 'Classify',
  category: 'conversation',
  description: 'Detect intent, sentiment, topics and escalation triggers in the customer’s latest message.',
  hasInput: true,
  waits: false,
  configSchema: classifyConfigSchema,
  ports: [{ id: 'next', label: 'Next' }],
  loopExitPort: (config) => config.onMaxVisits ?? 'next',
  docs: 'Runs the virtual agent’s classifiers on the latest customer message (or the contact’s first message) and writes the result to `nlu` (intent, confidence, sentiment, topics, triggers) for the decisions that follow.',
});
