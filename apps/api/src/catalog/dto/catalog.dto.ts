import type { CustomActivityDescriptor } from '@tandem/activity-kit';
import { createZodDto } from 'nestjs-zod';
import { calendarSchema } from '@tandem/flow';
import { z } from 'zod';

/** Dotted lower case, as the activity kit requires: `orders.lookup`. */
const activityName = z.string().max(200).regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/, 'must be dotted lower case, e.g. "orders.lookup"');
/** Queue and calendar names: what flows reference and `queue.ewt("billing")` quotes. */
export const catalogName = z.string().max(100).regex(/^[a-z0-9][a-z0-9_.-]*$/, 'must be lower case letters, digits, "_", "-" or ".", e.g. "billing"');

const jsonSchemaObject = z.record(z.string(), z.unknown()).describe('A JSON Schema (draft 2020-12).');

/** An `@tandem/activity-kit` descriptor, as a worker registers it. */
export const customActivityDescriptorSchema = z
  .strictObject({
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
export class CustomActivityDescriptorDto extends createZodDto(customActivityDescriptorSchema) {}

export const registerActivitiesSchema = z
  .strictObject({ activities: z.array(customActivityDescriptorSchema).min(1).max(500) });
export class RegisterActivitiesDto extends createZodDto(registerActivitiesSchema) {}

export const customActivitySchema = customActivityDescriptorSchema
  .extend({
    versions: z.array(z.number().int()).describe('Every registered version of this activity, newest first.'),
    registeredBy: z.string(),
    registeredAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  });
export class CustomActivityDto extends createZodDto(customActivitySchema) {}

export const registrationResultSchema = z
  .object({
    name: z.string(),
    version: z.number().int(),
    status: z.enum(['created', 'updated', 'unchanged']),
  });
export const registrationResultsSchema = z.object({ results: z.array(registrationResultSchema) });
export class RegistrationResultDto extends createZodDto(registrationResultSchema) {}
export class RegistrationResultsDto extends createZodDto(registrationResultsSchema) {}

export const activityParamsSchema = z.strictObject({ name: activityName });
export class ActivityParamsDto extends createZodDto(activityParamsSchema) {}

const skillLevels = z
  .record(z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/i, 'a skill name: letters, digits, "_", "." or "-" (max 64)'), z.number().int().min(1).max(10))
  .describe('Skill → level (1 basic … 10 expert), e.g. {"billing": 2}.');
const queueName = z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,62}$/, 'a queue name: lowercase letters, digits, "_", "." or "-" (max 63)');
const relaxationStep = z.strictObject({
  afterSeconds: z.number().int().min(1).max(31_536_000),
  skill: z.string().min(1).max(64),
  level: z.number().int().min(0).max(10).describe('0 drops the requirement.'),
});
const aging = z.strictObject({ perMinute: z.number().min(0).max(1000), cap: z.number().min(0).max(100_000) });

/** A human queue: routing's definition (`@tandem/routing`). */
export const queueSchema = z.object({
  name: z.string(),
  description: z.string(),
  skills: z.record(z.string(), z.number().int()).describe('Skills every item of the queue requires (merged with the escalation\'s own).'),
  distribution: z.enum(['push', 'pull']).describe('push: offered to the longest-idle agent; pull: agents claim.'),
  slaTargetSeconds: z.number().int(),
  businessHours: z.string().nullable().describe('The calendar flows check before routing here.'),
  overflowQueue: z.string().nullable(),
  maxWaitSeconds: z.number().int().nullable(),
  relaxation: z.array(z.object({ afterSeconds: z.number().int(), skill: z.string(), level: z.number().int() })),
  offerTimeoutSeconds: z.number().int(),
  aging: z.object({ perMinute: z.number(), cap: z.number() }),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export class QueueDto extends createZodDto(queueSchema) {}

/** PUT /v1/catalog/queues/:name — routing's queue definition (the name is in the path). */
export const putQueueSchema = z.strictObject({
  description: z.string().max(2_000).optional(),
  skills: skillLevels.optional(),
  distribution: z.enum(['push', 'pull']).optional().describe('Default pull.'),
  slaTargetSeconds: z.number().int().min(1).max(31_536_000).describe('Service-level target: answered within this many seconds.'),
  businessHours: catalogNameRef().nullable().optional(),
  overflowQueue: queueName.nullable().optional().describe('Where items go after maxWaitSeconds (must exist).'),
  maxWaitSeconds: z.number().int().min(1).max(31_536_000).nullable().optional(),
  relaxation: z.array(relaxationStep).max(50).optional(),
  offerTimeoutSeconds: z.number().int().min(1).max(3_600).optional().describe('Push: how long an agent has to accept (default 30).'),
  aging: aging.optional(),
});
export class PutQueueDto extends createZodDto(putQueueSchema) {}

function catalogNameRef() {
  return z.string().max(100).regex(/^[a-z0-9][a-z0-9_.-]*$/, 'must be lower case letters, digits, "_", "-" or ".", e.g. "support-hours"');
}

export const queueParamsSchema = z.strictObject({ name: queueName });
export class QueueParamsDto extends createZodDto(queueParamsSchema) {}

export const calendarParamsSchema = z.strictObject({ name: catalogName });
export class CalendarParamsDto extends createZodDto(calendarParamsSchema) {}

/** The body of PUT /v1/catalog/calendars/:name: `@tandem/flow`'s calendar schema, as is. */
export class PutCalendarDto extends createZodDto(calendarSchema) {}

export const calendarViewSchema = z.object({ name: z.string(), calendar: calendarSchema, updatedAt: z.iso.datetime() });
export class CalendarDto extends createZodDto(calendarViewSchema) {}

const jsonObject = z.record(z.string(), z.unknown());
export const nodeTypeSchema = z.object({
  type: z.string(),
  typeVersion: z.number().int(),
  title: z.string(),
  category: z.string(),
  description: z.string(),
  hasInput: z.boolean().describe('Whether other nodes can connect into it (false for start).'),
  waits: z.boolean().describe('Whether it waits for a person or the customer (cycles must pass through one).'),
  ports: z
    .array(z.object({ id: z.string(), label: z.string(), description: z.string().optional() }))
    .nullable()
    .describe('Output ports, or null when they derive from the config (decision rules, parallel branches, subflow outcomes).'),
  configSchema: jsonObject.describe('JSON Schema of the node config, for the designer\'s forms.'),
  docs: z.string(),
});
export class NodeTypeDto extends createZodDto(nodeTypeSchema) {}

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
export class ExpressionEnvironmentDto extends createZodDto(expressionEnvironmentSchema) {}

export const catalogSchema = z.object({
  nodeTypes: z.array(nodeTypeSchema),
  expressions: expressionEnvironmentSchema,
  queues: z.array(queueSchema),
  activities: z.array(customActivitySchema),
  calendars: z.array(calendarViewSchema),
});
export class CatalogDto extends createZodDto(catalogSchema) {}
