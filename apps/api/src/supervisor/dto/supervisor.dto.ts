import {
  agentParamsSchema,
  agentSchema,
  closeTicketSchema,
  defineAgentSchema,
  listAgentsQuerySchema,
  listTicketsQuerySchema,
  listWorkItemsQuerySchema,
  queueNameParamsSchema,
  queueStatsQuerySchema,
  queueStatsSchema,
  queueWithStatsSchema,
  setAgentStatusSchema,
  ticketParamsSchema,
  ticketSchema,
  workItemWithHistorySchema,
} from '@tandem/api-contract';
import { createZodDto } from 'nestjs-zod';

// The schemas live in @tandem/api-contract; these classes carry them to Nest's validation and OpenAPI.

export class QueueNameParamsDto extends createZodDto(queueNameParamsSchema) {}
export class AgentParamsDto extends createZodDto(agentParamsSchema) {}
export class TicketParamsDto extends createZodDto(ticketParamsSchema) {}
export class QueueStatsQueryDto extends createZodDto(queueStatsQuerySchema) {}
export class ListWorkItemsQueryDto extends createZodDto(listWorkItemsQuerySchema) {}
export class ListAgentsQueryDto extends createZodDto(listAgentsQuerySchema) {}
export class DefineAgentDto extends createZodDto(defineAgentSchema) {}
export class SetAgentStatusDto extends createZodDto(setAgentStatusSchema) {}
export class ListTicketsQueryDto extends createZodDto(listTicketsQuerySchema) {}
export class CloseTicketDto extends createZodDto(closeTicketSchema) {}

export class QueueStatsDto extends createZodDto(queueStatsSchema) {}
export class QueueWithStatsDto extends createZodDto(queueWithStatsSchema) {}
export class WorkItemWithHistoryDto extends createZodDto(workItemWithHistorySchema) {}
export class SupervisorAgentDto extends createZodDto(agentSchema) {}
export class TicketDto extends createZodDto(ticketSchema) {}
