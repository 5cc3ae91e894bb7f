import { channelSchema, customerSchema, handoffPackageSchema } from '@tandem/contracts';
import type { EwtBasis, TicketKind, TicketStatus } from '@tandem/routing';
import { z } from 'zod';
import { agentStatusSchema, workItemSchema, workItemStatusSchema } from './agent-desk';
import { queueSchema } from './catalog';
import { isoDateTime, queueNameSchema, skillLevelsInputSchema } from './common';
import type { Assert, Same } from './same-type';

const ticketStatusSchema = z.enum(['open', 'done', 'cancelled']);
type _TicketStatusIsRoutings = Assert<Same<z.output<typeof ticketStatusSchema>, TicketStatus>>;
const ticketKindSchema = z.enum(['callback', 'follow_up']);
type _TicketKindIsRoutings = Assert<Same<z.output<typeof ticketKindSchema>, TicketKind>>;
const ewtBasisSchema = z.enum(['capacity_free', 'measured', 'cold_start', 'no_agents']);
type _EwtBasisIsRoutings = Assert<Same<z.output<typeof ewtBasisSchema>, EwtBasis>>;

// ---- requests

const agentIdSchema = z.string().min(1).max(200).regex(/^[A-Za-z0-9][A-Za-z0-9_.@:-]*$/, 'letters, digits, "_", ".", "@", ":" or "-", starting with a letter or digit');

export const queueNameParamsSchema = z.strictObject({ name: queueNameSchema });
export const agentParamsSchema = z.strictObject({ agentId: agentIdSchema });
export const ticketParamsSchema = z.strictObject({ ticketId: z.uuid('expected a ticket id (a UUID)') });

export const queueStatsQuerySchema = z.strictObject({ channel: channelSchema.optional().describe("Only this channel's items and capacity.") });

export const listWorkItemsQuerySchema = z.strictObject({
  queue: queueNameSchema.optional(),
  status: z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim()))
    .pipe(z.array(workItemStatusSchema).min(1))
    .optional()
    .describe('One status or several, comma-separated (default: the waiting and active ones).'),
  agentId: agentIdSchema.optional(),
  contactId: z.string().min(1).max(128).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const listAgentsQuerySchema = z.strictObject({ queue: queueNameSchema.optional().describe('Only agents serving this queue.') });

/** `PUT /v1/supervisor/agents/:agentId`. */
export const defineAgentSchema = z.strictObject({
  displayName: z.string().max(200).optional(),
  skills: skillLevelsInputSchema.optional(),
  capacity: z.partialRecord(channelSchema, z.number().int().min(0).max(100)).optional().describe('Concurrent items per channel, e.g. {"chat": 3, "voice": 1}.'),
  queues: z.array(queueNameSchema).max(200).optional().describe('The queues this agent serves (each must exist).'),
});

/** `PUT /v1/supervisor/agents/:agentId/status`. */
export const setAgentStatusSchema = z.strictObject({ status: agentStatusSchema });

export const listTicketsQuerySchema = z.strictObject({
  status: ticketStatusSchema.optional(),
  queue: queueNameSchema.optional(),
  contactId: z.string().min(1).max(128).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/** `POST /v1/supervisor/tickets/:ticketId/close`. */
export const closeTicketSchema = z.strictObject({
  status: z.enum(['done', 'cancelled']),
  resolution: z.string().max(4_000).optional(),
});

// ---- responses

/** A queue's live statistics. */
export const queueStatsSchema = z.object({
  queue: z.string(),
  at: isoDateTime,
  waiting: z.number().int().describe('Queued plus offered, not yet accepted.'),
  queued: z.number().int(),
  offered: z.number().int(),
  inService: z.number().int().describe('Assigned or in wrap-up.'),
  oldestWaitSeconds: z.number(),
  agents: z.object({ available: z.number().int(), idle: z.number().int(), busy: z.number().int(), away: z.number().int(), offline: z.number().int() }),
  serviceLevel: z.object({
    windowSeconds: z.number().int(),
    targetSeconds: z.number().int(),
    answered: z.number().int(),
    answeredWithinTarget: z.number().int(),
    abandonedWaiting: z.number().int(),
    ratio: z.number().nullable(),
  }),
  averageHandleSeconds: z.number().nullable(),
  handleSamples: z.number().int(),
  estimatedWaitSeconds: z.number(),
  ewtBasis: ewtBasisSchema,
});
export type QueueStatsView = z.output<typeof queueStatsSchema>;

/** `GET /v1/supervisor/queues`: each queue with its statistics. */
export const queueWithStatsSchema = z.object({ queue: queueSchema, stats: queueStatsSchema });
export type QueueWithStats = z.output<typeof queueWithStatsSchema>;

/** One state change of a work item: who made it and why. */
export const historyEntrySchema = z.object({
  seq: z.number().int(),
  eventId: z.string(),
  workItemId: z.string(),
  type: z.string(),
  fromStatus: z.string().nullable(),
  toStatus: z.string(),
  queue: z.string(),
  agentId: z.string().nullable(),
  actor: z.string(),
  reason: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  at: isoDateTime,
});
export type HistoryView = z.output<typeof historyEntrySchema>;

/** `GET /v1/supervisor/work-items/:workItemId`. */
export const workItemWithHistorySchema = z.object({ workItem: workItemSchema, history: z.array(historyEntrySchema) });
export type WorkItemWithHistory = z.output<typeof workItemWithHistorySchema>;

/** A follow-up or callback ticket a flow logged. */
export const ticketSchema = z.object({
  id: z.string(),
  kind: ticketKindSchema,
  status: ticketStatusSchema,
  queue: z.string().nullable(),
  contactId: z.string(),
  workflowId: z.string(),
  nodeId: z.string(),
  channel: channelSchema,
  customer: customerSchema,
  subject: z.string(),
  body: z.string().nullable(),
  priority: z.number().int(),
  dueAt: isoDateTime.nullable(),
  handoff: handoffPackageSchema.nullable(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  closedBy: z.string().nullable(),
  resolution: z.string().nullable(),
  closedAt: isoDateTime.nullable(),
});
export type TicketView = z.output<typeof ticketSchema>;
