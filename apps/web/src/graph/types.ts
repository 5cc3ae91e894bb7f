/**
 * The designer's view of a flow: React Flow nodes and edges carrying the flow document's data. Only
 * types are imported from React Flow, so the graph modules stay framework-free and unit-testable.
 */
import type { Channel } from '@tandem/contracts';
import type { FlowVariable, NodeCatalogEntry, NodeCategory, PortSpec } from '@tandem/flow';
import type { Edge, Node } from '@xyflow/react';

/** What a canvas node carries: the flow document's node, minus its id and position. */
export interface DesignerNodeData extends Record<string, unknown> {
  /** The node type of the flow language (`bot`, `decision`…). */
  nodeType: string;
  typeVersion: number;
  label?: string;
  config: Record<string, unknown>;
}

/**
 * A canvas node. Its React Flow `type` is the palette category, so one custom component draws each
 * category (colour, icon) whatever the node type.
 */
export type DesignerNode = Node<DesignerNodeData, NodeCategory>;

/** A connection from an exit (`sourceHandle`, the document's `sourcePort`) to a node's input. */
export type DesignerEdge = Edge<Record<string, unknown>>;

/** The flow-level fields of the document (everything but nodes and edges). */
export interface FlowMeta {
  id: string;
  name: string;
  description: string;
  channels: Channel[];
  variables: FlowVariable[];
}

/** The expression environment as `/v1/catalog/expressions` serves it (autocompletion, hints). */
export interface ExpressionEnvironmentView {
  language: 'cel';
  variables: { name: string; description: string; fields: { name: string; type: string; description: string }[] }[];
  flowVariables: { name: 'ctx'; description: string; types: string[] };
}

/** A custom activity registered by a worker, as the catalog lists it. */
export interface CatalogActivity {
  name: string;
  version?: number;
  title?: string;
  description?: string;
  category?: string;
  inputSchema: Record<string, unknown>;
  outputSchema?: Record<string, unknown>;
}

/** Everything the designer needs to draw a flow (`GET /v1/catalog`). */
export interface Catalog {
  nodeTypes: NodeCatalogEntry[];
  expressions: ExpressionEnvironmentView;
  queues: { name: string; description?: string | null }[];
  activities: CatalogActivity[];
  calendars: { name: string }[];
}

/** The id of a node's single input handle. */
export const INPUT_HANDLE = 'in';

export type { NodeCatalogEntry, NodeCategory, PortSpec };
