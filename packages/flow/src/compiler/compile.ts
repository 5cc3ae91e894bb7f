/**
 * The compiler: flow document + resolver → plan, or diagnostics. Pure and synchronous; it never throws
 * (an unexpected failure becomes FLOW_INTERNAL_ERROR) and its output does not depend on the order of
 * nodes and edges in the document.
 */
import { type z } from 'zod';
import { diagnostic, type Diagnostic, type DiagnosticCode, sortDiagnostics } from '../diagnostics';
import { type FlowDocument, flowDocumentSchema, type FlowNode, type FlowVariable, type VariableType } from '../document';
import { checkExpression } from '../expressions/check';
import { environmentFor } from '../expressions/environment';
import { canonicalize, sha256Hex } from '../hash';
import { getNodeDefinition, latestNodeDefinition } from '../nodes';
import { type NodeContext, type NodeDefinition, type PortSpec, portsOf } from '../nodes/types';
import { type Plan, type PlanExpression, type PlanLoop, type PlanNode, type PlanParallel, type PlanVariable } from '../plan';
import { type FlowResolver } from '../resolver';
import { cyclicComponents, reachableFrom } from './graph';

/** What `compileFlow` returns: a plan (with warnings, if any) or the diagnostics that prevent one. */
export type CompileResult = { ok: true; plan: Plan; diagnostics: Diagnostic[] } | { ok: false; diagnostics: Diagnostic[] };

/** A node whose type and config are valid, with everything derived from its config. */
interface CompiledNode {
  node: FlowNode;
  definition: NodeDefinition;
  name: string;
  config: Record<string, unknown>;
  /** null: cannot be known (unknown subflow). */
  ports: PortSpec[] | null;
  expressions: Record<string, PlanExpression>;
  loop?: { maxVisits: number; exitPort: string };
}

const quote = (text: string): string => `'${text}'`;

/** RFC 6901 JSON Pointer of a config path. */
export function jsonPointer(path: readonly (string | number)[]): string {
  return path.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

function zeroValue(type: VariableType): unknown {
  switch (type) {
    case 'int':
    case 'double':
      return 0;
    case 'bool':
      return false;
    case 'string':
      return '';
    case 'map':
      return {};
    default:
      return [];
  }
}

function fitsType(value: unknown, type: VariableType): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'int':
      return typeof value === 'number' && Number.isSafeInteger(value);
    case 'double':
      return typeof value === 'number' && Number.isFinite(value);
    case 'bool':
      return typeof value === 'boolean';
    case 'list<string>':
      return Array.isArray(value) && value.every((v) => typeof v === 'string');
    case 'list<int>':
      return Array.isArray(value) && value.every((v) => typeof v === 'number' && Number.isSafeInteger(v));
    case 'list<double>':
      return Array.isArray(value) && value.every((v) => typeof v === 'number' && Number.isFinite(v));
    case 'map':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
  }
}

/** Drops `undefined` and makes the value plain JSON (what the plan carries). */
function plainJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function zodIssues(error: z.ZodError): { path: (string | number)[]; message: string }[] {
  return error.issues.map((issue) => ({ path: issue.path.filter((p): p is string | number => typeof p !== 'symbol'), message: issue.message }));
}

function describePath(path: readonly (string | number)[]): string {
  return path.length === 0 ? 'the settings' : path.map((p) => (typeof p === 'number' ? `#${p + 1}` : p)).join(' › ');
}

class Compilation {
  readonly diagnostics: Diagnostic[] = [];
  readonly compiled = new Map<string, CompiledNode>();
  /** First node of each id (duplicates are reported and ignored). */
  readonly nodesById = new Map<string, FlowNode>();
  /** source → port → targets (targets that exist). */
  readonly edgesFrom = new Map<string, Map<string, string[]>>();
  private readonly variables = new Map<string, VariableType>();

  constructor(
    private readonly document: FlowDocument,
    private readonly resolver: FlowResolver,
  ) {}

  private report(code: DiagnosticCode, message: string, where: Omit<Diagnostic, 'code' | 'severity' | 'message'> & { severity?: 'error' | 'warning' } = {}): void {
    this.diagnostics.push(diagnostic(code, message, where));
  }

  private nodeName(node: FlowNode): string {
    return node.label?.trim() ? node.label.trim() : node.id;
  }

  run(): CompileResult {
    const planVariables = this.checkVariables();
    this.checkNodes();
    this.checkEdges();
    const start = this.checkStart();
    this.checkPorts();
    const reachable = start ? this.checkReachability(start) : new Set<string>();
    const loops = this.checkCycles(reachable);
    const parallels = this.checkParallels();

    const diagnostics = sortDiagnostics(this.diagnostics);
    if (!start || diagnostics.some((d) => d.severity === 'error')) return { ok: false, diagnostics };
    return { ok: true, plan: this.buildPlan(start, reachable, planVariables, parallels, loops), diagnostics };
  }

  private checkVariables(): PlanVariable[] {
    const byName = new Map<string, FlowVariable>();
    this.document.variables.forEach((variable, i) => {
      if (byName.has(variable.name)) {
        this.report('FLOW_DUPLICATE_VARIABLE', `The variable "${variable.name}" is declared more than once`, { path: ['variables', i, 'name'] });
        return;
      }
      byName.set(variable.name, variable);
      this.variables.set(variable.name, variable.type);
      if (variable.default !== undefined && !fitsType(variable.default, variable.type)) {
        this.report('FLOW_VARIABLE_DEFAULT_INVALID', `The default value of "${variable.name}" is not of its type (${variable.type})`, {
          path: ['variables', i, 'default'],
        });
      }
    });
    return [...byName.values()]
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map((v) => ({ name: v.name, type: v.type, initial: plainJson(v.default !== undefined && fitsType(v.default, v.type) ? v.default : zeroValue(v.type)) }));
  }

  private context(node: FlowNode): NodeContext {
    return { variables: this.variables, resolver: this.resolver, nodeName: this.nodeName(node), flowId: this.document.id };
  }

  private checkNodes(): void {
    const counts = new Map<string, number>();
    for (const node of this.document.nodes) counts.set(node.id, (counts.get(node.id) ?? 0) + 1);
    const env = environmentFor([...this.variables].map(([name, type]) => ({ name, type })));

    for (const node of this.document.nodes) {
      if ((counts.get(node.id) ?? 0) > 1) {
        // Reported once per node carrying the id, so the designer highlights all of them.
        this.report('FLOW_DUPLICATE_NODE_ID', `${counts.get(node.id)} nodes have the id "${node.id}"; ids must be unique`, { nodeId: node.id });
      }
      if (this.nodesById.has(node.id)) continue;
      this.nodesById.set(node.id, node);
      const name = this.nodeName(node);

      const definition = getNodeDefinition(node.type, node.typeVersion);
      if (!definition) {
        const latest = latestNodeDefinition(node.type);
        if (latest) {
          this.report('FLOW_UNKNOWN_NODE_VERSION', `The ${quote(name)} node uses version ${node.typeVersion} of "${node.type}", which does not exist (latest: ${latest.typeVersion})`, {
            nodeId: node.id,
          });
        } else {
          this.report('FLOW_UNKNOWN_NODE_TYPE', `The ${quote(name)} node has the type "${node.type}", which Tandem does not know`, { nodeId: node.id });
        }
        continue;
      }

      const parsed = definition.configSchema.safeParse(node.config);
      if (!parsed.success) {
        for (const issue of zodIssues(parsed.error)) {
          this.report('FLOW_CONFIG_INVALID', `In the ${quote(name)} node, ${describePath(issue.path)}: ${issue.message}`, { nodeId: node.id, path: issue.path });
        }
        continue;
      }
      const config = parsed.data as Record<string, unknown>;
      const context = this.context(node);
      const ports = portsOf(definition, config, context);
      const compiled: CompiledNode = { node, definition, name, config, ports, expressions: {} };
      this.compiled.set(node.id, compiled);

      for (const site of definition.expressions?.(config, context) ?? []) {
        const check = checkExpression(env, site.source, site.kind, site.expect);
        for (const problem of check.problems) {
          this.report(problem.code, `In the ${quote(name)} node, the ${site.describe} ${problem.message}`, { nodeId: node.id, path: site.path, range: problem.range });
        }
        for (const queue of check.refs.queues) {
          if (!this.resolver.queue(queue)) {
            this.report('FLOW_UNKNOWN_QUEUE', `In the ${quote(name)} node, the ${site.describe} asks for the wait time of the queue "${queue}", which does not exist`, {
              nodeId: node.id,
              path: site.path,
              ...this.rangeOfLiteral(site.source, queue),
            });
          }
        }
        for (const calendar of check.refs.calendars) {
          if (!this.resolver.calendar(calendar)) {
            this.report('FLOW_UNKNOWN_CALENDAR', `In the ${quote(name)} node, the ${site.describe} checks the calendar "${calendar}", which does not exist`, {
              nodeId: node.id,
              path: site.path,
              ...this.rangeOfLiteral(site.source, calendar),
            });
          }
        }
        compiled.expressions[jsonPointer(site.path)] = { source: site.source, kind: site.kind, type: check.type ?? 'dyn', refs: check.refs };
      }

      for (const reference of definition.references?.(config) ?? []) {
        const known =
          reference.kind === 'queue'
            ? this.resolver.queue(reference.name)
            : reference.kind === 'activity'
              ? this.resolver.activity(reference.name)
              : reference.kind === 'subflow'
                ? this.resolver.subflow(reference.name)
                : this.resolver.calendar(reference.name);
        if (!known) {
          const code = ({ queue: 'FLOW_UNKNOWN_QUEUE', activity: 'FLOW_UNKNOWN_ACTIVITY', subflow: 'FLOW_UNKNOWN_SUBFLOW', calendar: 'FLOW_UNKNOWN_CALENDAR' } as const)[reference.kind];
          const what = { queue: 'queue', activity: 'custom activity', subflow: 'published flow', calendar: 'business-hours calendar' }[reference.kind];
          this.report(code, `The ${quote(name)} node uses the ${what} "${reference.name}", which does not exist`, { nodeId: node.id, path: reference.path });
        }
      }

      for (const write of definition.writes?.(config, context) ?? []) {
        const declared = this.variables.get(write.variable);
        if (!declared) {
          this.report('FLOW_UNKNOWN_VARIABLE', `The ${quote(name)} node stores into "${write.variable}", which the flow does not declare`, { nodeId: node.id, path: write.path });
        } else if (!write.accepts.includes(declared)) {
          this.report(
            'FLOW_VARIABLE_TYPE_MISMATCH',
            `The ${quote(name)} node stores ${write.accepts.join(' or ')} into "${write.variable}", which is declared as ${declared}`,
            { nodeId: node.id, path: write.path },
          );
        }
      }

      for (const issue of definition.validate?.(config, context) ?? []) {
        this.diagnostics.push(
          diagnostic(issue.code as DiagnosticCode, issue.message, { nodeId: node.id, ...(issue.path ? { path: issue.path } : {}), ...(issue.severity ? { severity: issue.severity } : {}) }),
        );
      }

      const maxVisits = config.maxVisits;
      if (typeof maxVisits === 'number') {
        const exitPort = definition.loopExitPort(config);
        if (ports !== null && (exitPort === undefined || !ports.some((p) => p.id === exitPort))) {
          this.report(
            'FLOW_LOOP_EXIT_UNKNOWN',
            exitPort === undefined
              ? `The ${quote(name)} node limits its visits but does not say which exit to take when the limit is reached (set onMaxVisits)`
              : `The ${quote(name)} node's loop exit "${exitPort}" is not one of its exits (${ports.map((p) => p.id).join(', ')})`,
            { nodeId: node.id, path: ['onMaxVisits'] },
          );
        } else if (exitPort !== undefined) {
          compiled.loop = { maxVisits, exitPort };
        }
      }
    }
  }

  private rangeOfLiteral(source: string, name: string): { range?: { start: number; end: number } } {
    for (const quoteChar of ['"', "'"]) {
      const at = source.indexOf(`${quoteChar}${name}${quoteChar}`);
      if (at !== -1) return { range: { start: at, end: at + name.length + 2 } };
    }
    return {};
  }

  private checkEdges(): void {
    const edgeIdCounts = new Map<string, number>();
    for (const edge of this.document.edges) edgeIdCounts.set(edge.id, (edgeIdCounts.get(edge.id) ?? 0) + 1);

    for (const edge of this.document.edges) {
      if ((edgeIdCounts.get(edge.id) ?? 0) > 1) {
        this.report('FLOW_DUPLICATE_EDGE_ID', `${edgeIdCounts.get(edge.id)} connections have the id "${edge.id}"; ids must be unique`, { edgeId: edge.id });
      }
      const source = this.nodesById.get(edge.source);
      const target = this.nodesById.get(edge.target);
      if (!source) {
        this.report('FLOW_EDGE_UNKNOWN_SOURCE', `A connection leaves from "${edge.source}", which is not a node of this flow`, { edgeId: edge.id });
      }
      if (!target) {
        this.report('FLOW_EDGE_UNKNOWN_TARGET', `A connection leads to "${edge.target}", which is not a node of this flow`, {
          edgeId: edge.id,
          ...(source ? { nodeId: source.id } : {}),
        });
      }
      if (!source || !target) continue;

      const targetDefinition = getNodeDefinition(target.type, target.typeVersion);
      if (targetDefinition && !targetDefinition.hasInput) {
        this.report('FLOW_EDGE_INTO_START', `A connection from ${quote(this.nodeName(source))} leads into the start node; nothing may connect into the start`, {
          edgeId: edge.id,
          nodeId: target.id,
        });
        continue;
      }

      const compiledSource = this.compiled.get(source.id);
      const ports = compiledSource?.ports;
      if (ports && !ports.some((p) => p.id === edge.sourcePort)) {
        this.report(
          'FLOW_EDGE_UNKNOWN_PORT',
          ports.length === 0
            ? `A connection leaves the ${quote(this.nodeName(source))} node, which has no exits`
            : `A connection leaves the ${quote(this.nodeName(source))} node from "${edge.sourcePort}", which is not one of its exits (${ports.map((p) => p.id).join(', ')})`,
          { edgeId: edge.id, nodeId: source.id },
        );
        continue;
      }
      let byPort = this.edgesFrom.get(source.id);
      if (!byPort) this.edgesFrom.set(source.id, (byPort = new Map<string, string[]>()));
      const targets = byPort.get(edge.sourcePort) ?? [];
      targets.push(target.id);
      byPort.set(edge.sourcePort, targets);
    }

    for (const [sourceId, byPort] of this.edgesFrom) {
      for (const [port, targets] of byPort) {
        if (targets.length > 1) {
          const source = this.nodesById.get(sourceId)!;
          for (const edge of this.document.edges.filter((e) => e.source === sourceId && e.sourcePort === port)) {
            this.report(
              'FLOW_PORT_MULTIPLE_EDGES',
              `The ${quote(this.nodeName(source))} node's ${quote(this.portLabel(sourceId, port))} exit has ${targets.length} connections; an exit leads to one node (use a parallel node to do several things at once)`,
              { nodeId: sourceId, edgeId: edge.id, path: ['ports', port] },
            );
          }
        }
      }
    }
  }

  private portLabel(nodeId: string, port: string): string {
    return this.compiled.get(nodeId)?.ports?.find((p) => p.id === port)?.label ?? port;
  }

  private checkStart(): string | undefined {
    const starts = [...this.nodesById.values()].filter((n) => n.type === 'start');
    if (starts.length === 0) {
      this.report('FLOW_NO_START', 'The flow has no start node: add one where contacts enter');
      return undefined;
    }
    if (starts.length > 1) {
      for (const start of starts) {
        this.report('FLOW_MULTIPLE_STARTS', `The flow has ${starts.length} start nodes; keep exactly one`, { nodeId: start.id });
      }
      return undefined;
    }
    const start = starts[0]!;
    const compiled = this.compiled.get(start.id);
    const channels = (compiled?.config.channels as string[] | undefined) ?? [];
    channels.forEach((channel, i) => {
      if (!this.document.channels.includes(channel as never)) {
        this.report('FLOW_CHANNEL_NOT_DECLARED', `The start accepts "${channel}", but the flow only declares ${this.document.channels.join(', ')}`, {
          nodeId: start.id,
          path: ['channels', i],
        });
      }
    });
    return start.id;
  }

  private checkPorts(): void {
    for (const compiled of this.compiled.values()) {
      for (const port of compiled.ports ?? []) {
        if (!this.edgesFrom.get(compiled.node.id)?.get(port.id)?.length) {
          this.report('FLOW_PORT_UNCONNECTED', `The ${quote(compiled.name)} node's ${quote(port.label)} exit is not connected to anything`, {
            nodeId: compiled.node.id,
            path: ['ports', port.id],
          });
        }
      }
    }
  }

  private successors = (nodeId: string): string[] => {
    const byPort = this.edgesFrom.get(nodeId);
    if (!byPort) return [];
    const result: string[] = [];
    for (const targets of byPort.values()) result.push(...targets);
    return result;
  };

  /**
   * Successors in id order. The parallel analysis walks branches and resolves nested parallels as it
   * meets them (memoized); walking in the document's edge order made what it reported depend on how
   * the document happened to list its edges.
   */
  private sortedSuccessors(nodeId: string): string[] {
    return this.successors(nodeId).sort();
  }

  private checkReachability(start: string): Set<string> {
    const reachable = reachableFrom(start, this.successors);
    for (const node of this.nodesById.values()) {
      if (!reachable.has(node.id)) {
        this.report('FLOW_NODE_UNREACHABLE', `No path from the start leads to the ${quote(this.nodeName(node))} node, so it never runs`, { nodeId: node.id });
      }
    }
    return reachable;
  }

  private names(ids: readonly string[]): string {
    const shown = ids.slice(0, 6).map((id) => quote(this.nodeName(this.nodesById.get(id)!)));
    return ids.length > 6 ? `${shown.join(', ')} and ${ids.length - 6} more` : shown.join(', ');
  }

  private checkCycles(reachable: Set<string>): PlanLoop[] {
    const ids = [...this.nodesById.keys()].sort();
    const waits = (id: string): boolean => this.compiled.get(id)?.definition.waits ?? true;
    const bounded = (id: string): boolean => this.compiled.get(id)?.loop !== undefined;
    // A node whose type or config is broken is already reported; treating it as waiting and bounded
    // keeps it from producing loop diagnostics of its own.
    const known = (id: string): boolean => this.compiled.has(id);

    for (const component of cyclicComponents(ids, this.successors, (id) => known(id) && !waits(id))) {
      this.report(
        'FLOW_CYCLE_WITHOUT_WAIT',
        `The loop through ${this.names(component)} never waits for the customer, an agent or a timer, so it would spin forever; route it through a bot, wait, escalate or survey node`,
        { nodeId: component[0]! },
      );
    }
    for (const component of cyclicComponents(ids, this.successors, (id) => known(id) && !bounded(id))) {
      this.report(
        'FLOW_CYCLE_UNBOUNDED',
        `The loop through ${this.names(component)} has no limit; set "maxVisits" on one of its nodes (e.g. allow the customer 3 tries)`,
        { nodeId: component[0]! },
      );
    }

    // Once its limit is reached a node no longer runs: the interpreter leaves through its loop exit.
    // With every limit reached, only those exits remain; if they still close a loop, the contact would
    // circle forever (and without waiting, since exhausted nodes do not run).
    const exitTarget = (id: string): string | undefined => {
      const loop = this.compiled.get(id)?.loop;
      return loop ? this.edgesFrom.get(id)?.get(loop.exitPort)?.[0] : undefined;
    };
    const afterLimits = (id: string): string[] => {
      if (!bounded(id)) return this.successors(id);
      const target = exitTarget(id);
      return target === undefined ? [] : [target];
    };
    for (const component of cyclicComponents(ids, afterLimits, known)) {
      const members = new Set(component);
      for (const id of component) {
        const target = exitTarget(id);
        if (target === undefined || !members.has(target)) continue;
        const compiled = this.compiled.get(id)!;
        this.report(
          'FLOW_LOOP_EXIT_INSIDE_LOOP',
          `When the ${quote(compiled.name)} node reaches its limit of ${compiled.loop!.maxVisits} visits it leaves through ${quote(this.portLabel(id, compiled.loop!.exitPort))}, which leads back into the loop; choose an exit that leaves it`,
          { nodeId: id, path: ['onMaxVisits'] },
        );
      }
    }

    return cyclicComponents(ids, this.successors, (id) => reachable.has(id))
      .map((nodes) => {
        const boundedBy = nodes.filter(bounded);
        return {
          nodes,
          via: nodes.filter((id) => this.compiled.get(id)?.definition.waits === true),
          bound: Math.min(...boundedBy.map((id) => this.compiled.get(id)!.loop!.maxVisits), Number.MAX_SAFE_INTEGER),
          boundedBy,
        };
      })
      .sort((a, b) => (a.nodes[0]! < b.nodes[0]! ? -1 : 1));
  }

  private checkParallels(): Record<string, PlanParallel> {
    const parallelIds = [...this.compiled.values()].filter((c) => c.definition.type === 'parallel').map((c) => c.node.id).sort();
    // Results that did not depend on the parallels being resolved around them (`clean`) are memoized
    // with their diagnostics; each parallel's diagnostics are reported once, from its own resolution,
    // so they do not depend on the order in which parallels are met.
    type Resolution = { join: string | null; diagnostics: Diagnostic[]; members: Set<string> };
    const resolved = new Map<string, Resolution>();
    const joinsSeen = new Set<string>();

    /** `members`: the nodes of the fork's branches, nested forks included, up to and including its join. */
    const resolve = (parallelId: string, inProgress: Set<string>): Resolution & { clean: boolean } => {
      const memo = resolved.get(parallelId);
      if (memo) return { ...memo, clean: true };
      // A fork reached again from inside its own branches: its branches loop without joining; the
      // fork's own resolution reports it.
      if (inProgress.has(parallelId)) return { join: null, diagnostics: [], members: new Set(), clean: false };
      inProgress.add(parallelId);
      let clean = true;
      const compiled = this.compiled.get(parallelId)!;
      const reached: { port: PortSpec; joins: Set<string>; escapes: Set<string>; indeterminate: boolean; nodes: Set<string> }[] = [];
      for (const port of compiled.ports ?? []) {
        const entry = this.edgesFrom.get(parallelId)?.get(port.id)?.[0];
        const seen = new Set<string>();
        const branch = { port, joins: new Set<string>(), escapes: new Set<string>(), indeterminate: entry === undefined, nodes: seen };
        reached.push(branch);
        if (entry === undefined) continue;
        const queue = [entry];
        while (queue.length > 0) {
          const id = queue.pop()!;
          if (seen.has(id)) continue;
          seen.add(id);
          const node = this.compiled.get(id);
          if (!node) {
            branch.indeterminate = true;
            continue;
          }
          const type = node.definition.type;
          if (type === 'join') {
            branch.joins.add(id);
            joinsSeen.add(id);
          } else if (id === parallelId || type === 'end') {
            branch.escapes.add(id);
          } else if (type === 'parallel') {
            const inner = resolve(id, inProgress);
            if (!inner.clean) clean = false;
            if (inner.join === null) branch.indeterminate = true;
            else {
              for (const member of inner.members) seen.add(member);
              queue.push(...this.sortedSuccessors(inner.join));
            }
          } else {
            queue.push(...this.sortedSuccessors(id));
          }
        }
      }
      inProgress.delete(parallelId);

      const diagnostics: Diagnostic[] = [];
      let failed = false;
      for (const branch of reached) {
        for (const escape of [...branch.escapes].sort()) {
          failed = true;
          diagnostics.push(
            diagnostic(
              'FLOW_PARALLEL_BRANCH_ESCAPES',
              escape === parallelId
                ? `The ${quote(branch.port.label)} branch of the ${quote(compiled.name)} parallel loops back to it before reaching a join`
                : `The ${quote(branch.port.label)} branch of the ${quote(compiled.name)} parallel can reach the end node ${quote(this.nodeName(this.nodesById.get(escape)!))} without meeting the other branches at a join`,
              { nodeId: parallelId, path: ['branches', branch.port.id] },
            ),
          );
        }
        if (!branch.indeterminate && branch.joins.size === 0 && branch.escapes.size === 0) {
          failed = true;
          diagnostics.push(
            diagnostic('FLOW_PARALLEL_NO_JOIN', `The ${quote(branch.port.label)} branch of the ${quote(compiled.name)} parallel never reaches a join node`, {
              nodeId: parallelId,
              path: ['branches', branch.port.id],
            }),
          );
        }
      }
      const joins = new Set(reached.flatMap((b) => [...b.joins]));
      if (joins.size > 1) {
        failed = true;
        diagnostics.push(
          diagnostic(
            'FLOW_PARALLEL_MULTIPLE_JOINS',
            `The branches of the ${quote(compiled.name)} parallel meet at different joins (${this.names([...joins].sort())}); they must all meet at one`,
            { nodeId: parallelId },
          ),
        );
      }
      const join = !failed && joins.size === 1 && !reached.some((b) => b.indeterminate) ? [...joins][0]! : null;
      // Nodes are separate per branch: a node two branches share would run twice, concurrently.
      const owner = new Map<string, string>();
      const shared = new Set<string>();
      for (const branch of reached) {
        for (const id of branch.nodes) {
          if (id === parallelId || branch.joins.has(id) || branch.escapes.has(id)) continue;
          const first = owner.get(id);
          if (first !== undefined && first !== branch.port.id) shared.add(id);
          else owner.set(id, branch.port.id);
        }
      }
      if (shared.size > 0) {
        diagnostics.push(
          diagnostic(
            'FLOW_PARALLEL_BRANCHES_SHARE_NODES',
            `Several branches of the ${quote(compiled.name)} parallel go through ${this.names([...shared].sort())}, which would then run once per branch at the same time; give each branch its own steps`,
            { nodeId: parallelId },
          ),
        );
      }
      const members = new Set<string>();
      if (join !== null && shared.size === 0) {
        for (const branch of reached) for (const id of branch.nodes) members.add(id);
        members.delete(parallelId);
      }
      const result = { join: shared.size === 0 ? join : null, diagnostics, members };
      if (clean) resolved.set(parallelId, result);
      return { ...result, clean };
    };

    const parallels: Record<string, PlanParallel> = {};
    const owners = new Map<string, string[]>();
    for (const id of parallelIds) {
      const { join, diagnostics, members } = resolve(id, new Set());
      this.diagnostics.push(...diagnostics);
      if (join === null) continue;
      // Only the fork may lead into its branches: a connection from elsewhere would run branch steps
      // outside the parallel, and the join would wait for branches that never started.
      for (const edge of this.document.edges) {
        if (members.has(edge.target) && edge.source !== id && !members.has(edge.source) && this.nodesById.has(edge.source)) {
          this.report(
            'FLOW_PARALLEL_ENTERED_FROM_OUTSIDE',
            `A connection from ${quote(this.nodeName(this.nodesById.get(edge.source)!))} leads into a branch of the ${quote(this.compiled.get(id)!.name)} parallel; only the parallel may start its branches`,
            { nodeId: edge.target, edgeId: edge.id },
          );
        }
      }
      owners.set(join, [...(owners.get(join) ?? []), id]);
      const compiled = this.compiled.get(id)!;
      parallels[id] = {
        branches: (compiled.ports ?? []).map((port) => ({ port: port.id, entry: this.edgesFrom.get(id)!.get(port.id)![0]! })),
        join,
        mode: (this.compiled.get(join)?.config.mode as PlanParallel['mode'] | undefined) ?? 'all',
      };
    }
    for (const [join, parallelsOfJoin] of owners) {
      if (parallelsOfJoin.length > 1) {
        this.report('FLOW_JOIN_SHARED', `The ${quote(this.nodeName(this.nodesById.get(join)!))} join is where ${this.names(parallelsOfJoin)} all meet; give each parallel its own join`, {
          nodeId: join,
        });
      }
    }
    for (const compiled of this.compiled.values()) {
      if (compiled.definition.type === 'join' && !joinsSeen.has(compiled.node.id)) {
        this.report('FLOW_JOIN_WITHOUT_PARALLEL', `No parallel's branches meet at the ${quote(compiled.name)} join; remove it or connect it after a parallel`, {
          nodeId: compiled.node.id,
        });
      }
    }
    return parallels;
  }

  private buildPlan(start: string, reachable: Set<string>, variables: PlanVariable[], parallels: Record<string, PlanParallel>, loops: PlanLoop[]): Plan {
    const nodes: Record<string, PlanNode> = {};
    for (const id of [...reachable].sort()) {
      const compiled = this.compiled.get(id)!;
      const next: Record<string, string> = {};
      for (const port of [...(compiled.ports ?? [])].sort((a, b) => (a.id < b.id ? -1 : 1))) {
        next[port.id] = this.edgesFrom.get(id)!.get(port.id)![0]!;
      }
      nodes[id] = {
        id,
        type: compiled.definition.type,
        typeVersion: compiled.definition.typeVersion,
        label: compiled.name,
        config: compiled.config,
        next,
        expressions: compiled.expressions,
        waits: compiled.definition.waits,
        ...(compiled.loop ? { loop: compiled.loop } : {}),
      };
    }
    const reachableParallels = Object.fromEntries(Object.entries(parallels).filter(([id]) => reachable.has(id)));
    const unhashed = {
      schemaVersion: 1 as const,
      flowId: this.document.id,
      name: this.document.name,
      channels: [...new Set(this.document.channels)].sort(),
      variables,
      start,
      nodes,
      parallels: reachableParallels,
      loops,
    };
    // Sorting keys both defines the hash input and normalizes the plan, so equal plans serialize
    // equally (planHash recomputes exactly this).
    const plan = canonicalize(unhashed);
    return { ...plan, hash: sha256Hex(JSON.stringify(plan)) };
  }
}

/**
 * Compiles a flow document into an executable plan.
 *
 * @param document - the document as saved (unknown input is validated; defaults are applied)
 * @param resolver - knows the queues, activities, subflows and calendars the flow may reference
 * @returns `{ ok: true, plan, diagnostics }` (diagnostics are warnings only) or `{ ok: false, diagnostics }`
 *
 * @example
 * ```ts
 * const result = compileFlow(document, createStaticResolver({ queues: ['billing'] }));
 * if (!result.ok) return showOnCanvas(result.diagnostics);
 * await publish(result.plan); // result.plan.hash identifies the version
 * ```
 */
export function compileFlow(document: unknown, resolver: FlowResolver): CompileResult {
  try {
    const parsed = flowDocumentSchema.safeParse(document);
    if (!parsed.success) return { ok: false, diagnostics: sortDiagnostics(documentDiagnostics(document, parsed.error)) };
    return new Compilation(parsed.data, resolver).run();
  } catch (error) {
    return {
      ok: false,
      diagnostics: [
        diagnostic('FLOW_INTERNAL_ERROR', `The flow could not be compiled because of an internal error: ${error instanceof Error ? error.message : String(error)}`),
      ],
    };
  }
}

/** Document-shape problems, pinned on the node or edge they are in when there is one. */
function documentDiagnostics(document: unknown, error: z.ZodError): Diagnostic[] {
  const record = typeof document === 'object' && document !== null ? (document as Record<string, unknown>) : {};
  return zodIssues(error).map((issue) => {
    const [collection, index, ...rest] = issue.path;
    const list = collection === 'nodes' || collection === 'edges' ? record[collection] : undefined;
    const item = Array.isArray(list) && typeof index === 'number' ? (list[index] as Record<string, unknown> | undefined) : undefined;
    const id = item && typeof item.id === 'string' ? item.id : undefined;
    const where = id === undefined ? {} : collection === 'nodes' ? { nodeId: id } : { edgeId: id };
    const label = id === undefined ? describePath(issue.path) : `${collection === 'nodes' ? 'node' : 'connection'} "${id}", ${describePath(rest)}`;
    return diagnostic('FLOW_DOCUMENT_INVALID', `The flow is malformed at ${label}: ${issue.message}`, { ...where, path: issue.path });
  });
}
