import { DIAGNOSTIC_CODES, type Diagnostic, type DiagnosticCode, flowDocumentSchema, nodeIdSchema, planSchema } from '@tandem/flow';
import { z } from 'zod';
import { isoDateTime, MAX_INT } from './common';
import type { Assert, Same } from './same-type';

// ---- requests

const revision = z.number().int().min(1).max(MAX_INT).describe('The draft revision this change is based on; a stale one is a 409.');
const note = z.string().trim().max(2_000).describe('Why this version is published: shown in the version history.');

/** `PUT /v1/flows/:flowId`: the new draft, based on `revision`. */
export const updateFlowSchema = z.strictObject({ revision, document: flowDocumentSchema });
export type UpdateFlowRequest = z.input<typeof updateFlowSchema>;

/** `POST /v1/flows/:flowId/validate`. */
export const validateFlowSchema = z.strictObject({
  document: flowDocumentSchema.optional().describe('A document to check instead of the saved draft (e.g. unsaved edits).'),
});
export type ValidateFlowRequest = z.input<typeof validateFlowSchema>;

/** `POST /v1/flows/:flowId/publish`. */
export const publishFlowSchema = z.strictObject({ note: note.optional(), revision: revision.optional() });
export type PublishFlowRequest = z.input<typeof publishFlowSchema>;

/** `POST /v1/flows/:flowId/rollback`. */
export const rollbackFlowSchema = z.strictObject({ version: z.number().int().min(1).max(MAX_INT).describe('The version to publish again as the newest.'), note: note.optional() });
export type RollbackFlowRequest = z.input<typeof rollbackFlowSchema>;

/**
 * The portable form of a flow: what `GET /v1/flows/:flowId/export` answers and `POST
 * /v1/flows/import` takes.
 */
export const flowExportSchema = z.strictObject({
  format: z.literal('tandem.flow'),
  formatVersion: z.literal(1),
  exportedAt: isoDateTime.optional(),
  source: z
    .strictObject({ flowId: z.string(), version: z.number().int().nullable(), revision: z.number().int().nullable() })
    .optional()
    .describe('Where the export came from; informative only.'),
  document: flowDocumentSchema,
});
export type FlowExport = z.output<typeof flowExportSchema>;

const booleanQuery = z.enum(['true', 'false']).transform((v) => v === 'true');

export const importQuerySchema = z.strictObject({
  overwrite: booleanQuery.optional().describe('Replace the draft of an existing flow with the same id (default false: 409).'),
});

export const flowParamsSchema = z.strictObject({ flowId: nodeIdSchema });

export const flowVersionParamsSchema = z.strictObject({
  flowId: nodeIdSchema,
  version: z.coerce.number().int().min(1).max(MAX_INT),
});

export const listFlowsQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  q: z.string().trim().min(1).max(200).optional().describe('Case-insensitive text to find in the flow id or name.'),
});

/** A version number, or the draft. */
export type VersionRef = number | 'draft';
const versionRef = z.union([z.literal('draft'), z.coerce.number().int().min(1).max(MAX_INT)]);
export const diffQuerySchema = z.strictObject({
  from: versionRef.describe('A version number, or "draft".'),
  to: versionRef.default('draft').describe('A version number, or "draft" (default).'),
});

export const exportQuerySchema = z.strictObject({
  version: z.coerce.number().int().min(1).max(MAX_INT).optional().describe('Export this published version instead of the draft.'),
});

// ---- responses

/** A compiler diagnostic (`@tandem/flow`'s `Diagnostic`), pinned to a node, an edge or a config path. */
export const diagnosticSchema = z.object({
  code: z.enum(DIAGNOSTIC_CODES as [DiagnosticCode, ...DiagnosticCode[]]).describe('Stable code, e.g. FLOW_PORT_UNCONNECTED (see docs/flow-language.md).'),
  severity: z.enum(['error', 'warning']),
  message: z.string(),
  nodeId: z.string().optional(),
  edgeId: z.string().optional(),
  path: z.array(z.union([z.string(), z.number()])).optional(),
  range: z.object({ start: z.number().int(), end: z.number().int() }).optional(),
});
type _DiagnosticIsTheCompilers = Assert<Same<z.output<typeof diagnosticSchema>, Diagnostic>>;

const flowMeta = {
  id: z.string(),
  name: z.string(),
  description: z.string(),
  channels: z.array(z.string()),
  revision: z.number().int(),
  latestVersion: z.number().int().nullable().describe('Newest published version, null before the first publish.'),
  hasUnpublishedChanges: z.boolean().describe('Whether the draft differs from the newest published version.'),
  createdAt: isoDateTime,
  createdBy: z.string(),
  updatedAt: isoDateTime,
  updatedBy: z.string(),
};

/** A flow and its draft, as the designer edits it (`GET /v1/flows/:flowId`). */
export const flowSchema = z.object({ ...flowMeta, document: flowDocumentSchema });
export type FlowView = z.output<typeof flowSchema>;

/** One row of `GET /v1/flows`. */
export const flowSummarySchema = z.object({ ...flowMeta, nodeCount: z.number().int() });
export type FlowSummary = z.output<typeof flowSummarySchema>;
export const flowListSchema = z.object({ items: z.array(flowSummarySchema), total: z.number().int() });
export type FlowList = z.output<typeof flowListSchema>;

/** `POST /v1/flows/:flowId/validate`. */
export const validationResultSchema = z.object({
  valid: z.boolean(),
  diagnostics: z.array(diagnosticSchema),
  planHash: z.string().nullable().describe('Hash of the plan the document compiles to, when valid.'),
});
export type ValidationResult = z.output<typeof validationResultSchema>;

/** A published version, without its document (the version history). */
export const flowVersionSummarySchema = z.object({
  flowId: z.string(),
  version: z.number().int(),
  hash: z.string().describe('Content hash of the plan.'),
  note: z.string().nullable(),
  publishedBy: z.string(),
  publishedAt: isoDateTime,
  rolledBackFrom: z.number().int().nullable().describe('Set when this version re-publishes an older one.'),
  openContacts: z.number().int().nullable().describe('Contacts still running this version (null when Temporal cannot be asked).'),
});
export type FlowVersionSummary = z.output<typeof flowVersionSummarySchema>;

/** One published version with its document and compiled plan. */
export const flowVersionSchema = flowVersionSummarySchema.extend({ document: flowDocumentSchema, plan: planSchema });
export type FlowVersionView = z.output<typeof flowVersionSchema>;

// A value that was absent on one side of a change has no `from` (or `to`).
const valueChange = z.object({ path: z.string(), from: z.unknown().optional(), to: z.unknown().optional() });
const nodeRef = { id: z.string(), type: z.string(), label: z.string().optional() };
const edge = z.object({ id: z.string(), source: z.string(), sourcePort: z.string(), target: z.string() });
const versionRefOut = z.union([z.literal('draft'), z.number().int()]);

/**
 * What changed between two versions of a flow (`GET /v1/flows/:flowId/diff`), the way a reviewer
 * reads it: flow-level settings, nodes added / removed / changed (with the config paths that
 * changed), nodes only moved on the canvas, and connections added / removed / re-wired.
 *
 * @example
 * { flowId: 'support', from: 1, to: 'draft', identical: false, flow: [{ path: 'name', from: 'Support', to: 'Support v2' }],
 *   nodes: { added: [], removed: [], changed: [{ id: 'bot', type: 'bot', changes: [{ path: 'config.maxTurns', from: 5, to: 8 }] }], moved: [] },
 *   edges: { added: [], removed: [], changed: [] } }
 */
export const flowDiffSchema = z.object({
  flowId: z.string(),
  from: versionRefOut,
  to: versionRefOut,
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
export type FlowDiff = z.output<typeof flowDiffSchema>;
/** One changed value, at a dotted path inside the thing that changed (`config.rules.0.condition`). */
export type ValueChange = z.output<typeof valueChange>;

/** `POST /v1/flows/import`. */
export const importResultSchema = z.object({
  flow: flowSchema,
  created: z.boolean(),
  valid: z.boolean(),
  diagnostics: z.array(diagnosticSchema).describe('What the compiler says about the imported draft (queues or activities missing here, …).'),
});
export type ImportResult = z.output<typeof importResultSchema>;
