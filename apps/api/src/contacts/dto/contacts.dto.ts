import { channelSchema, customerSchema, transcriptEntrySchema, contactOutcomeSchema, handoffPackageSchema, nluSnapshotSchema } from '@tandem/contracts';
import { nodeIdSchema } from '@tandem/flow';
import { MAX_CUSTOMER_MESSAGE_LENGTH } from '@tandem/workflow-contract';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

const MAX_INT = 2_147_483_647;

/** Contact ids: what integrations may choose (their own conversation id, say) and UUIDs. */
export const contactIdSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/, 'letters, digits, "_", ".", ":" or "-" (max 128), starting with a letter or digit');

export const contactParamsSchema = z.strictObject({ contactId: contactIdSchema });
export class ContactParamsDto extends createZodDto(contactParamsSchema) {}

export const startContactSchema = z
  .strictObject({
    flowId: nodeIdSchema.describe('The flow to run.'),
    version: z.number().int().min(1).max(MAX_INT).optional().describe('Pin a published version (default: the newest published version).'),
    draft: z.boolean().optional().describe('Run the current draft instead (designers simulating; the contact reports version 0).'),
    channel: channelSchema,
    customer: customerSchema,
    attributes: z.record(z.string(), z.unknown()).optional().describe('Channel or CRM context, readable in flows as `contact.attributes`.'),
    firstMessage: z.string().trim().min(1).max(MAX_CUSTOMER_MESSAGE_LENGTH).optional().describe('The message that opened the contact (chat, email).'),
    contactId: contactIdSchema.optional().describe('Your id for the contact (default: a new UUID). Starting an id that exists starts nothing and answers 200 with created: false.'),
  })
  .refine((b) => !(b.draft && b.version !== undefined), { message: 'give either draft or version, not both', path: ['version'] });
export class StartContactDto extends createZodDto(startContactSchema) {}

export const startedContactSchema = z.object({
  contactId: z.string(),
  workflowId: z.string(),
  flowId: z.string(),
  flowVersion: z.number().int().describe('0 for a draft.'),
  created: z.boolean().describe('false: the contact existed already (idempotent retry).'),
});
export class StartedContactDto extends createZodDto(startedContactSchema) {}

export const customerMessageSchema = z.strictObject({
  text: z.string().trim().min(1).max(MAX_CUSTOMER_MESSAGE_LENGTH),
  messageId: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')
    .optional()
    .describe('Your id of the message: sending it again returns the first answer instead of recording it twice.'),
});
export class CustomerMessageDto extends createZodDto(customerMessageSchema) {}

export const handledBySchema = z.enum(['bot', 'queue', 'human', 'flow', 'ended']).describe('Who has the contact now: the bot, the queue (waiting for an agent), a human agent, the flow itself, or nobody (ended).');
const outbound = z.object({ from: z.enum(['bot', 'agent', 'system']), text: z.string(), nodeId: z.string().optional(), articleId: z.string().optional() });

/** What AI assist suggests to the agent of an escalation (refreshed on each customer message). */
export const assistSchema = z.object({
  basedOnMessage: z.number().int(),
  articles: z.array(z.object({ id: z.string(), title: z.string(), score: z.number() })),
  draftReply: z.string().nullable(),
  complianceFlags: z.array(z.object({ kind: z.string(), message: z.string() })),
});

export const messageReplySchema = z.object({
  handledBy: handledBySchema,
  messages: z.array(outbound).describe('What the flow answered to this message, in order.'),
  steps: z.array(z.string()).describe('The nodes the contact is at after the message.'),
});
export class MessageReplyDto extends createZodDto(messageReplySchema) {}

const contactStatus = z.enum(['running', 'completed', 'failed', 'cancelled', 'terminated', 'continued_as_new', 'timed_out', 'unknown']);

export const contactStateSchema = z.object({
  contactId: z.string(),
  workflowId: z.string(),
  status: contactStatus,
  draft: z.boolean(),
  flowId: z.string(),
  flowVersion: z.number().int(),
  planHash: z.string(),
  startedAt: z.iso.datetime(),
  closedAt: z.iso.datetime().nullable(),
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
  continuedAsNew: z.number().int(),
});
export class ContactStateDto extends createZodDto(contactStateSchema) {}

export const transcriptSchema = z.object({ contactId: z.string(), transcript: z.array(transcriptEntrySchema), outcome: contactOutcomeSchema.nullable() });
export class TranscriptDto extends createZodDto(transcriptSchema) {}

export const cancelContactSchema = z.strictObject({
  reason: z.enum(['customer_left', 'operator']).default('operator'),
  note: z.string().max(2_000).optional(),
});
export class CancelContactDto extends createZodDto(cancelContactSchema) {}
export const cancelledSchema = z.object({ contactId: z.string(), status: z.literal('cancelling') });
export class CancelledDto extends createZodDto(cancelledSchema) {}

export const csatSchema = z.strictObject({ score: z.number().int().min(1).max(5).describe('1 (very dissatisfied) … 5 (very satisfied).') });
export class CsatDto extends createZodDto(csatSchema) {}
export const csatRecordedSchema = z.object({ contactId: z.string(), eventId: z.string(), nodeId: z.string().describe('The node the score is attributed to.'), score: z.number().int() });
export class CsatRecordedDto extends createZodDto(csatRecordedSchema) {}

export const listContactsQuerySchema = z.strictObject({
  flowId: nodeIdSchema.optional(),
  version: z.coerce.number().int().min(0).max(MAX_INT).optional().describe('0: draft simulations.'),
  channel: channelSchema.optional(),
  step: nodeIdSchema.optional().describe('The node the contact is at (or ended at).'),
  queue: z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,62}$/, 'a queue name').optional(),
  outcome: contactOutcomeSchema.optional(),
  // `unknown` describes a status this API cannot name; Temporal's visibility cannot filter on it.
  status: contactStatus.exclude(['unknown']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  pageToken: z.string().min(1).max(4_000).regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, 'a nextPageToken from a previous page').optional(),
});
export class ListContactsQueryDto extends createZodDto(listContactsQuerySchema) {}

export const contactSummarySchema = z.object({
  contactId: z.string(),
  workflowId: z.string(),
  flowId: z.string().nullable(),
  flowVersion: z.number().int().nullable(),
  channel: z.string().nullable(),
  step: z.string().nullable(),
  queue: z.string().nullable(),
  outcome: z.string().nullable(),
  status: contactStatus,
  startedAt: z.iso.datetime(),
  closedAt: z.iso.datetime().nullable(),
});
export const contactListSchema = z.object({ items: z.array(contactSummarySchema), nextPageToken: z.string().nullable() });
export class ContactListDto extends createZodDto(contactListSchema) {}
