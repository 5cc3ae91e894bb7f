import { z } from 'zod';
import { escapeHatchOptOut, loopBound, seconds, template, variableName } from './common';
import { defineNode } from './types';

export const surveyConfigSchema = z.strictObject({
  kind: z.enum(['csat', 'nps', 'thumbs']).default('csat'),
  question: template('Question').default('How satisfied are you with the help you got today, from 1 to 5?'),
  timeoutSeconds: seconds().default(120),
  /** Flow variable (int) that receives the score: csat 1–5, nps 0–10, thumbs 0/1. */
  saveAs: variableName.optional().describe('Flow variable (int) that receives the score: csat 1–5, nps 0–10, thumbs 0/1.'),
  ...loopBound,
  ...escapeHatchOptOut,
});
export type SurveyConfig = z.infer<typeof surveyConfigSchema>;

/** CSAT / NPS collection. */
export const surveyNode = defineNode({
  type: 'survey',
  typeVersion: 1,
  title: 'Survey',
  category: 'messaging',
  description: 'Ask the customer for a CSAT, NPS or thumbs-up score.',
  hasInput: true,
  waits: true,
  configSchema: surveyConfigSchema,
  ports: [
    { id: 'answered', label: 'Answered' },
    { id: 'skipped', label: 'Skipped' },
  ],
  loopExitPort: (config) => config.onMaxVisits ?? 'skipped',
  expressions: (config) => [{ path: ['question'], source: config.question, kind: 'template', expect: 'any', describe: 'question' }],
  writes: (config) => (config.saveAs === undefined ? [] : [{ variable: config.saveAs, path: ['saveAs'], accepts: ['int', 'double'] }]),
  docs: 'Asks `question` and waits up to `timeoutSeconds` for a score (csat 1–5, nps 0–10, thumbs 0/1). The score is emitted as a feedback event and, with `saveAs`, stored in an int variable.',
});
