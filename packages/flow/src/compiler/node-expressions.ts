/**
 * The CEL expressions in a node's config: each is type-checked against the flow's variables, the
 * queues and calendars it names must exist (the diagnostic is pinned on the name inside the
 * expression), and the checked expression goes into the plan under its config path.
 */
import { type Environment } from '@marcbachmann/cel-js';
import { checkExpression } from '../expressions/check';
import { type NodeContext } from '../nodes/types';
import { type Compilation, type CompiledNode, jsonPointer, quote } from './compilation';

/** Where a quoted name stands in an expression's source, to pin a diagnostic on it. */
function rangeOfLiteral(source: string, name: string): { range?: { start: number; end: number } } {
  for (const quoteChar of ['"', "'"]) {
    const at = source.indexOf(`${quoteChar}${name}${quoteChar}`);
    if (at !== -1) return { range: { start: at, end: at + name.length + 2 } };
  }
  return {};
}

/** Checks the node's expressions and records them in `compiled.expressions`, by JSON Pointer. */
export function checkNodeExpressions(compilation: Compilation, compiled: CompiledNode, env: Environment, context: NodeContext): void {
  const { node, definition, name, config } = compiled;
  for (const site of definition.expressions?.(config, context) ?? []) {
    const check = checkExpression(env, site.source, site.kind, site.expect);
    for (const problem of check.problems) {
      compilation.report(problem.code, `In the ${quote(name)} step, the ${site.describe} ${problem.message}`, { nodeId: node.id, path: site.path, range: problem.range });
    }
    for (const queue of check.refs.queues) {
      if (!compilation.resolver.queue(queue)) {
        compilation.report('FLOW_UNKNOWN_QUEUE', `In the ${quote(name)} step, the ${site.describe} asks for the wait time of the queue "${queue}", which does not exist`, {
          nodeId: node.id,
          path: site.path,
          ...rangeOfLiteral(site.source, queue),
        });
      }
    }
    for (const calendar of check.refs.calendars) {
      if (!compilation.resolver.calendar(calendar)) {
        compilation.report('FLOW_UNKNOWN_CALENDAR', `In the ${quote(name)} step, the ${site.describe} checks the calendar "${calendar}", which does not exist`, {
          nodeId: node.id,
          path: site.path,
          ...rangeOfLiteral(site.source, calendar),
        });
      }
    }
    compiled.expressions[jsonPointer(site.path)] = { source: site.source, kind: site.kind, type: check.type ?? 'dyn', refs: check.refs };
  }
}
