/**
 * The visual diff between two versions of a flow: the newer version's canvas with added, changed and
 * moved nodes highlighted, removed nodes shown as ghosts where they were, and connections marked the
 * same way. Built from the API's diff (`GET /v1/flows/:id/diff`) and the two documents.
 */
import type { FlowDiff, ValueChange } from '@tandem/api-contract';
import type { FlowDocument } from '@tandem/flow';
import { documentToGraph } from './document';
import type { DesignerEdge, DesignerNode } from './types';

export type DiffStatus = 'added' | 'removed' | 'changed' | 'moved' | 'unchanged';

export interface DiffView {
  nodes: DesignerNode[];
  edges: DesignerEdge[];
  nodeStatus: Record<string, DiffStatus>;
  edgeStatus: Record<string, DiffStatus>;
  /** Per changed node, the config paths that changed (for the tooltip / side list). */
  changes: Record<string, ValueChange[]>;
  summary: { added: number; removed: number; changed: number; moved: number; edgesAdded: number; edgesRemoved: number; edgesChanged: number };
}

/** Prefix of the ids of ghost nodes and edges, so they never collide with the newer version's ids. */
export const REMOVED_PREFIX = 'removed:';

/**
 * Merges two versions (and the API's `FlowDiff` between them) into one canvas: everything of `to`, plus what `from` had and `to` removed.
 * Every node and edge has a status the canvas colours by.
 */
export function buildDiffView(fromDoc: FlowDocument, toDoc: FlowDocument, diff: FlowDiff): DiffView {
  const to = documentToGraph(toDoc);
  const from = documentToGraph(fromDoc);
  const nodeStatus: Record<string, DiffStatus> = {};
  const edgeStatus: Record<string, DiffStatus> = {};
  const changes: DiffView['changes'] = {};
  for (const n of to.nodes) nodeStatus[n.id] = 'unchanged';
  for (const e of to.edges) edgeStatus[e.id] = 'unchanged';
  for (const n of diff.nodes.added) nodeStatus[n.id] = 'added';
  for (const id of diff.nodes.moved) nodeStatus[id] = 'moved';
  for (const n of diff.nodes.changed) {
    nodeStatus[n.id] = 'changed';
    changes[n.id] = n.changes;
  }
  for (const e of diff.edges.added) edgeStatus[e.id] = 'added';
  for (const e of diff.edges.changed) edgeStatus[e.id] = 'changed';

  const removedNodeIds = new Set(diff.nodes.removed.map((n) => n.id));
  const ghosts: DesignerNode[] = from.nodes
    .filter((n) => removedNodeIds.has(n.id))
    .map((n) => {
      const id = `${REMOVED_PREFIX}${n.id}`;
      nodeStatus[id] = 'removed';
      return { ...n, id, draggable: false, connectable: false, selectable: true };
    });
  const ghostId = (nodeId: string) => (removedNodeIds.has(nodeId) ? `${REMOVED_PREFIX}${nodeId}` : nodeId);
  const removedEdgeIds = new Set(diff.edges.removed.map((e) => e.id));
  const ghostEdges: DesignerEdge[] = from.edges
    .filter((e) => removedEdgeIds.has(e.id))
    .map((e) => {
      const id = `${REMOVED_PREFIX}${e.id}`;
      edgeStatus[id] = 'removed';
      return { ...e, id, source: ghostId(e.source), target: ghostId(e.target) };
    });
  const lock = (n: DesignerNode): DesignerNode => ({ ...n, draggable: false, connectable: false });
  return {
    nodes: [...to.nodes.map(lock), ...ghosts],
    edges: [...to.edges, ...ghostEdges],
    nodeStatus,
    edgeStatus,
    changes,
    summary: {
      added: diff.nodes.added.length,
      removed: diff.nodes.removed.length,
      changed: diff.nodes.changed.length,
      moved: diff.nodes.moved.length,
      edgesAdded: diff.edges.added.length,
      edgesRemoved: diff.edges.removed.length,
      edgesChanged: diff.edges.changed.length,
    },
  };
}
