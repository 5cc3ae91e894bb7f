import { channelSchema, complianceFlagSchema, handoffPackageSchema, nluSnapshotSchema, transcriptEntrySchema, workItemOutcomeSchema } from '@tandem/contracts';
import type { AgentStatus, OfferStatus, WorkItemStatus } from '@tandem/routing';
import { z } from 'zod';
import { errorBodySchema, isoDateTime, queueNameSchema, skillLevelsSchema } from './common';
import { assistSchema, handledBySchema, maxCustomerMessageLength, messageTextSchema } from './contacts';
import type { Assert, Same } from './same-type';

/** Routing's agent statuses. */
export const agentStatusSchema = z.enum(['available', 'away', 'offline']);
type _AgentStatusIsRoutings = Assert<Same<z.output<typeof agentStatusSchema>, AgentStatus>>;

/** Routing's work-item statuses. */
export const workItemStatusSchema = z.enum(['queued', 'offered', 'assigned', 'wrapping', 'completed', 'transferred', 'abandoned']);
type _WorkItemStatusIsRoutings = Assert<Same<z.output<typeof workItemStatusSchema>, WorkItemStatus>>;

const offerStatusSchema = z.enum(['pending', 'accepted', 'rejected', 'expired', 'revoked']);
type _OfferStatusIsRoutings = Assert<Same<z.output<typeof offerStatusSchema>, OfferStatus>>;

// ---- requests

const agentId = z.string().trim().min(1).max(200);
const reasonTag = z.string().regex(/^[a-z0-9][a-z0-9_.:-]{0,63}$/i, 'a reason tag: letters, digits, "_", ".", ":" or "-" (max 64)');

export const workItemIdParamsSchema = z.strictObject({ workItemId: z.uuid('expected a work item id (a UUID)') });
export const offerIdParamsSchema = z.strictObject({ offerId: z.uuid('expected an offer id (a UUID)') });

/** `PUT /v1/agent/status`. */
export const setStatusSchema = z.strictObject({ status: agentStatusSchema.describe('available: receives work; away: keeps its work, gets none; offline: gives its work back.') });

/** `POST /v1/agent/claim`. */
export const claimSchema = z.strictObject({
  queues: z.array(queueNameSchema).min(1).max(200).optional().describe('Claim only from these of your queues.'),
  channels: z.array(channelSchema).min(1).max(3).optional().describe('Claim only items of these channels.'),
});

/** `POST /v1/agent/offers/:offerId/reject`. */
export const rejectSchema = z.strictObject({ reason: z.string().trim().min(1).max(200).optional() });

/** `POST /v1/agent/work-items/:workItemId/messages`. */
export const agentMessageSchema = z.strictObject({
  text: messageTextSchema.describe(
    `At most ${maxCustomerMessageLength} characters (UTF-16 code units, after trimming; longer is a 400 \`message_too_long\`); checked for compliance before it is sent.`,
  ),
});

/** `POST /v1/agent/work-items/:workItemId/complete`. */
export const completeSchema = z.strictObject({
  outcome: workItemOutcomeSchema,
  reasonTags: z.array(reasonTag).max(20).default([]).describe("Why the escalation happened, in your team's words: tied back to the node and trigger that escalated."),
  note: z.string().max(4_000).optional(),
});

const transferTarget = {
  toQueue: queueNameSchema.optional(),
  toAgentId: agentId.optional(),
  note: z.string().max(4_000).optional().describe("For whoever gets it next: appended to the item's notes."),
};
const exactlyOne = (t: { toQueue?: string | undefined; toAgentId?: string | undefined }) => (t.toQueue === undefined) !== (t.toAgentId === undefined);

/** `POST /v1/agent/work-items/:workItemId/transfer`. */
export const transferSchema = z.strictObject(transferTarget).refine(exactlyOne, { message: 'name exactly one of toQueue or toAgentId', path: ['toQueue'] });

/** `POST /v1/supervisor/work-items/:workItemId/transfer`. */
export const supervisorTransferSchema = z
  .strictObject({ ...transferTarget, priority: z.number().int().min(0).max(1000).optional().describe('A new base priority.') })
  .refine(exactlyOne, { message: 'name exactly one of toQueue or toAgentId', path: ['toQueue'] });

// ---- responses

const transferNote = z.object({ at: z.string(), by: z.string(), text: z.string(), fromQueue: z.string(), toQueue: z.string(), fromAgentId: z.string().nullable(), toAgentId: z.string().nullable() });

/** A work item as the API shows it (routing's `WorkItem`, dates as ISO strings). */
export const workItemSchema = z.object({
  id: z.string(),
  workflowId: z.string(),
  stepId: z.string().describe('The escalate node that created it.'),
  visit: z.number().int(),
  contactId: z.string(),
  queue: z.string(),
  channel: channelSchema,
  priority: z.number().int(),
  requestedSkills: skillLevelsSchema,
  requiredSkills: skillLevelsSchema,
  handoff: handoffPackageSchema,
  notes: z.array(transferNote),
  status: workItemStatusSchema,
  agentId: z.string().nullable(),
  attempts: z.number().int(),
  outcome: workItemOutcomeSchema.nullable(),
  reasonTags: z.array(z.string()),
  resolutionNote: z.string().nullable(),
  createdAt: isoDateTime,
  queuedAt: isoDateTime,
  answeredAt: isoDateTime.nullable(),
  assignedAt: isoDateTime.nullable(),
  wrappingAt: isoDateTime.nullable(),
  endedAt: isoDateTime.nullable(),
  updatedAt: isoDateTime,
});
export type WorkItemView = z.output<typeof workItemSchema>;

/** An offer of a push queue's item to one agent. */
export const offerSchema = z.object({
  id: z.string(),
  workItemId: z.string(),
  agentId: z.string(),
  status: offerStatusSchema,
  offeredAt: isoDateTime,
  expiresAt: isoDateTime,
  respondedAt: isoDateTime.nullable(),
  reason: z.string().nullable(),
});
export type OfferView = z.output<typeof offerSchema>;

/** `GET /v1/agent/offers` (and the offers stream's `offer` events). */
export const pendingOfferSchema = z.object({ offer: offerSchema, workItem: workItemSchema });
export type PendingOfferView = z.output<typeof pendingOfferSchema>;

/** An agent as routing knows it. */
export const agentSchema = z.object({
  id: z.string(),
  displayName: z.string(),
  skills: skillLevelsSchema,
  capacity: z.record(z.string(), z.number().int()).describe('Concurrent items per channel.'),
  load: z.record(z.string(), z.number().int()).describe('Items held per channel now.'),
  queues: z.array(z.string()),
  status: agentStatusSchema,
  statusChangedAt: isoDateTime,
  lastIdleSince: isoDateTime.nullable(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});
export type AgentView = z.output<typeof agentSchema>;

/** `PUT /v1/agent/status`, `POST /v1/agent/release`. */
export const statusChangeSchema = z.object({ agent: agentSchema, released: z.array(workItemSchema).describe('Items given back to their queues by this change.') });
export type StatusChange = z.output<typeof statusChangeSchema>;

/** `POST /v1/agent/claim`. */
export const claimResultSchema = z.object({ workItem: workItemSchema.nullable().describe('null: nothing you may take right now.') });
export type ClaimResult = z.output<typeof claimResultSchema>;

/** What an agent sees of the contact behind a work item, live from the contact's workflow. */
export const liveContactSchema = z.object({
  handledBy: handledBySchema,
  steps: z.array(z.string()),
  outcome: z.string().nullable(),
  transcript: z.array(transcriptEntrySchema).describe('The live conversation, including what was said since the handoff.'),
  nlu: nluSnapshotSchema,
  assist: assistSchema.nullable().describe('AI-assist suggestions for this escalation, refreshed on each customer message.'),
});
export type LiveContact = z.output<typeof liveContactSchema>;

/** `GET /v1/agent/work-items/:workItemId`: the item, its handoff package, and the live conversation. */
export const workItemDetailSchema = z.object({
  workItem: workItemSchema,
  handoff: handoffPackageSchema.describe('Everything the agent needs to take over without asking the customer to repeat themselves.'),
  contact: liveContactSchema.nullable().describe("Null when the contact's workflow did not answer in time (`liveError` says why)."),
  liveError: z.string().optional(),
});
export type WorkItemDetail = z.output<typeof workItemDetailSchema>;

/**
 * What the compliance check before sending found in an agent's message: a `block` finding (a payment
 * card number, a full IBAN) refuses the message, a `warn` finding (an account number written out, a
 * required disclosure not made yet) lets it go out flagged.
 */
export const complianceFindingSchema = complianceFlagSchema.extend({
  kind: z.string().describe('`card_number`, `iban`, `account_number`, `missing_disclosure`, …'),
  evidence: z.string().optional().describe('The offending text, masked (`4111 **** 1111`); absent for a missing disclosure.'),
  disclosureId: z.string().optional().describe('For `missing_disclosure`: which required disclosure.'),
});
export type ComplianceFinding = z.output<typeof complianceFindingSchema>;

/** `POST /v1/agent/work-items/:workItemId/messages`: sent, with the `warn` findings it went out with. */
export const messageSentSchema = z.object({
  workItemId: z.string(),
  sent: z.literal(true),
  flags: z.array(complianceFindingSchema).describe('The `warn` findings it was sent with (also on its transcript entry); empty when the check found nothing.'),
});
export type MessageSent = z.output<typeof messageSentSchema>;

/** The 422 of an agent's message the compliance check refused: nothing was sent. */
export const complianceBlockedSchema = errorBodySchema.extend({
  code: z.literal('compliance_blocked'),
  details: z.object({ findings: z.array(complianceFindingSchema).describe('Every finding, `block` ones first.') }),
});
export type ComplianceBlocked = z.output<typeof complianceBlockedSchema>;
