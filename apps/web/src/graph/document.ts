/**
 * Flow document ⇄ canvas. The document is what the API stores and the compiler reads; the canvas
 * holds the same data as React Flow nodes and edges. Round-tripping is lossless for everything the
 * document defines (ids, types, versions, labels, configs, positions, ports).
 */
import type { FlowDocument, FlowEdge, FlowNode, NodeCategory } from '@tandem/flow';
import { flowGuaranteesSchema, getNodeDefinition } from '@tandem/flow';
import { type DesignerEdge, type DesignerNode, type FlowMeta, INPUT_HANDLE } from './types';

/** The palette category of a node type; unknown types are drawn as `flow` (and flagged by the compiler). */
export function categoryOf(nodeType: string, typeVersion: number): NodeCategory {
  return getNodeDefinition(nodeType, typeVersion)?.category ?? 'flow';
}

/** A document node as a canvas node. */
export function toDesignerNode(node: FlowNode): DesignerNode {
  return {
    id: node.id,
    type: categoryOf(node.type, node.typeVersion),
    position: { x: node.position.x, y: node.position.y },
    data: { nodeType: node.type, typeVersion: node.typeVersion, ...(node.label !== undefined ? { label: node.label } : {}), config: node.config },
  };
}

/** A document edge as a canvas edge (its port is the source handle). */
export function toDesignerEdge(edge: FlowEdge): DesignerEdge {
  return { id: edge.id, source: edge.source, sourceHandle: edge.sourcePort, target: edge.target, targetHandle: INPUT_HANDLE };
}

/**
 * Splits a document into its flow settings and the canvas graph.
 *
 * @example
 * ```ts
 * const { meta, nodes, edges } = documentToGraph(doc);
 * graphToDocument(meta, nodes, edges); // deep-equals doc
 * ```
 */
export function documentToGraph(doc: FlowDocument): { meta: FlowMeta; nodes: DesignerNode[]; edges: DesignerEdge[] } {
  return {
    meta: { id: doc.id, name: doc.name, description: doc.description, channels: [...doc.channels], variables: doc.variables.map((v) => ({ ...v })), guarantees: structuredClone((doc.guarantees as FlowDocument['guarantees'] | undefined) ?? flowGuaranteesSchema.parse({})), tests: structuredClone((doc.tests as FlowDocument['tests'] | undefined) ?? []) },
    nodes: doc.nodes.map(toDesignerNode),
    edges: doc.edges.map(toDesignerEdge),
  };
}

/** Rounds canvas coordinates: sub-pixel drags should not count as changes of the document. */
const roundPosition = (n: number) => Math.round(n * 10) / 10;

/** The flow document the canvas shows (what is saved, validated, exported). */
export function graphToDocument(meta: FlowMeta, nodes: readonly DesignerNode[], edges: readonly DesignerEdge[]): FlowDocument {
  return {
    schemaVersion: 1,
    id: meta.id,
    name: meta.name,
    description: meta.description,
    channels: [...meta.channels],
    variables: meta.variables.map((v) => ({ ...v })),
    nodes: nodes.map((n) => ({
      id: n.id,
      type: n.data.nodeType,
      typeVersion: n.data.typeVersion,
      position: { x: roundPosition(n.position.x), y: roundPosition(n.position.y) },
      ...(n.data.label !== undefined && n.data.label !== '' ? { label: n.data.label } : {}),
      config: n.data.config,
    })),
    edges: edges.map((e) => ({ id: e.id, source: e.source, sourcePort: e.sourceHandle ?? 'next', target: e.target })),
    guarantees: structuredClone(meta.guarantees),
    tests: structuredClone(meta.tests),
  };
}

/** A new, empty flow: a start node, so the designer has somewhere to begin. */
export function newFlowDocument(id: string, name: string): FlowDocument {
  return {
    schemaVersion: 1,
    id,
    name,
    description: '',
    channels: ['chat'],
    variables: [],
    nodes: [{ id: 'start', type: 'start', typeVersion: 1, position: { x: 0, y: 0 }, label: 'Contact arrives', config: {} }],
    edges: [],
    guarantees: flowGuaranteesSchema.parse({}),
    tests: [],
  };
}

/** A node id that is not taken yet, readable: `bot`, `bot-2`, `bot-3`… */
export function uniqueNodeId(base: string, taken: ReadonlySet<string>): string {
  const clean = base.replace(/[^A-Za-z0-9_.:-]/g, '-').replace(/^[^A-Za-z0-9]+/, '') || 'node';
  if (!taken.has(clean)) return clean;
  for (let i = 2; ; i++) {
    const candidate = `${clean}-${i}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** The id of an edge from an exit: one edge per exit, so the exit identifies it. */
export function edgeIdFor(source: string, sourcePort: string, target: string): string {
  return `${source}.${sourcePort}->${target}`.slice(0, 256);
}
