import {
  agentMessageSchema,
  agentSchema,
  claimResultSchema,
  claimSchema,
  completeSchema,
  complianceBlockedSchema,
  emptyBodySchema,
  messageSentSchema,
  offerIdParamsSchema,
  pendingOfferSchema,
  rejectSchema,
  setStatusSchema,
  statusChangeSchema,
  supervisorTransferSchema,
  transferSchema,
  workItemDetailSchema,
  workItemIdParamsSchema,
  workItemSchema,
} from '@tandem/api-contract';
import { createZodDto } from 'nestjs-zod';

// The schemas live in @tandem/api-contract; these classes carry them to Nest's validation and OpenAPI.

export class WorkItemIdParamsDto extends createZodDto(workItemIdParamsSchema) {}
export class OfferIdParamsDto extends createZodDto(offerIdParamsSchema) {}
export class EmptyBodyDto extends createZodDto(emptyBodySchema) {}
export class SetStatusDto extends createZodDto(setStatusSchema) {}
export class ClaimDto extends createZodDto(claimSchema) {}
export class RejectDto extends createZodDto(rejectSchema) {}
export class AgentMessageDto extends createZodDto(agentMessageSchema) {}
export class CompleteDto extends createZodDto(completeSchema) {}
export class TransferDto extends createZodDto(transferSchema) {}
export class SupervisorTransferDto extends createZodDto(supervisorTransferSchema) {}

export class WorkItemDto extends createZodDto(workItemSchema) {}
export class PendingOfferDto extends createZodDto(pendingOfferSchema) {}
export class AgentDto extends createZodDto(agentSchema) {}
export class StatusChangeDto extends createZodDto(statusChangeSchema) {}
export class ClaimResultDto extends createZodDto(claimResultSchema) {}
export class WorkItemDetailDto extends createZodDto(workItemDetailSchema) {}
export class MessageSentDto extends createZodDto(messageSentSchema) {}
export class ComplianceBlockedDto extends createZodDto(complianceBlockedSchema) {}
