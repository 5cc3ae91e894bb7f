import { z } from 'zod';
import { celExpression, loopBound, resourceName, seconds, template } from './common';
import { defineNode, type ExpressionSite } from './types';

export const ticketConfigSchema = z.strictObject({
  kind: z.enum(['callback', 'follow_up']).default('follow_up'),
  /** Queue that works the ticket; absent: the flow's default back-office queue. */
  queue: resourceName.optional().describe('Queue that works the ticket; absent: the flow\'s default back-office queue.'),
  subject: template('Ticket subject').refine((s) => s.trim().length > 0, { message: 'the subject is empty' }),
  body: template('Ticket description').optional(),
  priority: celExpression('Priority (CEL int)').default('0'),
  /** When the ticket should be handled by (callbacks: when to call). */
  dueInSeconds: seconds().optional().describe('When the ticket should be handled by (callbacks: when to call).'),
  /** Attach the handoff package (transcript, summary, intent…) so nobody asks again. */
  includeHandoff: z.boolean().default(true).describe('Attach the handoff package (transcript, summary, intent…) so nobody asks again.'),
  /** Tell the customer, e.g. "We'll call you back tomorrow morning" (template). */
  confirmation: template('Message to the customer').optional().describe('Tell the customer, e.g. "We\'ll call you back tomorrow morning" (template).'),
  ...loopBound,
});
export type TicketConfig = z.infer<typeof ticketConfigSchema>;

/** Creates a follow-up or callback ticket. */
export const ticketNode = defineNode({
  type: 'ticket',
  typeVersion: 1,
  title: 'Create ticket',
  category: 'human',
  description: 'Log a follow-up or callback ticket, e.g. after hours or during an overflow.',
  hasInput: true,
  waits: false,
  configSchema: ticketConfigSchema,
  ports: [{ id: 'next', label: 'Next' }],
  loopExitPort: (config) => config.onMaxVisits ?? 'next',
  expressions: (config) => {
    const sites: ExpressionSite[] = [
      { path: ['subject'], source: config.subject, kind: 'template', expect: 'any', describe: 'subject' },
      { path: ['priority'], source: config.priority, kind: 'expression', expect: 'int', describe: 'priority' },
    ];
    if (config.body !== undefined) sites.push({ path: ['body'], source: config.body, kind: 'template', expect: 'any', describe: 'description' });
    if (config.confirmation !== undefined) {
      sites.push({ path: ['confirmation'], source: config.confirmation, kind: 'template', expect: 'any', describe: 'confirmation message' });
    }
    return sites;
  },
  references: (config) => (config.queue === undefined ? [] : [{ kind: 'queue', name: config.queue, path: ['queue'] }]),
  docs: 'Creates a `callback` or `follow_up` ticket (idempotently) with a templated `subject` and `body`, a CEL int `priority`, an optional due time and the handoff package, and optionally confirms it to the customer.',
});
