import type { CustomActivityDescriptor } from '@tandem/activity-kit';
import { calendarSchema, NODE_TYPES, type NodeCatalogEntry, type NodeCategory } from '@tandem/flow';
import type { Distribution } from '@tandem/routing';
import { z } from 'zod';
import { isoDateTime, queueNameSchema, skillLevelsInputSchema, skillLevelsSchema } from './common';
import type { Assert, Same } from './same-type';

// ---- requests

/** Dotted lower case, as the activity kit requires: `orders.lookup`. */
const activityName = z.string().max(200).regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/, 'must be dotted lower case, e.g. "orders.lookup"');
/** Calendar names: what schedule nodes and queues reference. */
export const calendarNameSchema = z.string().max(100).regex(/^[a-z0-9][a-z0-9_.-]*$/, 'must be lower case letters, digits, "_", "-" or ".", e.g. "support-hours"');

const jsonSchemaObject = z.record(z.string(), z.unknown()).describe('A JSON Schema (draft 2020-12).');

/** An `@tandem/activity-kit` descriptor, as a worker registers it (`PUT /v1/catalog/activities/:name`). */
export const customActivityDescriptorSchema = z.strictObject({
  name: activityName,
  version: z.number().int().min(1).max(10_000),
  title: z.string().trim().min(1).max(200),
  description: z.string().trim().min(1).max(5_000),
  category: z.string().trim().min(1).max(100).default('Custom'),
  inputSchema: jsonSchemaObject,
  outputSchema: jsonSchemaObject,
  timeoutSeconds: z.number().gt(0).max(3_600),
  retry: z.strictObject({
    maximumAttempts: z.number().int().min(1).max(100),
    initialIntervalSeconds: z.number().gt(0).max(3_600),
    backoffCoefficient: z.number().min(1).max(10),
  }),
}) satisfies z.ZodType<CustomActivityDescriptor, unknown>;

/** `POST /v1/catalog/activities/register`: a worker's activities at once. */
export const registerActivitiesSchema = z.strictObject({ activities: z.array(customActivityDescriptorSchema).min(1).max(500) });

export const activityParamsSchema = z.strictObject({ name: activityName });

const distributionSchema = z.enum(['push', 'pull']);
type _DistributionIsRoutings = Assert<Same<z.output<typeof distributionSchema>, Distribution>>;

/** `PUT /v1/catalog/queues/:name` — routing's queue definition (the name is in the path). */
export const putQueueSchema = z.strictObject({
  description: z.string().max(2_000).optional(),
  skills: skillLevelsInputSchema.optional(),
  distribution: distributionSchema.optional().describe('Default pull.'),
  slaTargetSeconds: z.number().int().min(1).max(31_536_000).describe('Service-level target: answered within this many seconds.'),
  businessHours: calendarNameSchema.nullable().optional(),
  overflowQueue: queueNameSchema.nullable().optional().describe('Where items go after maxWaitSeconds (must exist).'),
  maxWaitSeconds: z.number().int().min(1).max(31_536_000).nullable().optional(),
  relaxation: z
    .array(
      z.strictObject({
        afterSeconds: z.number().int().min(1).max(31_536_000),
        skill: z.string().min(1).max(64),
        level: z.number().int().min(0).max(10).describe('0 drops the requirement.'),
      }),
    )
    .max(50)
    .optional(),
  offerTimeoutSeconds: z.number().int().min(1).max(3_600).optional().describe('Push: how long an agent has to accept (default 30).'),
  aging: z.strictObject({ perMinute: z.number().min(0).max(1000), cap: z.number().min(0).max(100_000) }).optional(),
});

export const queueParamsSchema = z.strictObject({ name: queueNameSchema });

export const calendarParamsSchema = z.strictObject({ name: calendarNameSchema });

/** The body of `PUT /v1/catalog/calendars/:name`: `@tandem/flow`'s calendar schema, as is. */
export const putCalendarSchema = calendarSchema;

// ---- responses

/** A registered activity as the catalog lists it: the newest version, and which versions exist. */
export const customActivitySchema = customActivityDescriptorSchema.extend({
  versions: z.array(z.number().int()).describe('Every registered version of this activity, newest first.'),
  registeredBy: z.string(),
  registeredAt: isoDateTime,
  updatedAt: isoDateTime,
});
export type CustomActivityView = z.output<typeof customActivitySchema>;

export const registrationResultSchema = z.object({
  name: z.string(),
  version: z.number().int(),
  status: z.enum(['created', 'updated', 'unchanged']),
});
export type RegistrationResult = z.output<typeof registrationResultSchema>;
export const registrationResultsSchema = z.object({ results: z.array(registrationResultSchema) });

/** A human queue: routing's definition, with ISO dates. */
export const queueSchema = z.object({
  name: z.string(),
  description: z.string(),
  skills: skillLevelsSchema.describe("Skills every item of the queue requires (merged with the escalation's own)."),
  distribution: distributionSchema.describe('push: offered to the longest-idle agent; pull: agents claim.'),
  slaTargetSeconds: z.number().int(),
  businessHours: z.string().nullable().describe('The calendar flows check before routing here.'),
  overflowQueue: z.string().nullable(),
  maxWaitSeconds: z.number().int().nullable(),
  relaxation: z.array(z.object({ afterSeconds: z.number().int(), skill: z.string(), level: z.number().int() })),
  offerTimeoutSeconds: z.number().int(),
  aging: z.object({ perMinute: z.number(), cap: z.number() }),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});
export type QueueView = z.output<typeof queueSchema>;

/** A named business-hours calendar. */
export const calendarViewSchema = z.object({ name: z.string(), calendar: calendarSchema, updatedAt: isoDateTime });
export type CalendarView = z.output<typeof calendarViewSchema>;

const jsonObject = z.record(z.string(), z.unknown());

const nodeCategorySchema = z.enum(['flow', 'conversation', 'logic', 'human', 'messaging', 'integration']);
type _NodeCategoryIsTheFlows = Assert<Same<z.output<typeof nodeCategorySchema>, NodeCategory>>;

/** A node type of the flow language (`@tandem/flow`'s `NodeCatalogEntry`; every version is listed). */
export const nodeTypeSchema = z.object({
  type: z.enum(NODE_TYPES),
  typeVersion: z.number().int(),
  title: z.string(),
  category: nodeCategorySchema.describe('The palette section.'),
  description: z.string(),
  hasInput: z.boolean().describe('Whether other nodes can connect into it (false for start).'),
  waits: z.boolean().describe('Whether it waits for a person or the customer (cycles must pass through one).'),
  ports: z
    .array(z.object({ id: z.string(), label: z.string(), description: z.string().optional() }))
    .nullable()
    .describe('Output ports, or null when they derive from the config (decision rules, parallel branches, subflow outcomes).'),
  configSchema: jsonObject.describe("JSON Schema of the node config, for the designer's forms."),
  docs: z.string(),
});
type _NodeTypeIsTheFlows = Assert<Same<z.output<typeof nodeTypeSchema>, NodeCatalogEntry>>;
export type NodeTypeView = z.output<typeof nodeTypeSchema>;

/** The CEL environment as the designer's expression editor needs it (autocompletion, hints). */
export const expressionEnvironmentSchema = z.object({
  language: z.literal('cel'),
  variables: z.array(
    z.object({
      name: z.string(),
      description: z.string(),
      fields: z.array(z.object({ name: z.string(), type: z.string(), description: z.string() })),
    }),
  ),
  flowVariables: z.object({ name: z.literal('ctx'), description: z.string(), types: z.array(z.string()) }),
});
export type ExpressionEnvironmentView = z.output<typeof expressionEnvironmentSchema>;

/** Everything the designer needs to draw a flow, in one response (`GET /v1/catalog`). */
export const catalogSchema = z.object({
  nodeTypes: z.array(nodeTypeSchema),
  expressions: expressionEnvironmentSchema,
  queues: z.array(queueSchema),
  activities: z.array(customActivitySchema),
  calendars: z.array(calendarViewSchema),
});
export type CatalogView = z.output<typeof catalogSchema>;
