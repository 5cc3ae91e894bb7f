/**
 * The plan: what the compiler produces and the worker's interpreter runs. Normalized (nodes keyed and
 * sorted by id, defaults applied, no positions), JSON-serializable, content-hashed and independent of the
 * order of nodes and edges in the document. A contact keeps the plan it started with, so the interpreter
 * must accept every `schemaVersion` it ever produced.
 */
import { channelSchema, escalationTriggerKindSchema } from '@tandem/contracts';
import { z } from 'zod';
import { variableTypeSchema } from './document';
import { contentHash } from './hash';
import { NODE_TYPES } from './nodes';

/** A compiled CEL expression or template and the live data it needs. */
export const planExpressionSchema = z.object({
  source: z.string(),
  /** `template`: text with CEL in `{{ }}`, rendered with `renderTemplate`. */
  kind: z.enum(['expression', 'template']),
  /** CEL type the checker inferred (`bool`, `int`, `double`, `string`, `list<string>`, `dyn`…); `string` for templates. */
  type: z.string(),
  /**
   * Live data to fetch (in an activity) before evaluating: queue names of `queue.ewt("…")` and calendar
   * names of `hours.open("…")`, sorted. Pass the values as `live` in the activation.
   */
  refs: z.object({ queues: z.array(z.string()), calendars: z.array(z.string()) }),
});
export type PlanExpression = z.infer<typeof planExpressionSchema>;

/** The loop bound of a node (see `PlanLoop`). */
export const planLoopBoundSchema = z.object({
  /** Runs allowed per contact; on the next entry the node does not run. */
  maxVisits: z.number().int().min(1),
  /** Port taken instead of running the node once `maxVisits` is reached. */
  exitPort: z.string(),
});
export type PlanLoopBound = z.infer<typeof planLoopBoundSchema>;

export const planNodeSchema = z.object({
  id: z.string(),
  type: z.enum(NODE_TYPES),
  typeVersion: z.number().int().min(1),
  /** The designer's label, or the id when there is none. */
  label: z.string(),
  /** The node's config with its type's defaults applied (see the node type's config schema). */
  config: z.record(z.string(), z.unknown()),
  /** Where each output port leads: port id → node id. Every port of the node is present. */
  next: z.record(z.string(), z.string()),
  /** Every CEL expression and template of `config`, keyed by JSON Pointer into the config (`/rules/0/condition`). */
  expressions: z.record(z.string(), planExpressionSchema),
  /** Whether the node durably waits (bot, wait, escalate, survey, subflow). */
  waits: z.boolean(),
  /** Present when the node bounds a loop (`maxVisits` in its config). */
  loop: planLoopBoundSchema.optional(),
});
export type PlanNode = z.infer<typeof planNodeSchema>;

export const planVariableSchema = z.object({
  name: z.string(),
  type: variableTypeSchema,
  /** Initial value of `ctx.<name>`: the declared default or the type's zero value. */
  initial: z.unknown(),
});
export type PlanVariable = z.infer<typeof planVariableSchema>;

/** A fork and the join where its branches meet. */
export const planParallelSchema = z.object({
  /** One per port of the parallel node, in the order of its config: the port and the first node of the branch. */
  branches: z.array(z.object({ port: z.string(), entry: z.string() })),
  join: z.string(),
  /** The join's mode: `all` | `any` | `first` (see the join node). */
  mode: z.enum(['all', 'any', 'first']),
});
export type PlanParallel = z.infer<typeof planParallelSchema>;

/**
 * A strongly connected part of the graph (a loop). The compiler guarantees every cycle in it passes
 * through a waiting node (`via`) and through a node with a loop bound (`bounds`); the interpreter counts
 * visits per node and enforces each node's `loop`.
 */
export const planLoopSchema = z.object({
  /** Nodes of the loop, sorted. */
  nodes: z.array(z.string()),
  /** Waiting nodes of the loop, sorted. */
  via: z.array(z.string()),
  /** The smallest `maxVisits` of the loop's bounded nodes: no node of the loop runs more than this many times per entry into a bounded node. */
  bound: z.number().int().min(1),
  /** Nodes of the loop with a bound, sorted. */
  boundedBy: z.array(z.string()),
});
export type PlanLoop = z.infer<typeof planLoopSchema>;

/** The flow's conversation guarantees as the runtime keeps them (see `flowGuaranteesSchema`). */
export const planGuaranteesSchema = z.object({
  escalation: z.object({
    /** The node the escape hatch leads to; absent when the flow has no human step to go to. */
    target: z.string().optional(),
    triggers: z.array(escalationTriggerKindSchema),
    /** A template. */
    message: z.string(),
    /** Steps that wait for the customer's words and honour the hatch (the others opted out, or are in a parallel branch). */
    nodes: z.array(z.string()),
  }),
  containment: z.object({ quietSeconds: z.number().int() }),
});
export type PlanGuarantees = z.infer<typeof planGuaranteesSchema>;

/**
 * An executable flow.
 *
 * - `nodes` holds only nodes reachable from `start`, keyed by id (keys sorted).
 * - `hash` is the SHA-256 (hex) of the canonical JSON (keys sorted, no whitespace) of the plan without
 *   `hash`; two documents that differ only in node/edge order, positions or edge ids have the same hash.
 * - Integers in expressions are CEL `int`s; the evaluator converts to and from JSON numbers.
 *
 * @example
 * ```ts
 * {
 *   schemaVersion: 1, flowId: 'support', name: 'Support', hash: '3f1c…', channels: ['chat'],
 *   variables: [{ name: 'attempts', type: 'int', initial: 0 }],
 *   start: 'start',
 *   nodes: {
 *     start: { id: 'start', type: 'start', typeVersion: 1, label: 'start', config: { channels: [] },
 *              next: { next: 'vip' }, expressions: {}, waits: false },
 *     vip: { id: 'vip', type: 'decision', typeVersion: 1, label: 'VIP?',
 *            config: { rules: [{ id: 'yes', condition: 'customer.tier == "vip"' }] },
 *            next: { yes: 'agent', default: 'bot' },
 *            expressions: { '/rules/0/condition': { source: 'customer.tier == "vip"', kind: 'expression',
 *                           type: 'bool', refs: { queues: [], calendars: [] } } },
 *            waits: false },
 *     …
 *   },
 *   parallels: {}, loops: [],
 * }
 * ```
 */
export const planSchema = z.object({
  schemaVersion: z.literal(1),
  flowId: z.string(),
  name: z.string(),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  channels: z.array(channelSchema),
  /** Declared variables, sorted by name. */
  variables: z.array(planVariableSchema),
  start: z.string(),
  nodes: z.record(z.string(), planNodeSchema),
  /** Keyed by the parallel node's id. */
  parallels: z.record(z.string(), planParallelSchema),
  /** Sorted by their first node id. */
  loops: z.array(planLoopSchema),
  guarantees: planGuaranteesSchema,
});
export type Plan = z.infer<typeof planSchema>;

/** The distinct outcomes of a plan's end nodes, sorted: the exits a subflow node calling it gets. */
export function planOutcomes(plan: Plan): string[] {
  const outcomes = new Set<string>();
  for (const node of Object.values(plan.nodes)) {
    if (node.type === 'end' && typeof node.config.outcome === 'string') outcomes.add(node.config.outcome);
  }
  return [...outcomes].sort();
}

/** The content hash of a plan: SHA-256 of its canonical JSON without the `hash` field. */
export function planHash(plan: Omit<Plan, 'hash'> & { hash?: string }): string {
  return contentHash(plan);
}

/**
 * Whether a plan still matches its hash: the worker checks it before running a plan it received, so a
 * plan edited after publishing is refused instead of silently running something nobody reviewed.
 */
export function verifyPlanHash(plan: Plan): boolean {
  return contentHash(plan) === plan.hash;
}
