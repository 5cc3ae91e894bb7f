/**
 * The resolver the example flows (`packages/flow/examples/*.json`) compile against. The worker's and the
 * API's tests reuse it, so the queues, activity and calendar names here are the ones they set up.
 *
 * @example
 * ```ts
 * import aiFirst from '@tandem/flow/examples/ai-first-human-backup.json';
 * const result = compileFlow(aiFirst, exampleResolver);
 * ```
 */
import { type Calendar } from './calendar/calendar';
import { createStaticResolver, type FlowResolver, type StaticResolverData } from './resolver';

/** File names (without `.json`) of the example flows, one per collaboration model. */
export const EXAMPLE_FLOWS = ['ai-first-human-backup', 'human-first-ai-assist', 'parallel-ai-and-human', 'after-hours', 'overflow-on-queue-wait'] as const;
export type ExampleFlowName = (typeof EXAMPLE_FLOWS)[number];

/** Business hours of the example support team: weekdays 08:00–20:00 and Saturday mornings in London. */
export const exampleSupportHours: Calendar = {
  timezone: 'Europe/London',
  weekly: {
    mon: [{ open: '08:00', close: '20:00' }],
    tue: [{ open: '08:00', close: '20:00' }],
    wed: [{ open: '08:00', close: '20:00' }],
    thu: [{ open: '08:00', close: '20:00' }],
    fri: [{ open: '08:00', close: '20:00' }],
    sat: [{ open: '09:00', close: '13:00' }],
  },
  holidays: ['2025-12-25', '2025-12-26', '2026-01-01', '2026-12-25', '2026-12-26'],
};

/** What the example resolver knows. */
export const exampleResolverData: StaticResolverData = {
  queues: [
    { name: 'support', skills: ['support', 'orders', 'billing'] },
    { name: 'support-overflow', skills: ['support', 'orders'] },
    { name: 'complaints', skills: ['complaints', 'support'] },
    { name: 'billing', skills: ['billing'] },
    { name: 'billing-overflow', skills: ['billing', 'support'] },
    { name: 'back-office' },
  ],
  activities: [
    {
      name: 'draft_email_reply',
      description: 'Drafts an email reply to the customer from the conversation so far.',
      inputSchema: {
        type: 'object',
        properties: {
          contactId: { type: 'string' },
          intent: { type: 'string' },
          customerEmail: { type: 'string' },
          tone: { type: 'string', enum: ['warm', 'neutral', 'formal'] },
        },
        required: ['contactId', 'customerEmail'],
      },
      outputSchema: { type: 'object', properties: { subject: { type: 'string' }, body: { type: 'string' } }, required: ['subject', 'body'] },
    },
  ],
  calendars: [{ name: 'support-hours', calendar: exampleSupportHours }],
  subflows: [],
};

/** A resolver that knows everything the example flows use. */
export const exampleResolver: FlowResolver = createStaticResolver(exampleResolverData);
