/**
 * Each node on its own: a unique id, a known type and version, a valid config, the queues, activities,
 * subflows and calendars it uses, the variables it stores into, its definition's own checks and its
 * visit limit. Nodes that pass become `CompiledNode`s, which the later passes work on.
 */
import { diagnostic, type DiagnosticCode } from '../diagnostics';
import { environmentFor } from '../expressions/environment';
import { getNodeDefinition, latestNodeDefinition } from '../nodes';
import { type NodeContext, portsOf } from '../nodes/types';
import { type Compilation, type CompiledNode, describePath, quote, zodIssues } from './compilation';
import { checkNodeExpressions } from './node-expressions';

/** Checks every node (the first of each id) and records the valid ones in `compilation.compiled`. */
export function checkNodes(compilation: Compilation): void {
  const counts = new Map<string, number>();
  for (const node of compilation.document.nodes) counts.set(node.id, (counts.get(node.id) ?? 0) + 1);
  const env = environmentFor([...compilation.variables].map(([name, type]) => ({ name, type })));

  for (const node of compilation.document.nodes) {
    if ((counts.get(node.id) ?? 0) > 1) {
      // Reported once per node carrying the id, so the designer highlights all of them.
      compilation.report('FLOW_DUPLICATE_NODE_ID', `${counts.get(node.id)} nodes have the id "${node.id}"; ids must be unique`, { nodeId: node.id });
    }
    if (compilation.nodesById.has(node.id)) continue;
    compilation.nodesById.set(node.id, node);
    const name = compilation.nodeName(node);

    const definition = getNodeDefinition(node.type, node.typeVersion);
    if (!definition) {
      const latest = latestNodeDefinition(node.type);
      if (latest) {
        compilation.report('FLOW_UNKNOWN_NODE_VERSION', `The ${quote(name)} step uses version ${node.typeVersion} of "${node.type}", which does not exist (latest: ${latest.typeVersion})`, {
          nodeId: node.id,
        });
      } else {
        compilation.report('FLOW_UNKNOWN_NODE_TYPE', `The ${quote(name)} step has the type "${node.type}", which Tandem does not know`, { nodeId: node.id });
      }
      continue;
    }

    const parsed = definition.configSchema.safeParse(node.config);
    if (!parsed.success) {
      for (const issue of zodIssues(parsed.error)) {
        compilation.report('FLOW_CONFIG_INVALID', `In the ${quote(name)} step, ${describePath(issue.path)}: ${issue.message}`, { nodeId: node.id, path: issue.path });
      }
      continue;
    }
    const config = parsed.data as Record<string, unknown>;
    const context = compilation.context(node);
    const ports = portsOf(definition, config, context);
    const compiled: CompiledNode = { node, definition, name, config, ports, expressions: {} };
    compilation.compiled.set(node.id, compiled);

    checkNodeExpressions(compilation, compiled, env, context);
    checkReferences(compilation, compiled);
    checkWrites(compilation, compiled, context);
    for (const issue of definition.validate?.(config, context) ?? []) {
      compilation.diagnostics.push(
        diagnostic(issue.code as DiagnosticCode, issue.message, { nodeId: node.id, ...(issue.path ? { path: issue.path } : {}), ...(issue.severity ? { severity: issue.severity } : {}) }),
      );
    }
    checkVisitLimit(compilation, compiled);
  }
}

/** The queues, custom activities, published flows and calendars the node names must exist. */
function checkReferences(compilation: Compilation, { node, definition, name, config }: CompiledNode): void {
  const { resolver } = compilation;
  for (const reference of definition.references?.(config) ?? []) {
    const known =
      reference.kind === 'queue'
        ? resolver.queue(reference.name)
        : reference.kind === 'activity'
          ? resolver.activity(reference.name)
          : reference.kind === 'subflow'
            ? resolver.subflow(reference.name)
            : resolver.calendar(reference.name);
    if (!known) {
      const code = ({ queue: 'FLOW_UNKNOWN_QUEUE', activity: 'FLOW_UNKNOWN_ACTIVITY', subflow: 'FLOW_UNKNOWN_SUBFLOW', calendar: 'FLOW_UNKNOWN_CALENDAR' } as const)[reference.kind];
      const what = { queue: 'queue', activity: 'custom activity', subflow: 'published flow', calendar: 'business-hours calendar' }[reference.kind];
      compilation.report(code, `The ${quote(name)} step uses the ${what} "${reference.name}", which does not exist`, { nodeId: node.id, path: reference.path });
    }
  }
}

/** A node stores only into declared variables of a type it can produce. */
function checkWrites(compilation: Compilation, { node, definition, name, config }: CompiledNode, context: NodeContext): void {
  for (const write of definition.writes?.(config, context) ?? []) {
    const declared = compilation.variables.get(write.variable);
    if (!declared) {
      compilation.report('FLOW_UNKNOWN_VARIABLE', `The ${quote(name)} step stores into "${write.variable}", which the flow does not declare`, { nodeId: node.id, path: write.path });
    } else if (!write.accepts.includes(declared)) {
      compilation.report(
        'FLOW_VARIABLE_TYPE_MISMATCH',
        `The ${quote(name)} step stores ${write.accepts.join(' or ')} into "${write.variable}", which is declared as ${declared}`,
        { nodeId: node.id, path: write.path },
      );
    }
  }
}

/** A node with `maxVisits` names one of its exits to leave through at the limit; it becomes `compiled.loop`. */
function checkVisitLimit(compilation: Compilation, compiled: CompiledNode): void {
  const { node, definition, name, config, ports } = compiled;
  const maxVisits = config.maxVisits;
  if (typeof maxVisits !== 'number') return;
  const exitPort = definition.loopExitPort(config);
  if (ports !== null && (exitPort === undefined || !ports.some((p) => p.id === exitPort))) {
    compilation.report(
      'FLOW_LOOP_EXIT_UNKNOWN',
      exitPort === undefined
        ? `The ${quote(name)} step limits its visits but does not say which exit to take when the limit is reached (set onMaxVisits)`
        : `The ${quote(name)} step's loop exit "${exitPort}" is not one of its exits (${ports.map((p) => p.id).join(', ')})`,
      { nodeId: node.id, path: ['onMaxVisits'] },
    );
  } else if (exitPort !== undefined) {
    compiled.loop = { maxVisits, exitPort };
  }
}
