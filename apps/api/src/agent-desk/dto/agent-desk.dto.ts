import { channelSchema, handoffPackageSchema, nluSnapshotSchema, transcriptEntrySchema, workItemOutcomeSchema } from '@tandem/contracts';
import { createZodDto } from 'nestjs-zod';
import { assistSchema, handledBySchema } from '../../contacts/dto/contacts.dto';
import { z } from 'zod';

const queueName = z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,62}$/, 'a queue name: lowercase letters, digits, "_", "." or "-" (max 63)');
const agentId = z.string().trim().min(1).max(200);
const reasonTag = z.string().regex(/^[a-z0-9][a-z0-9_.:-]{0,63}$/i, 'a reason tag: letters, digits, "_", ".", ":" or "-" (max 64)');
const iso = z.iso.datetime();
const isoOrNull = z.iso.datetime().nullable();

export const workItemIdParamsSchema = z.strictObject({ workItemId: z.uuid('expected a work item id (a UUID)') });
export class WorkItemIdParamsDto extends createZodDto(workItemIdParamsSchema) {}
export const offerIdParamsSchema = z.strictObject({ offerId: z.uuid('expected an offer id (a UUID)') });
export class OfferIdParamsDto extends createZodDto(offerIdParamsSchema) {}

/** Commands without parameters take an empty object (or no body); unknown fields are still a 400. */
export const emptyBodySchema = z.strictObject({});
export class EmptyBodyDto extends createZodDto(emptyBodySchema) {}

export const agentStatusSchema = z.enum(['available', 'away', 'offline']);
export const setStatusSchema = z.strictObject({ status: agentStatusSchema.describe('available: receives work; away: keeps its work, gets none; offline: gives its work back.') });
export class SetStatusDto extends createZodDto(setStatusSchema) {}

export const claimSchema = z.strictObject({
  queues: z.array(queueName).min(1).max(200).optional().describe('Claim only from these of your queues.'),
  channels: z.array(channelSchema).min(1).max(3).optional().describe('Claim only items of these channels.'),
});
export class ClaimDto extends createZodDto(claimSchema) {}

export const rejectSchema = z.strictObject({ reason: z.string().trim().min(1).max(200).optional() });
export class RejectDto extends createZodDto(rejectSchema) {}

export const agentMessageSchema = z.strictObject({ text: z.string().trim().min(1).max(10_000) });
export class AgentMessageDto extends createZodDto(agentMessageSchema) {}

export const completeSchema = z.strictObject({
  outcome: workItemOutcomeSchema,
  reasonTags: z.array(reasonTag).max(20).default([]).describe('Why the escalation happened, in your team\'s words: tied back to the node and trigger that escalated.'),
  note: z.string().max(4_000).optional(),
});
export class CompleteDto extends createZodDto(completeSchema) {}

const transferTarget = {
  toQueue: queueName.optional(),
  toAgentId: agentId.optional(),
  note: z.string().max(4_000).optional().describe('For whoever gets it next: appended to the item\'s notes.'),
};
const exactlyOne = (t: { toQueue?: string | undefined; toAgentId?: string | undefined }) => (t.toQueue === undefined) !== (t.toAgentId === undefined);
export const transferSchema = z.strictObject(transferTarget).refine(exactlyOne, { message: 'name exactly one of toQueue or toAgentId', path: ['toQueue'] });
export class TransferDto extends createZodDto(transferSchema) {}

export const supervisorTransferSchema = z
  .strictObject({ ...transferTarget, priority: z.number().int().min(0).max(1000).optional().describe('A new base priority.') })
  .refine(exactlyOne, { message: 'name exactly one of toQueue or toAgentId', path: ['toQueue'] });
export class SupervisorTransferDto extends createZodDto(supervisorTransferSchema) {}

// ---- responses

const skillLevels = z.record(z.string(), z.number().int());
const transferNote = z.object({ at: z.string(), by: z.string(), text: z.string(), fromQueue: z.string(), toQueue: z.string(), fromAgentId: z.string().nullable(), toAgentId: z.string().nullable() });

export const workItemSchema = z.object({
  id: z.string(),
  workflowId: z.string(),
  stepId: z.string().describe('The escalate node that created it.'),
  visit: z.number().int(),
  contactId: z.string(),
  queue: z.string(),
  channel: channelSchema,
  priority: z.number().int(),
  requestedSkills: skillLevels,
  requiredSkills: skillLevels,
  handoff: handoffPackageSchema,
  notes: z.array(transferNote),
  status: z.enum(['queued', 'offered', 'assigned', 'wrapping', 'completed', 'transferred', 'abandoned']),
  agentId: z.string().nullable(),
  attempts: z.number().int(),
  outcome: workItemOutcomeSchema.nullable(),
  reasonTags: z.array(z.string()),
  resolutionNote: z.string().nullable(),
  createdAt: iso,
  queuedAt: iso,
  answeredAt: isoOrNull,
  assignedAt: isoOrNull,
  wrappingAt: isoOrNull,
  endedAt: isoOrNull,
  updatedAt: iso,
});
export class WorkItemDto extends createZodDto(workItemSchema) {}

export const offerSchema = z.object({
  id: z.string(),
  workItemId: z.string(),
  agentId: z.string(),
  status: z.enum(['pending', 'accepted', 'rejected', 'expired', 'revoked']),
  offeredAt: iso,
  expiresAt: iso,
  respondedAt: isoOrNull,
  reason: z.string().nullable(),
});
export const pendingOfferSchema = z.object({ offer: offerSchema, workItem: workItemSchema });
export class PendingOfferDto extends createZodDto(pendingOfferSchema) {}

export const agentSchema = z.object({
  id: z.string(),
  displayName: z.string(),
  skills: skillLevels,
  capacity: z.record(z.string(), z.number().int()).describe('Concurrent items per channel.'),
  load: z.record(z.string(), z.number().int()).describe('Items held per channel now.'),
  queues: z.array(z.string()),
  status: agentStatusSchema,
  statusChangedAt: iso,
  lastIdleSince: isoOrNull,
  createdAt: iso,
  updatedAt: iso,
});
export class AgentDto extends createZodDto(agentSchema) {}

export const statusChangeSchema = z.object({ agent: agentSchema, released: z.array(workItemSchema).describe('Items given back to their queues by this change.') });
export class StatusChangeDto extends createZodDto(statusChangeSchema) {}

export const claimResultSchema = z.object({ workItem: workItemSchema.nullable().describe('null: nothing you may take right now.') });
export class ClaimResultDto extends createZodDto(claimResultSchema) {}

export const workItemDetailSchema = z.object({
  workItem: workItemSchema,
  handoff: handoffPackageSchema,
  contact: z
    .object({
      handledBy: handledBySchema,
      steps: z.array(z.string()),
      outcome: z.string().nullable(),
      transcript: z.array(transcriptEntrySchema).describe('The live conversation, including what was said since the handoff.'),
      nlu: nluSnapshotSchema,
      assist: assistSchema
        .nullable()
        .describe('AI-assist suggestions for this escalation, refreshed on each customer message.'),
    })
    .nullable(),
  liveError: z.string().optional(),
});
export class WorkItemDetailDto extends createZodDto(workItemDetailSchema) {}

export const messageSentSchema = z.object({ workItemId: z.string(), sent: z.literal(true) });
export class MessageSentDto extends createZodDto(messageSentSchema) {}
