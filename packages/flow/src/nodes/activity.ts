import { z } from 'zod';
import { type ExpectedType } from '../expressions/types';
import { type JsonSchemaObject } from '../resolver';
import { celExpression, loopBound, resourceName, seconds, variableName } from './common';
import { defineNode, type ExpressionSite, type NodeIssue } from './types';

export const activityConfigSchema = z.strictObject({
  /** Name of a custom activity registered with the activity kit. */
  activity: resourceName.describe('Name of a custom activity registered with the activity kit.'),
  /** One CEL expression per input field of the activity. */
  input: z.record(z.string(), celExpression('Value (CEL)')).default({}).describe('One CEL expression per input field of the activity.'),
  /** Flow variable (map) that receives the activity's output. */
  saveOutputAs: variableName.optional().describe('Flow variable (map) that receives the activity\'s output.'),
  timeoutSeconds: seconds().default(30),
  retry: z.strictObject({ maximumAttempts: z.number().int().min(1).max(20).default(3) }).default({ maximumAttempts: 3 }).describe('Attempts before leaving through `error`'),
  ...loopBound,
});
export type ActivityConfig = z.infer<typeof activityConfigSchema>;

/** The expression type a JSON Schema property calls for, when it can be known. */
export function expectedTypeOfJsonSchema(schema: JsonSchemaObject | undefined): ExpectedType {
  const type = schema?.type;
  if (typeof type !== 'string') return 'any';
  switch (type) {
    case 'string':
      return 'string';
    case 'integer':
      return 'int';
    case 'number':
      return 'number';
    case 'boolean':
      return 'bool';
    case 'object':
      return 'map';
    case 'array': {
      const item = schema?.items?.type;
      if (item === 'string') return 'list<string>';
      if (item === 'integer') return 'list<int>';
      if (item === 'number') return 'list<double>';
      return 'list';
    }
    default:
      return 'any';
  }
}

/** Calls a custom activity with CEL-mapped input. */
export const activityNode = defineNode({
  type: 'activity',
  typeVersion: 1,
  title: 'Custom activity',
  category: 'integration',
  description: 'Call a custom activity (CRM lookup, order status, refund…) with input mapped from the conversation.',
  hasInput: true,
  waits: false,
  configSchema: activityConfigSchema,
  ports: [
    { id: 'success', label: 'Success' },
    { id: 'error', label: 'Error', description: 'It failed after all retries, or timed out.' },
  ],
  loopExitPort: (config) => config.onMaxVisits ?? 'error',
  expressions: (config, context) => {
    const properties = context.resolver.activity(config.activity)?.inputSchema.properties ?? {};
    return Object.entries(config.input).map(
      ([field, source]): ExpressionSite => ({
        path: ['input', field],
        source,
        kind: 'expression',
        expect: expectedTypeOfJsonSchema(properties[field]),
        describe: `input "${field}" of activity '${config.activity}'`,
      }),
    );
  },
  references: (config) => [{ kind: 'activity', name: config.activity, path: ['activity'] }],
  writes: (config) => (config.saveOutputAs === undefined ? [] : [{ variable: config.saveOutputAs, path: ['saveOutputAs'], accepts: ['map'] }]),
  validate: (config, context) => {
    const activity = context.resolver.activity(config.activity);
    if (!activity) return [];
    const issues: NodeIssue[] = [];
    const properties = activity.inputSchema.properties;
    if (properties) {
      for (const field of Object.keys(config.input)) {
        if (!(field in properties)) {
          issues.push({
            code: 'FLOW_ACTIVITY_INPUT_UNKNOWN',
            path: ['input', field],
            message: `The activity '${config.activity}' has no input called "${field}" (it takes: ${Object.keys(properties).join(', ') || 'nothing'})`,
          });
        }
      }
    }
    for (const field of activity.inputSchema.required ?? []) {
      if (!(field in config.input)) {
        issues.push({
          code: 'FLOW_ACTIVITY_INPUT_MISSING',
          path: ['input'],
          message: `The activity '${config.activity}' needs the input "${field}", but the '${context.nodeName}' node does not provide it`,
        });
      }
    }
    return issues;
  },
  docs: 'Runs the custom activity `activity` (from the activity kit) with `input`: one CEL expression per input field, checked against the activity’s input schema (the field exists, required fields are mapped, the types fit). Leaves through `success` (output stored in `saveOutputAs`, a map variable) or `error` after `retry.maximumAttempts` attempts or `timeoutSeconds`.',
});
