/**
 * The designer's view of a flow: React Flow nodes and edges carrying the flow document's data. Only
 * types are imported from React Flow, so the graph modules stay framework-free and unit-testable.
 */
import type { Channel } from '@tandem/contracts';
import type { FlowGuarantees, FlowTest, FlowVariable, NodeCatalogEntry, NodeCategory, PortSpec } from '@tandem/flow';
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
  /** The conversation guarantees' settings (escape hatch, containment), kept as the document has them. */
  guarantees: FlowGuarantees;
  /** The flow's test conversations (the Tests tab), versioned with the flow. */
  tests: FlowTest[];
}

/** The id of a node's single input handle. */
export const INPUT_HANDLE = 'in';

export type { NodeCatalogEntry, NodeCategory, PortSpec };
