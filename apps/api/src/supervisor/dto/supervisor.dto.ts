import { channelSchema, customerSchema, handoffPackageSchema } from '@tandem/contracts';
import { workItemStatusSchema } from '@tandem/routing';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { agentSchema, agentStatusSchema, workItemSchema } from '../../agent-desk/dto/agent-desk.dto';
import { queueSchema } from '../../catalog/dto/catalog.dto';

const queueName = z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,62}$/, 'a queue name: lowercase letters, digits, "_", "." or "-" (max 63)');
const skillLevels = z.record(z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/i, 'a skill name: letters, digits, "_", "." or "-" (max 64)'), z.number().int().min(1).max(10));
const agentIdSchema = z.string().min(1).max(200).regex(/^[A-Za-z0-9][A-Za-z0-9_.@:-]*$/, 'letters, digits, "_", ".", "@", ":" or "-", starting with a letter or digit');

export const queueNameParamsSchema = z.strictObject({ name: queueName });
export class QueueNameParamsDto extends createZodDto(queueNameParamsSchema) {}
export const agentParamsSchema = z.strictObject({ agentId: agentIdSchema });
export class AgentParamsDto extends createZodDto(agentParamsSchema) {}
export const ticketParamsSchema = z.strictObject({ ticketId: z.uuid('expected a ticket id (a UUID)') });
export class TicketParamsDto extends createZodDto(ticketParamsSchema) {}

export const queueStatsQuerySchema = z.strictObject({ channel: channelSchema.optional().describe('Only this channel\'s items and capacity.') });
export class QueueStatsQueryDto extends createZodDto(queueStatsQuerySchema) {}

export const listWorkItemsQuerySchema = z.strictObject({
  queue: queueName.optional(),
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
export class ListWorkItemsQueryDto extends createZodDto(listWorkItemsQuerySchema) {}

export const listAgentsQuerySchema = z.strictObject({ queue: queueName.optional().describe('Only agents serving this queue.') });
export class ListAgentsQueryDto extends createZodDto(listAgentsQuerySchema) {}

export const defineAgentSchema = z.strictObject({
  displayName: z.string().max(200).optional(),
  skills: skillLevels.optional(),
  capacity: z.partialRecord(channelSchema, z.number().int().min(0).max(100)).optional().describe('Concurrent items per channel, e.g. {"chat": 3, "voice": 1}.'),
  queues: z.array(queueName).max(200).optional().describe('The queues this agent serves (each must exist).'),
});
export class DefineAgentDto extends createZodDto(defineAgentSchema) {}

export const setAgentStatusSchema = z.strictObject({ status: agentStatusSchema });
export class SetAgentStatusDto extends createZodDto(setAgentStatusSchema) {}

export const listTicketsQuerySchema = z.strictObject({
  status: z.enum(['open', 'done', 'cancelled']).optional(),
  queue: queueName.optional(),
  contactId: z.string().min(1).max(128).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
export class ListTicketsQueryDto extends createZodDto(listTicketsQuerySchema) {}

export const closeTicketSchema = z.strictObject({
  status: z.enum(['done', 'cancelled']),
  resolution: z.string().max(4_000).optional(),
});
export class CloseTicketDto extends createZodDto(closeTicketSchema) {}

// ---- responses

const duration = z.number().nullable();
export const queueStatsSchema = z.object({
  queue: z.string(),
  at: z.iso.datetime(),
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
  averageHandleSeconds: duration,
  handleSamples: z.number().int(),
  estimatedWaitSeconds: z.number(),
  ewtBasis: z.enum(['capacity_free', 'measured', 'cold_start', 'no_agents']),
});
export class QueueStatsDto extends createZodDto(queueStatsSchema) {}
export const queueWithStatsSchema = z.object({ queue: queueSchema, stats: queueStatsSchema });
export class QueueWithStatsDto extends createZodDto(queueWithStatsSchema) {}

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
  at: z.iso.datetime(),
});
export const workItemWithHistorySchema = z.object({ workItem: workItemSchema, history: z.array(historyEntrySchema) });
export class WorkItemWithHistoryDto extends createZodDto(workItemWithHistorySchema) {}
export class SupervisorAgentDto extends createZodDto(agentSchema) {}

export const ticketSchema = z.object({
  id: z.string(),
  kind: z.enum(['callback', 'follow_up']),
  status: z.enum(['open', 'done', 'cancelled']),
  queue: z.string().nullable(),
  contactId: z.string(),
  workflowId: z.string(),
  nodeId: z.string(),
  channel: channelSchema,
  customer: customerSchema,
  subject: z.string(),
  body: z.string().nullable(),
  priority: z.number().int(),
  dueAt: z.iso.datetime().nullable(),
  handoff: handoffPackageSchema.nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  closedBy: z.string().nullable(),
  resolution: z.string().nullable(),
  closedAt: z.iso.datetime().nullable(),
});
export class TicketDto extends createZodDto(ticketSchema) {}
