import {
  activityParamsSchema,
  calendarParamsSchema,
  calendarViewSchema,
  catalogSchema,
  customActivityDescriptorSchema,
  customActivitySchema,
  expressionEnvironmentSchema,
  nodeTypeSchema,
  putCalendarSchema,
  putQueueSchema,
  queueParamsSchema,
  queueSchema,
  registerActivitiesSchema,
  registrationResultSchema,
  registrationResultsSchema,
} from '@tandem/api-contract';
import { createZodDto } from 'nestjs-zod';

// The schemas live in @tandem/api-contract; these classes carry them to Nest's validation and OpenAPI.

export class CustomActivityDescriptorDto extends createZodDto(customActivityDescriptorSchema) {}
export class RegisterActivitiesDto extends createZodDto(registerActivitiesSchema) {}
export class ActivityParamsDto extends createZodDto(activityParamsSchema) {}
export class PutQueueDto extends createZodDto(putQueueSchema) {}
export class QueueParamsDto extends createZodDto(queueParamsSchema) {}
export class CalendarParamsDto extends createZodDto(calendarParamsSchema) {}
export class PutCalendarDto extends createZodDto(putCalendarSchema) {}

export class CustomActivityDto extends createZodDto(customActivitySchema) {}
export class RegistrationResultDto extends createZodDto(registrationResultSchema) {}
export class RegistrationResultsDto extends createZodDto(registrationResultsSchema) {}
export class QueueDto extends createZodDto(queueSchema) {}
export class CalendarDto extends createZodDto(calendarViewSchema) {}
export class NodeTypeDto extends createZodDto(nodeTypeSchema) {}
export class ExpressionEnvironmentDto extends createZodDto(expressionEnvironmentSchema) {}
export class CatalogDto extends createZodDto(catalogSchema) {}
