import { z } from 'zod';
import { type ExpectedType } from '../expressions/types';
import { variableTypeSchema } from '../document';
import { celExpression, loopBound, nodeIdLike } from './common';
import { defineNode, type ExpressionSite, type NodeIssue } from './types';

export const subflowConfigSchema = z.strictObject({
  /** Id of the published flow to call. */
  flowId: nodeIdLike.describe('Id of the published flow to call.'),
  /** Values for the subflow's variables, one CEL expression each. */
  input: z.record(z.string(), celExpression('Value (CEL)')).default({}).describe('Values for the subflow\'s variables, one CEL expression each.'),
  ...loopBound,
});
export type SubflowConfig = z.infer<typeof subflowConfigSchema>;

function expectedOf(type: string | undefined): ExpectedType {
  const parsed = variableTypeSchema.safeParse(type);
  return parsed.success ? parsed.data : 'any';
}

/** Calls another published flow as a child workflow. */
export const subflowNode = defineNode({
  type: 'subflow',
  typeVersion: 1,
  title: 'Subflow',
  category: 'flow',
  description: 'Run another published flow and continue with its outcome.',
  hasInput: true,
  waits: true,
  configSchema: subflowConfigSchema,
  // One exit per outcome of the called flow; unknown flow: no ports can be known (reported separately).
  ports: (config, context) => context.resolver.subflow(config.flowId)?.outcomes.map((o) => ({ id: o, label: o })) ?? null,
  loopExitPort: (config) => config.onMaxVisits,
  expressions: (config, context) => {
    const inputs = new Map((context.resolver.subflow(config.flowId)?.inputs ?? []).map((i) => [i.name, i.type]));
    return Object.entries(config.input).map(
      ([name, source]): ExpressionSite => ({
        path: ['input', name],
        source,
        kind: 'expression',
        expect: expectedOf(inputs.get(name)),
        describe: `input "${name}" of subflow '${config.flowId}'`,
      }),
    );
  },
  references: (config) => [{ kind: 'subflow', name: config.flowId, path: ['flowId'] }],
  validate: (config, context) => {
    const issues: NodeIssue[] = [];
    if (config.flowId === context.flowId) {
      issues.push({ code: 'FLOW_SUBFLOW_RECURSIVE', path: ['flowId'], message: `The '${context.nodeName}' node calls the flow it belongs to, which would never end` });
    }
    const info = context.resolver.subflow(config.flowId);
    if (info?.inputs) {
      const known = new Set(info.inputs.map((i) => i.name));
      for (const name of Object.keys(config.input)) {
        if (!known.has(name)) {
          issues.push({
            code: 'FLOW_SUBFLOW_INPUT_UNKNOWN',
            path: ['input', name],
            message: `The flow '${config.flowId}' has no variable "${name}" to pass a value to`,
          });
        }
      }
    }
    return issues;
  },
  docs: 'Starts the published flow `flowId` as a child workflow with `input` (CEL per variable of the subflow) and waits for it. The node has one exit per outcome of the called flow (the outcomes of its end nodes). A flow may not call itself.',
});
