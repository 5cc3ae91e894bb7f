/**
 * The flow document: what the designer saves and the API stores. Defined once here as zod schemas; API
 * DTOs, the designer and the compiler all use them.
 */
import { channelSchema, escalationTriggerKindSchema } from '@tandem/contracts';
import { z } from 'zod';
import { flowTestsSchema } from './tests/schema';

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
    .regex(variableNamePattern, 'may contain only letters, digits and "_", and must not start with a digit (expressions read it as ctx.<name>)')
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

/** What a request for a person (and the chosen sensitive triggers) does anywhere the contact waits for the customer. */
export const DEFAULT_ESCAPE_HATCH_TRIGGERS = ['human_request', 'legal_threat', 'regulatory', 'vulnerable_customer', 'complaint'] as const;
export const DEFAULT_ESCAPE_HATCH_MESSAGE = 'Of course. I am bringing in a colleague now; they will see everything we have discussed.';

/**
 * The conversation guarantees a flow keeps whatever its steps do (docs/flow-language.md, "Conversation
 * guarantees"), set once per flow.
 */
export const flowGuaranteesSchema = z.strictObject({
  /** The escape hatch: wherever the contact waits for the customer's words, these lead to a person. */
  escalation: z
    .strictObject({
      /**
       * The node a request for a person leads to from any step that waits for the customer (usually the
       * flow's escalate step). Absent: the flow's only escalate step, if it has exactly one.
       */
      target: nodeIdSchema.optional().describe('Where a request for a person goes (usually your escalate step)'),
      /** What leads there besides a request for a person. */
      triggers: z.array(escalationTriggerKindSchema).default([...DEFAULT_ESCAPE_HATCH_TRIGGERS]).describe('What leads there: a request for a person, and the sensitive topics listed'),
      /** What the customer is told as it happens (template). */
      message: z.string().max(2000).default(DEFAULT_ESCAPE_HATCH_MESSAGE).describe('What the customer is told (template)'),
    })
    .default({ triggers: [...DEFAULT_ESCAPE_HATCH_TRIGGERS], message: DEFAULT_ESCAPE_HATCH_MESSAGE }),
  /** When the bot may count a conversation as resolved: only with evidence. */
  containment: z
    .strictObject({
      /** After the bot answered, a silence this long (no reply at all) counts as the customer being done. */
      quietSeconds: z.number().int().min(1).max(86_400).default(120).describe('After an answer, how long a silence counts as the customer being done'),
    })
    .default({ quietSeconds: 120 }),
});
export type FlowGuarantees = z.infer<typeof flowGuaranteesSchema>;

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
  /** The conversation guarantees' settings (the escape hatch, containment), with safe defaults. */
  guarantees: flowGuaranteesSchema.default({
    escalation: { triggers: [...DEFAULT_ESCAPE_HATCH_TRIGGERS], message: DEFAULT_ESCAPE_HATCH_MESSAGE },
    containment: { quietSeconds: 120 },
  }),
  /** Test conversations, versioned with the flow but not part of its plan (see `tests/schema.ts`). */
  tests: flowTestsSchema.default([]),
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
