import { z } from 'zod';
import { calendarRefSchema } from '../calendar/calendar';
import { escapeHatchOptOut, loopBound, seconds, template, variableName } from './common';
import { defineNode, type ExpressionSite, type PortSpec } from './types';

export const waitConfigSchema = z
  .discriminatedUnion('mode', [
    z.strictObject({
      /** Wait for the customer's next message. */
      mode: z.literal('reply').describe('Wait for the customer\'s next message.'),
      /** Asked before waiting (template). */
      prompt: template('Question asked before waiting').optional().describe('Asked before waiting (template).'),
      timeoutSeconds: seconds().default(300),
      /** Flow variable (string) that receives the reply text. */
      saveReplyAs: variableName.optional().describe('Flow variable (string) that receives the reply text.'),
      ...loopBound,
      ...escapeHatchOptOut,
    }),
    z.strictObject({
      /** Wait a fixed time. */
      mode: z.literal('timer').describe('Wait a fixed time.'),
      timeoutSeconds: seconds(),
      ...loopBound,
    }),
    z.strictObject({
      /** Durable wait until a calendar opens (after-hours deferred re-routing). */
      mode: z.literal('until_open').describe('Durable wait until a calendar opens (after-hours deferred re-routing).'),
      calendar: calendarRefSchema.describe('A named calendar, or hours written here'),
      /** Give up after this long (`timeout` exit); absent: wait however long it takes. */
      maxWaitSeconds: seconds().optional().describe('Give up after this long (`timeout` exit); absent: wait however long it takes.'),
      ...loopBound,
    }),
  ])
  .superRefine((config, issue) => {
    if (config.mode === 'until_open' && config.calendar.kind === 'inline' && Object.values(config.calendar.calendar.weekly).every((d) => !d?.length)) {
      issue.addIssue({ code: 'custom', path: ['calendar', 'calendar', 'weekly'], message: 'the calendar never opens: add opening hours' });
    }
  });
export type WaitConfig = z.infer<typeof waitConfigSchema>;

/** Waits for the customer, a timer, or opening hours. */
export const waitNode = defineNode({
  type: 'wait',
  typeVersion: 1,
  title: 'Wait',
  category: 'conversation',
  description: 'Wait for the customer’s reply, for a while, or until opening hours.',
  hasInput: true,
  waits: true,
  configSchema: waitConfigSchema,
  ports: (config): PortSpec[] => {
    switch (config.mode) {
      case 'reply':
        return [
          { id: 'reply', label: 'Replied' },
          { id: 'timeout', label: 'No reply' },
        ];
      case 'timer':
        return [{ id: 'timeout', label: 'Time elapsed' }];
      case 'until_open':
        return config.maxWaitSeconds === undefined
          ? [{ id: 'open', label: 'Open' }]
          : [
              { id: 'open', label: 'Open' },
              { id: 'timeout', label: 'Gave up' },
            ];
    }
  },
  loopExitPort: (config) => config.onMaxVisits ?? (config.mode === 'until_open' ? 'open' : 'timeout'),
  expressions: (config): ExpressionSite[] =>
    config.mode === 'reply' && config.prompt !== undefined
      ? [{ path: ['prompt'], source: config.prompt, kind: 'template', expect: 'any', describe: 'prompt' }]
      : [],
  references: (config) =>
    config.mode === 'until_open' && config.calendar.kind === 'named' ? [{ kind: 'calendar', name: config.calendar.name, path: ['calendar', 'name'] }] : [],
  writes: (config) =>
    config.mode === 'reply' && config.saveReplyAs !== undefined ? [{ variable: config.saveReplyAs, path: ['saveReplyAs'], accepts: ['string'] }] : [],
  docs: `Three modes, each a durable wait on workflow time:

- \`reply\`: optionally sends \`prompt\`, then waits up to \`timeoutSeconds\` for the customer’s next message
  (exits \`reply\` / \`timeout\`); \`saveReplyAs\` stores the text in a string variable;
- \`timer\`: waits \`timeoutSeconds\` (exit \`timeout\`);
- \`until_open\`: waits until \`calendar\` opens (exit \`open\`, immediately when it is open), at most
  \`maxWaitSeconds\` when given (exit \`timeout\`).`,
});
