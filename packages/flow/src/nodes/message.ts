import { z } from 'zod';
import { loopBound, template } from './common';
import { defineNode } from './types';

export const messageConfigSchema = z.strictObject({
  /** Template: CEL inside `{{ }}`, e.g. `Thanks {{customer.name}}!`. */
  text: template('Message text').refine((t) => t.trim().length > 0, { message: 'the message is empty' }).describe('Template: CEL inside `{{ }}`, e.g. `Thanks {{customer.name}}!`.'),
  ...loopBound,
});
export type MessageConfig = z.infer<typeof messageConfigSchema>;

/** Sends a templated message on the contact's channel. */
export const messageNode = defineNode({
  type: 'message',
  typeVersion: 1,
  title: 'Send message',
  category: 'messaging',
  description: 'Send a message to the customer on their channel.',
  hasInput: true,
  waits: false,
  configSchema: messageConfigSchema,
  ports: [{ id: 'next', label: 'Next' }],
  loopExitPort: (config) => config.onMaxVisits ?? 'next',
  expressions: (config) => [{ path: ['text'], source: config.text, kind: 'template', expect: 'any', describe: 'message text' }],
  docs: 'Renders `text` (CEL inside `{{ }}`) and sends it on the contact’s channel; it is added to the transcript.',
});
