/**
 * What the compiler's passes share while they check one document: the nodes, the connections between
 * them, the diagnostics found so far, and the naming helpers every message uses. Each pass
 * (variables, nodes, connections, reachability, loops, parallels) reads and adds to one `Compilation`.
 */
import { type z } from 'zod';
import { diagnostic, type Diagnostic, type DiagnosticCode } from '../diagnostics';
import { type FlowDocument, type FlowNode, type VariableType } from '../document';
import { type NodeContext, type NodeDefinition, type PortSpec } from '../nodes/types';
import { type PlanExpression } from '../plan';
import { type FlowResolver } from '../resolver';
import { plainMessage } from './plain-words';

/** A node whose type and config are valid, with everything derived from its config. */
export interface CompiledNode {
  node: FlowNode;
  definition: NodeDefinition;
  name: string;
  config: Record<string, unknown>;
  /** null: cannot be known (unknown subflow). */
  ports: PortSpec[] | null;
  expressions: Record<string, PlanExpression>;
  loop?: { maxVisits: number; exitPort: string };
}

export const quote = (text: string): string => `'${text}'`;

/** RFC 6901 JSON Pointer of a config path. */
export function jsonPointer(path: readonly (string | number)[]): string {
  return path.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

export function zodIssues(error: z.ZodError): { path: (string | number)[]; message: string }[] {
  return error.issues.map((issue) => ({ path: issue.path.filter((p): p is string | number => typeof p !== 'symbol'), message: plainMessage(issue) }));
}

/** A config or document path as people read it: `rules › #1 › condition`, `sla › target seconds`. */
export function describePath(path: readonly (string | number)[]): string {
  return path.length === 0 ? 'the settings' : path.map((p) => (typeof p === 'number' ? `#${p + 1}` : p.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase())).join(' › ');
}

export class Compilation {
  readonly diagnostics: Diagnostic[] = [];
  readonly compiled = new Map<string, CompiledNode>();
  /** First node of each id (duplicates are reported and ignored). */
  readonly nodesById = new Map<string, FlowNode>();
  /** source → port → targets (targets that exist). */
  readonly edgesFrom = new Map<string, Map<string, string[]>>();
  /** Declared variables and their types (the first declaration of each name). */
  readonly variables = new Map<string, VariableType>();

  constructor(
    readonly document: FlowDocument,
    readonly resolver: FlowResolver,
  ) {}

  report(code: DiagnosticCode, message: string, where: Omit<Diagnostic, 'code' | 'severity' | 'message'> & { severity?: 'error' | 'warning' } = {}): void {
    this.diagnostics.push(diagnostic(code, message, where));
  }

  nodeName(node: FlowNode): string {
    return node.label?.trim() ? node.label.trim() : node.id;
  }

  /** What a node definition's hooks get to know about the flow around the node. */
  context(node: FlowNode): NodeContext {
    return { variables: this.variables, resolver: this.resolver, nodeName: this.nodeName(node), flowId: this.document.id };
  }

  portLabel(nodeId: string, port: string): string {
    return this.compiled.get(nodeId)?.ports?.find((p) => p.id === port)?.label ?? port;
  }

  /** Names of nodes for a message: the first six, then how many more. */
  names(ids: readonly string[]): string {
    const shown = ids.slice(0, 6).map((id) => quote(this.nodeName(this.nodesById.get(id)!)));
    return ids.length > 6 ? `${shown.join(', ')} and ${ids.length - 6} more` : shown.join(', ');
  }

  readonly successors = (nodeId: string): string[] => {
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
  sortedSuccessors(nodeId: string): string[] {
    return this.successors(nodeId).sort();
  }
}
