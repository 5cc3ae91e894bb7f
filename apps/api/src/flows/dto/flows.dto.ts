import {
  diffQuerySchema,
  exportQuerySchema,
  flowDiffSchema,
  flowExportSchema,
  flowListSchema,
  flowMetricsSchema,
  flowParamsSchema,
  flowSchema,
  flowVersionParamsSchema,
  importQuerySchema,
  importResultSchema,
  listFlowsQuerySchema,
  publishTestedFlowSchema,
  rollbackFlowSchema,
  testedFlowVersionSchema,
  testedFlowVersionSummarySchema,
  updateFlowSchema,
  validateFlowSchema,
  validationResultSchema,
} from '@tandem/api-contract';
import { flowDocumentSchema } from '@tandem/flow';
import { createZodDto } from 'nestjs-zod';

// The schemas live in @tandem/api-contract; these classes carry them to Nest's validation and OpenAPI.

export class FlowDocumentDto extends createZodDto(flowDocumentSchema) {}
export class UpdateFlowDto extends createZodDto(updateFlowSchema) {}
export class ValidateFlowDto extends createZodDto(validateFlowSchema) {}
export class PublishFlowDto extends createZodDto(publishTestedFlowSchema) {}
export class RollbackFlowDto extends createZodDto(rollbackFlowSchema) {}
export class FlowExportDto extends createZodDto(flowExportSchema) {}
export class ImportQueryDto extends createZodDto(importQuerySchema) {}
export class FlowParamsDto extends createZodDto(flowParamsSchema) {}
export class FlowVersionParamsDto extends createZodDto(flowVersionParamsSchema) {}
export class ListFlowsQueryDto extends createZodDto(listFlowsQuerySchema) {}
export class DiffQueryDto extends createZodDto(diffQuerySchema) {}
export class ExportQueryDto extends createZodDto(exportQuerySchema) {}

export class FlowDto extends createZodDto(flowSchema) {}
export class FlowListDto extends createZodDto(flowListSchema) {}
export class ValidationResultDto extends createZodDto(validationResultSchema) {}
export class FlowVersionSummaryDto extends createZodDto(testedFlowVersionSummarySchema) {}
export class FlowVersionDto extends createZodDto(testedFlowVersionSchema) {}
export class FlowDiffDto extends createZodDto(flowDiffSchema) {}
export class ImportResultDto extends createZodDto(importResultSchema) {}
export class FlowExportResponseDto extends createZodDto(flowExportSchema) {}
export class FlowMetricsDto extends createZodDto(flowMetricsSchema) {}
