import { flowDocumentSchema, nodeIdSchema, planSchema } from '@tandem/flow';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

/** Versions and revisions are PostgreSQL integers: larger numbers are a 400, not a database error. */
const MAX_INT = 2_147_483_647;
const revision = z.number().int().min(1).max(MAX_INT).describe('The draft revision this change is based on; a stale one is a 409.');
const note = z.string().trim().max(2_000).describe('Why this version is published: shown in the version history.');

export class FlowDocumentDto extends createZodDto(flowDocumentSchema) {}

export const updateFlowSchema = z.strictObject({ revision, document: flowDocumentSchema });
export class UpdateFlowDto extends createZodDto(updateFlowSchema) {}

export const validateFlowSchema = z.strictObject({
  document: flowDocumentSchema.optional().describe('A document to check instead of the saved draft (e.g. unsaved edits).'),
});
export class ValidateFlowDto extends createZodDto(validateFlowSchema) {}

export const publishFlowSchema = z.strictObject({ note: note.optional(), revision: revision.optional() });
export class PublishFlowDto extends createZodDto(publishFlowSchema) {}

export const rollbackFlowSchema = z.strictObject({ version: z.number().int().min(1).max(MAX_INT).describe('The version to publish again as the newest.'), note: note.optional() });
export class RollbackFlowDto extends createZodDto(rollbackFlowSchema) {}

export const flowExportSchema = z.strictObject({
  format: z.literal('tandem.flow'),
  formatVersion: z.literal(1),
  exportedAt: z.iso.datetime().optional(),
  source: z
    .strictObject({ flowId: z.string(), version: z.number().int().nullable(), revision: z.number().int().nullable() })
    .optional()
    .describe('Where the export came from; informative only.'),
  document: flowDocumentSchema,
});
export class FlowExportDto extends createZodDto(flowExportSchema) {}

const booleanQuery = z.enum(['true', 'false']).transform((v) => v === 'true');

export const importQuerySchema = z.strictObject({
  overwrite: booleanQuery.optional().describe('Replace the draft of an existing flow with the same id (default false: 409).'),
});
export class ImportQueryDto extends createZodDto(importQuerySchema) {}

export const flowParamsSchema = z.strictObject({ flowId: nodeIdSchema });
export class FlowParamsDto extends createZodDto(flowParamsSchema) {}

export const flowVersionParamsSchema = z.strictObject({
  flowId: nodeIdSchema,
  version: z.coerce.number().int().min(1).max(MAX_INT),
});
export class FlowVersionParamsDto extends createZodDto(flowVersionParamsSchema) {}

export const listFlowsQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  q: z.string().trim().min(1).max(200).optional().describe('Case-insensitive text to find in the flow id or name.'),
});
export class ListFlowsQueryDto extends createZodDto(listFlowsQuerySchema) {}

const versionRef = z.union([z.literal('draft'), z.coerce.number().int().min(1).max(MAX_INT)]);
export const diffQuerySchema = z.strictObject({
  from: versionRef.describe('A version number, or "draft".'),
  to: versionRef.default('draft').describe('A version number, or "draft" (default).'),
});
export class DiffQueryDto extends createZodDto(diffQuerySchema) {}

export const exportQuerySchema = z.strictObject({
  version: z.coerce.number().int().min(1).max(MAX_INT).optional().describe('Export this published version instead of the draft.'),
});
export class ExportQueryDto extends createZodDto(exportQuerySchema) {}

// ---- responses

export const diagnosticSchema = z.object({
  code: z.string().describe('Stable code, e.g. FLOW_PORT_UNCONNECTED (see docs/flow-language.md).'),
  severity: z.enum(['error', 'warning']),
  message: z.string(),
  nodeId: z.string().optional(),
  edgeId: z.string().optional(),
  path: z.array(z.union([z.string(), z.number()])).optional(),
  range: z.object({ start: z.number().int(), end: z.number().int() }).optional(),
});

const flowMeta = {
  id: z.string(),
  name: z.string(),
  description: z.string(),
  channels: z.array(z.string()),
  revision: z.number().int(),
  latestVersion: z.number().int().nullable().describe('Newest published version, null before the first publish.'),
  hasUnpublishedChanges: z.boolean().describe('Whether the draft differs from the newest published version.'),
  createdAt: z.iso.datetime(),
  createdBy: z.string(),
  updatedAt: z.iso.datetime(),
  updatedBy: z.string(),
};

export const flowSchema = z.object({ ...flowMeta, document: flowDocumentSchema });
export class FlowDto extends createZodDto(flowSchema) {}

export const flowSummarySchema = z.object({ ...flowMeta, nodeCount: z.number().int() });
export const flowListSchema = z.object({ items: z.array(flowSummarySchema), total: z.number().int() });
export class FlowListDto extends createZodDto(flowListSchema) {}

export const validationResultSchema = z.object({
  valid: z.boolean(),
  diagnostics: z.array(diagnosticSchema),
  planHash: z.string().nullable().describe('Hash of the plan the document compiles to, when valid.'),
});
export class ValidationResultDto extends createZodDto(validationResultSchema) {}

export const flowVersionSummarySchema = z.object({
  flowId: z.string(),
  version: z.number().int(),
  hash: z.string().describe('Content hash of the plan.'),
  note: z.string().nullable(),
  publishedBy: z.string(),
  publishedAt: z.iso.datetime(),
  rolledBackFrom: z.number().int().nullable().describe('Set when this version re-publishes an older one.'),
  openContacts: z.number().int().nullable().describe('Contacts still running this version (null when Temporal cannot be asked).'),
});
export class FlowVersionSummaryDto extends createZodDto(flowVersionSummarySchema) {}

export const flowVersionSchema = flowVersionSummarySchema.extend({ document: flowDocumentSchema, plan: planSchema });
export class FlowVersionDto extends createZodDto(flowVersionSchema) {}

const valueChange = z.object({ path: z.string(), from: z.unknown(), to: z.unknown() });
const nodeRef = { id: z.string(), type: z.string(), label: z.string().optional() };
const edge = z.object({ id: z.string(), source: z.string(), sourcePort: z.string(), target: z.string() });
export const flowDiffSchema = z.object({
  flowId: z.string(),
  from: z.union([z.literal('draft'), z.number().int()]),
  to: z.union([z.literal('draft'), z.number().int()]),
  identical: z.boolean(),
  flow: z.array(valueChange).describe('Flow-level settings that changed: name, description, channels, variables.'),
  nodes: z.object({
    added: z.array(z.object(nodeRef)),
    removed: z.array(z.object(nodeRef)),
    changed: z.array(z.object({ ...nodeRef, changes: z.array(valueChange) })),
    moved: z.array(z.string()).describe('Nodes whose only change is their position on the canvas.'),
  }),
  edges: z.object({ added: z.array(edge), removed: z.array(edge), changed: z.array(z.object({ id: z.string(), from: edge, to: edge })) }),
});
export class FlowDiffDto extends createZodDto(flowDiffSchema) {}

export const importResultSchema = z.object({
  flow: flowSchema,
  created: z.boolean(),
  valid: z.boolean(),
  diagnostics: z.array(diagnosticSchema).describe('What the compiler says about the imported draft (queues or activities missing here, …).'),
});
export class ImportResultDto extends createZodDto(importResultSchema) {}

export class FlowExportResponseDto extends createZodDto(flowExportSchema) {}

const seconds = z.object({ count: z.number().int(), avg: z.number().nullable(), p50: z.number().nullable(), p90: z.number().nullable(), max: z.number().nullable() });
const csat = z.object({ count: z.number().int(), sum: z.number(), average: z.number().nullable(), distribution: z.record(z.string(), z.number().int()) });
const counts = z.record(z.string(), z.number().int());
export const flowMetricsSchema = z.object({
  flowId: z.string(),
  version: z.number().int(),
  lastEventAt: z.iso.datetime().nullable().describe('The newest event counted: how fresh the numbers are.'),
  totals: z.object({
    contacts: z.number().int().describe('Contacts started on this version.'),
    ended: z.number().int(),
    byOutcome: counts,
    contained: z.number().int().describe('Ended resolved by the bot, never escalated.'),
    containment: z.number().nullable(),
    escalations: z.number().int().describe('Contacts that ended after at least one escalation.'),
    abandoned: z.number().int(),
    abandonment: z.number().nullable(),
    avgDurationSeconds: z.number().nullable(),
    csat,
  }),
  nodes: z.array(
    z.object({
      nodeId: z.string(),
      nodeType: z.string().nullable(),
      entered: z.number().int(),
      exitedByPort: counts.describe('Exits by output port: the traffic on each outgoing edge.'),
      exited: z.number().int(),
      containment: z.number().nullable().describe('Bot nodes: resolved / (resolved + escalate + no_match).'),
      bot: z
        .object({
          turns: z.number().int(),
          answered: z.number().int(),
          avgConfidence: z.number().nullable(),
          avgSentiment: z.number().nullable(),
          intents: counts,
          triggersDetected: counts,
          containment: z.object({ resolved: z.number().int(), escalated: z.number().int(), noMatch: z.number().int(), rate: z.number().nullable() }),
        })
        .nullable(),
      escalations: z.object({
        total: z.number().int().describe('Escalations this node caused.'),
        byTrigger: counts,
        byReasonTag: counts.describe('Agents\' wrap-up reason tags for the escalations this node caused.'),
        reasonTags: z.array(z.object({ trigger: z.string(), tag: z.string(), count: z.number().int() })),
        routedByQueue: counts.describe('Escalate nodes: contacts routed, by queue.'),
      }),
      workItems: z.object({ offered: z.number().int(), accepted: z.number().int(), completed: counts }),
      waitSeconds: seconds.describe('Queue wait, at escalate nodes.'),
      handleSeconds: seconds.describe('Agents\' handle time, at escalate nodes.'),
      stepSeconds: seconds.describe('Time in the node per visit.'),
      abandoned: z.number().int(),
      csat,
    }),
  ),
});
export class FlowMetricsDto extends createZodDto(flowMetricsSchema) {}
