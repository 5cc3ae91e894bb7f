import { flowTestRunSchema, runFlowTestsSchema } from '@tandem/api-contract';
import { createZodDto } from 'nestjs-zod';

// The schemas live in @tandem/api-contract; these classes carry them to Nest's validation and OpenAPI.

export class RunFlowTestsDto extends createZodDto(runFlowTestsSchema) {}
export class FlowTestRunDto extends createZodDto(flowTestRunSchema) {}
