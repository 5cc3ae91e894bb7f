import { channelSchema, contactOutcomeSchema, customerSchema, escalationTriggerSchema, handoffPackageSchema, nluSnapshotSchema, transcriptEntrySchema } from '@tandem/contracts';
import { nodeIdSchema } from '@tandem/flow';
import type { HandledBy, MAX_CUSTOMER_MESSAGE_LENGTH } from '@tandem/workflow-contract';
import { z } from 'zod';
import { isoDateTime, MAX_INT, queueNameSchema } from './common';
import type { Assert, Same } from './same-type';

export type { HandledBy } from '@tandem/workflow-contract';

/**
 * The longest customer message, in characters: the workflow contract's limit (its type is the
 * literal, so this does not compile if the two ever differ — and the browser does not load Temporal).
 */
export const maxCustomerMessageLength: typeof MAX_CUSTOMER_MESSAGE_LENGTH = 10_000;

const TOO_LONG = `longer than the ${maxCustomerMessageLength} characters a message may have`;

/**
 * The text of a message, at every entry point that takes one (a customer's message, the first message
 * of a contact, an agent's message): trimmed, not empty, at most {@link maxCustomerMessageLength}
 * characters — counted as the workflow counts them, in UTF-16 code units (an emoji outside the Basic
 * Multilingual Plane counts two), so nothing the API accepts is refused later by the contact. zod's
 * own `max` (the document's `maxLength`) counts code points, which lets 5,001 emoji (10,002 units)
 * through: the second check holds the line the workflow holds. A text over the limit is a 400
 * `message_too_long` (see {@link isMessageTooLong}), not a generic validation failure.
 */
export const messageTextSchema = z
  .string()
  .trim()
  .min(1, 'the message is empty (or only whitespace)')
  .max(maxCustomerMessageLength, { error: TOO_LONG, abort: true })
  .refine((text) => text.length <= maxCustomerMessageLength, { error: TOO_LONG, params: { code: 'message_too_long' } });

/** Whether a validation issue is a message text over {@link maxCustomerMessageLength} (the API answers `message_too_long`). */
export function isMessageTooLong(issue: z.core.$ZodIssue): boolean {
  if (issue.code === 'too_big') return issue.origin === 'string' && Number(issue.maximum) === maxCustomerMessageLength;
  return issue.code === 'custom' && (issue.params as { code?: unknown } | undefined)?.code === 'message_too_long';
}

// ---- requests

/** Contact ids: what integrations may choose (their own conversation id, say) and UUIDs. */
export const contactIdSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/, 'letters, digits, "_", ".", ":" or "-" (max 128), starting with a letter or digit');

export const contactParamsSchema = z.strictObject({ contactId: contactIdSchema });

/** `POST /v1/contacts`. */
export const startContactSchema = z
  .strictObject({
    flowId: nodeIdSchema.describe('The flow to run.'),
    version: z.number().int().min(1).max(MAX_INT).optional().describe('Pin a published version (default: the newest published version).'),
    draft: z.boolean().optional().describe('Run the current draft instead (designers simulating; the contact reports version 0).'),
    channel: channelSchema,
    customer: customerSchema,
    attributes: z.record(z.string(), z.unknown()).optional().describe('Channel or CRM context, readable in flows as `contact.attributes`.'),
    firstMessage: messageTextSchema
      .optional()
      .describe(`The message that opened the contact (chat, email): at most ${maxCustomerMessageLength} characters (UTF-16 code units, after trimming; longer is a 400 \`message_too_long\`).`),
    contactId: contactIdSchema.optional().describe('Your id for the contact (default: a new UUID). Starting an id that exists starts nothing and answers 200 with created: false.'),
  })
  .refine((b) => !(b.draft && b.version !== undefined), { message: 'give either draft or version, not both', path: ['version'] });
export type StartContactRequest = z.input<typeof startContactSchema>;

/** `POST /v1/contacts/:contactId/messages`: the customer's message. */
export const customerMessageSchema = z.strictObject({
  text: messageTextSchema.describe(`At most ${maxCustomerMessageLength} characters (UTF-16 code units, after trimming); longer is a 400 \`message_too_long\`.`),
  messageId: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')
    .optional()
    .describe('Your id of the message: sending it again returns the first answer instead of recording it twice.'),
});
export type CustomerMessageRequest = z.input<typeof customerMessageSchema>;

/** `POST /v1/contacts/:contactId/cancel`. */
export const cancelContactSchema = z.strictObject({
  reason: z.enum(['customer_left', 'operator']).default('operator'),
  note: z.string().max(2_000).optional(),
});

/** `POST /v1/contacts/:contactId/csat`. */
export const csatSchema = z.strictObject({ score: z.number().int().min(1).max(5).describe('1 (very dissatisfied) … 5 (very satisfied).') });

/** A contact's workflow status, as Temporal reports it (lower case). */
export const contactStatusSchema = z.enum(['running', 'completed', 'failed', 'cancelled', 'terminated', 'continued_as_new', 'timed_out', 'unknown']);
export type ContactStatus = z.output<typeof contactStatusSchema>;

export const listContactsQuerySchema = z.strictObject({
  flowId: nodeIdSchema.optional(),
  version: z.coerce.number().int().min(0).max(MAX_INT).optional().describe('0: draft simulations.'),
  channel: channelSchema.optional(),
  step: nodeIdSchema.optional().describe('The node the contact is at (or ended at).'),
  queue: queueNameSchema.optional(),
  outcome: contactOutcomeSchema.optional(),
  // `unknown` describes a status this API cannot name; Temporal's visibility cannot filter on it.
  status: contactStatusSchema.exclude(['unknown']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  pageToken: z.string().min(1).max(4_000).regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, 'a nextPageToken from a previous page').optional(),
});

// ---- responses

/** Who has the contact now (the workflow contract's `HandledBy`). */
export const handledBySchema = z
  .enum(['bot', 'queue', 'human', 'flow', 'ended'])
  .describe('Who has the contact now: the bot, the queue (waiting for an agent), a human agent, the flow itself, or nobody (ended).');
type _HandledByIsTheWorkflows = Assert<Same<z.output<typeof handledBySchema>, HandledBy>>;

const outboundMessage = z.object({ from: z.enum(['bot', 'agent', 'system']), text: z.string(), nodeId: z.string().optional(), articleId: z.string().optional() });

/** What AI assist suggests to the agent of an escalation (refreshed on each customer message). */
export const assistSchema = z.object({
  basedOnMessage: z.number().int(),
  articles: z.array(z.object({ id: z.string(), title: z.string(), score: z.number() })),
  draftReply: z.string().nullable(),
  complianceFlags: z.array(z.object({ kind: z.string(), message: z.string() })),
});

/** `POST /v1/contacts`: a started (or already existing) contact. */
export const startedContactSchema = z.object({
  contactId: z.string(),
  workflowId: z.string(),
  flowId: z.string(),
  flowVersion: z.number().int().describe('The published version it runs; 0 for a draft.'),
  created: z.boolean().describe('false: the contact existed already (idempotent retry); nothing was started.'),
});
export type StartedContact = z.output<typeof startedContactSchema>;

/** `POST /v1/contacts/:contactId/messages`: what the flow answered, and where the contact is now. */
export const messageReplySchema = z.object({
  handledBy: handledBySchema,
  messages: z.array(outboundMessage).describe('What the flow answered to this message, in order.'),
  steps: z.array(z.string()).describe('The nodes the contact is at after the message.'),
});
export type MessageReply = z.output<typeof messageReplySchema>;

/** `GET /v1/contacts/:contactId`: the workflow's `state` query, with where and when it runs. */
export const contactStateSchema = z.object({
  contactId: z.string(),
  workflowId: z.string(),
  status: contactStatusSchema,
  draft: z.boolean().describe("A designer's simulation of a draft (flowVersion 0)."),
  flowId: z.string(),
  flowVersion: z.number().int(),
  planHash: z.string(),
  startedAt: isoDateTime,
  closedAt: isoDateTime.nullable(),
  steps: z.array(z.string()).describe('The nodes the contact is at now (several inside a parallel).'),
  path: z.array(z.string()).describe('Every node the contact entered, in order (a node repeats per visit).'),
  handledBy: handledBySchema,
  outcome: contactOutcomeSchema.nullable(),
  channel: channelSchema,
  customer: customerSchema,
  ctx: z.record(z.string(), z.unknown()).describe('The flow variables.'),
  nlu: nluSnapshotSchema,
  transcript: z.array(transcriptEntrySchema),
  handoff: handoffPackageSchema.nullable(),
  workItem: z.object({ id: z.string(), nodeId: z.string(), queue: z.string(), visit: z.number().int(), agentId: z.string().optional() }).nullable(),
  assist: assistSchema.nullable(),
  escalationCause: z
    .object({ trigger: escalationTriggerSchema, nodeId: z.string(), rule: z.object({ id: z.string(), label: z.string().optional() }).optional() })
    .nullable()
    .optional()
    .describe('Why the contact is heading to a person, as the step that sent it decided (consumed when it reaches the escalation); null or absent otherwise.'),
  awaiting: z
    .boolean()
    .optional()
    .describe('The contact has answered and waits (for the customer, an agent or a timer), no customer message unread: what it said so far is all it says until something happens. False while it works and once it has ended; absent from workers older than the field.'),
  continuedAsNew: z.number().int(),
});
export type ContactView = z.output<typeof contactStateSchema>;

/** `GET /v1/contacts/:contactId/transcript`. */
export const transcriptSchema = z.object({ contactId: z.string(), transcript: z.array(transcriptEntrySchema), outcome: contactOutcomeSchema.nullable() });
export type TranscriptView = z.output<typeof transcriptSchema>;

export const cancelledSchema = z.object({ contactId: z.string(), status: z.literal('cancelling') });
export type Cancelled = z.output<typeof cancelledSchema>;

export const csatRecordedSchema = z.object({ contactId: z.string(), eventId: z.string(), nodeId: z.string().describe('The node the score is attributed to.'), score: z.number().int() });
export type CsatRecorded = z.output<typeof csatRecordedSchema>;

/** One row of `GET /v1/contacts`: what visibility knows, no query to the worker. */
export const contactSummarySchema = z.object({
  contactId: z.string(),
  workflowId: z.string(),
  flowId: z.string().nullable(),
  flowVersion: z.number().int().nullable(),
  channel: z.string().nullable(),
  step: z.string().nullable(),
  queue: z.string().nullable(),
  outcome: z.string().nullable(),
  status: contactStatusSchema,
  startedAt: isoDateTime,
  closedAt: isoDateTime.nullable(),
});
export type ContactSummary = z.output<typeof contactSummarySchema>;
export const contactListSchema = z.object({ items: z.array(contactSummarySchema), nextPageToken: z.string().nullable() });
export type ContactList = z.output<typeof contactListSchema>;
