/**
 * The flow document: what the designer saves and the API stores. Defined once here as zod schemas; API
 * DTOs, the designer and the compiler all use them.
 */
import { channelSchema } from '@tandem/contracts';
import { z } from 'zod';

/**
 * Identifiers of flows, nodes and edges: stable and safe in URLs, workflow ids and search attributes.
 * Digits first are allowed because canvas libraries generate ids like `1` or UUIDs.
 */
const idPattern = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;
/** Variable names are CEL field names (`ctx.orderId`), so no dashes. */
const variableNamePattern = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export const nodeIdSchema = z
  .string()
  .regex(idPattern, 'must start with a letter or digit and contain only letters, digits, "_", "-", "." or ":" (at most 128)');

/**
 * The types a flow variable can declare. They are CEL types: `ctx.attempts` is an `int` in expressions.
 * `map` is a `map<string, dyn>` (a JSON object).
 */
export const variableTypeSchema = z.enum(['string', 'int', 'double', 'bool', 'list<string>', 'list<int>', 'list<double>', 'map']);
export type VariableType = z.infer<typeof variableTypeSchema>;

/**
 * A context field the flow declares. Expressions read it as `ctx.<name>`; set, wait, survey, bot
 * slots and activities write it.
 */
export const flowVariableSchema = z.object({
  name: z
    .string()
    .regex(variableNamePattern, 'must be a CEL identifier: letters, digits and "_", not starting with a digit')
    .refine((name) => name !== '__proto__', { message: '"__proto__" is reserved' }),
  type: variableTypeSchema,
  /** Initial value; when absent the type's zero value ("" / 0 / false / [] / {}). */
  default: z.unknown().optional(),
  description: z.string().optional(),
});
export type FlowVariable = z.infer<typeof flowVariableSchema>;

/** Where the designer draws a node; ignored by the compiler and absent from the plan. */
export const positionSchema = z.object({ x: z.number(), y: z.number() });

/**
 * A node of the graph. `type` is any string here so that an unknown or removed node type becomes a
 * compiler diagnostic pinned on the node, not a schema failure of the whole document.
 */
export const flowNodeSchema = z.object({
  id: nodeIdSchema,
  type: z.string().min(1),
  typeVersion: z.number().int().min(1).default(1),
  position: positionSchema.default({ x: 0, y: 0 }),
  /** What the designer calls the node ("Billing bot"); used in diagnostics and shown to agents. */
  label: z.string().max(200).optional(),
  /** Node-type specific; validated against the node type's config schema by the compiler. */
  config: z.record(z.string(), z.unknown()).default({}),
});
export type FlowNode = z.infer<typeof flowNodeSchema>;
export type FlowNodeInput = z.input<typeof flowNodeSchema>;

/** A connection from one output port of a node to another node's input. */
export const flowEdgeSchema = z.object({
  /** Any unique string: canvas libraries generate ids like `xy-edge__a-next-b`. Not part of the plan. */
  id: z.string().min(1).max(256),
  source: z.string().min(1),
  sourcePort: z.string().min(1),
  target: z.string().min(1),
});
export type FlowEdge = z.infer<typeof flowEdgeSchema>;

/**
 * A flow as the designer saves it.
 *
 * @example
 * ```ts
 * const doc = flowDocumentSchema.parse({
 *   id: 'support', name: 'Support', channels: ['chat'],
 *   nodes: [
 *     { id: 'start', type: 'start', config: {} },
 *     { id: 'done', type: 'end', config: { outcome: 'resolved_by_bot' } },
 *   ],
 *   edges: [{ id: 'e1', source: 'start', sourcePort: 'next', target: 'done' }],
 * });
 * ```
 */
export const flowDocumentSchema = z.object({
  schemaVersion: z.literal(1).default(1),
  id: nodeIdSchema,
  name: z.string().min(1).max(200),
  description: z.string().max(5000).default(''),
  channels: z.array(channelSchema).min(1, 'a flow must accept at least one channel'),
  variables: z.array(flowVariableSchema).default([]),
  nodes: z.array(flowNodeSchema),
  edges: z.array(flowEdgeSchema).default([]),
});
export type FlowDocument = z.infer<typeof flowDocumentSchema>;
/** What callers may pass: defaults (typeVersion, position, config, variables…) may be omitted. */
export type FlowDocumentInput = z.input<typeof flowDocumentSchema>;

let documentJsonSchema: Record<string, unknown> | undefined;

/** JSON Schema (draft 2020-12) of the flow document, for tools outside TypeScript. Computed once. */
export function flowDocumentJsonSchema(): Record<string, unknown> {
  documentJsonSchema ??= z.toJSONSchema(flowDocumentSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return documentJsonSchema;
}
