/**
 * A node's exits (output ports): fixed by its type, or derived from its config (one per decision rule,
 * parallel branch or subflow outcome). Uses the same node definitions as the compiler, so the canvas
 * shows exactly the exits edges may leave from.
 */
import { createStaticResolver, type FlowResolver, getNodeDefinition, type NodeContext, type PortSpec, portsOf, type SubflowInfo } from '@tandem/flow';
import type { CatalogView } from '@tandem/api-contract';
import type { DesignerNodeData } from './types';

/** What derived exits may depend on besides the node's own config. */
export interface PortContext {
  resolver: FlowResolver;
  flowId: string;
}

/** Builds the port context from the catalog (queues, activities, calendars) and known subflows. */
export function portContextFrom(catalog: Pick<CatalogView, 'queues' | 'activities' | 'calendars'> | null, flowId: string, subflows: readonly SubflowInfo[] = []): PortContext {
  return {
    flowId,
    resolver: createStaticResolver({
      queues: (catalog?.queues ?? []).map((q) => q.name),
      activities: (catalog?.activities ?? []).map((a) => ({ name: a.name, inputSchema: a.inputSchema as never })),
      calendars: (catalog?.calendars ?? []).map((c) => c.name),
      subflows,
    }),
  };
}

const EMPTY_CONTEXT: PortContext = { flowId: 'flow', resolver: createStaticResolver() };

/** Ids that make valid handles and edges: what the document accepts as a port id. */
function usablePorts(ports: unknown): PortSpec[] {
  if (!Array.isArray(ports)) return [];
  const seen = new Set<string>();
  const result: PortSpec[] = [];
  for (const p of ports as Partial<PortSpec>[]) {
    if (typeof p?.id !== 'string' || p.id.length === 0 || seen.has(p.id)) continue;
    seen.add(p.id);
    result.push({ id: p.id, label: typeof p.label === 'string' && p.label ? p.label : p.id, ...(p.description ? { description: p.description } : {}) });
  }
  return result;
}

/**
 * The exits of a node with its current config. While a config is half-typed (a decision rule without
 * a condition yet), its exits are still derived from what is there, so connections do not flicker away
 * while the designer edits; an unknown node type has no exits.
 *
 * @example
 * ```ts
 * portsForNode({ nodeType: 'decision', typeVersion: 1, config: { rules: [{ id: 'vip', condition: '' }] } });
 * // → [{ id: 'vip', label: 'vip' }, { id: 'default', label: 'Otherwise' }]
 * ```
 */
export function portsForNode(data: Pick<DesignerNodeData, 'nodeType' | 'typeVersion' | 'config' | 'label'>, context: PortContext = EMPTY_CONTEXT): PortSpec[] {
  // Configs are immutable (an edit makes a new object), so the exits of one config object in one
  // context never change: remember them. Rendering, connection checks and layout ask often.
  const cached = portCache.get(data.config);
  if (cached && cached.context === context && cached.nodeType === data.nodeType && cached.typeVersion === data.typeVersion) return cached.ports;
  const ports = derivePorts(data, context);
  portCache.set(data.config, { context, nodeType: data.nodeType, typeVersion: data.typeVersion, ports });
  return ports;
}

const portCache = new WeakMap<object, { context: PortContext; nodeType: string; typeVersion: number; ports: PortSpec[] }>();

function derivePorts(data: Pick<DesignerNodeData, 'nodeType' | 'typeVersion' | 'config' | 'label'>, context: PortContext): PortSpec[] {
  const definition = getNodeDefinition(data.nodeType, data.typeVersion);
  if (!definition) return [];
  if (typeof definition.ports !== 'function') return [...definition.ports];
  const nodeContext: NodeContext = { variables: new Map(), resolver: context.resolver, nodeName: data.label ?? data.nodeType, flowId: context.flowId };
  const parsed = definition.configSchema.safeParse(data.config);
  try {
    if (parsed.success) return usablePorts(portsOf(definition, parsed.data, nodeContext));
    // Half-edited config: derive from the raw values, keeping only well-formed exits.
    return usablePorts(portsOf(definition, withListsPresent(data.config), nodeContext));
  } catch {
    return [];
  }
}

/** Raw configs may lack the lists derived ports map over; give them empty ones. */
function withListsPresent(config: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...config };
  for (const key of ['rules', 'branches']) {
    const value = copy[key];
    copy[key] = Array.isArray(value) ? value.filter((item) => typeof item === 'object' && item !== null) : [];
  }
  return copy;
}

/** Whether a node type accepts incoming connections (every type but `start`). */
export function hasInput(nodeType: string, typeVersion: number): boolean {
  return getNodeDefinition(nodeType, typeVersion)?.hasInput ?? true;
}
