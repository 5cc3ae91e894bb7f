import {
  cancelContactSchema,
  cancelledSchema,
  contactListSchema,
  contactParamsSchema,
  contactStateSchema,
  csatRecordedSchema,
  csatSchema,
  customerMessageSchema,
  listContactsQuerySchema,
  messageReplySchema,
  startContactSchema,
  startedContactSchema,
  transcriptSchema,
} from '@tandem/api-contract';
import { createZodDto } from 'nestjs-zod';

// The schemas live in @tandem/api-contract; these classes carry them to Nest's validation and OpenAPI.

export class ContactParamsDto extends createZodDto(contactParamsSchema) {}
export class StartContactDto extends createZodDto(startContactSchema) {}
export class CustomerMessageDto extends createZodDto(customerMessageSchema) {}
export class CancelContactDto extends createZodDto(cancelContactSchema) {}
export class CsatDto extends createZodDto(csatSchema) {}
export class ListContactsQueryDto extends createZodDto(listContactsQuerySchema) {}

export class StartedContactDto extends createZodDto(startedContactSchema) {}
export class MessageReplyDto extends createZodDto(messageReplySchema) {}
export class ContactStateDto extends createZodDto(contactStateSchema) {}
export class TranscriptDto extends createZodDto(transcriptSchema) {}
export class CancelledDto extends createZodDto(cancelledSchema) {}
export class CsatRecordedDto extends createZodDto(csatRecordedSchema) {}
export class ContactListDto extends createZodDto(contactListSchema) {}
