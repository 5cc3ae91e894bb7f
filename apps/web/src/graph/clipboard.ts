/**
 * Copy / paste of a selection. A fragment carries the selected nodes and the connections between
 * them; pasting gives every node a fresh id, remaps the connections, and offsets positions so the
 * copy does not hide the original. Fragments are plain JSON, so they travel through the system
 * clipboard between tabs and flows.
 */
import { edgeIdFor, uniqueNodeId } from './document';
import { type DesignerEdge, type DesignerNode, INPUT_HANDLE } from './types';

/** A copied part of a flow. */
export interface ClipboardFragment {
  format: 'tandem.fragment';
  version: 1;
  nodes: { id: string; nodeType: string; typeVersion: number; label?: string; config: Record<string, unknown>; position: { x: number; y: number } }[];
  edges: { source: string; sourcePort: string; target: string }[];
}

/**
 * The selected nodes and the connections among them. Connections to nodes outside the selection are
 * left behind (the pasted copy is not wired into the rest of the flow). Returns null for an empty
 * selection.
 */
export function copySelection(nodes: readonly DesignerNode[], edges: readonly DesignerEdge[], selectedIds: ReadonlySet<string>): ClipboardFragment | null {
  const picked = nodes.filter((n) => selectedIds.has(n.id));
  if (picked.length === 0) return null;
  return {
    format: 'tandem.fragment',
    version: 1,
    nodes: picked.map((n) => ({
      id: n.id,
      nodeType: n.data.nodeType,
      typeVersion: n.data.typeVersion,
      ...(n.data.label !== undefined ? { label: n.data.label } : {}),
      config: structuredClone(n.data.config),
      position: { ...n.position },
    })),
    edges: edges
      .filter((e) => selectedIds.has(e.source) && selectedIds.has(e.target))
      .map((e) => ({ source: e.source, sourcePort: e.sourceHandle ?? 'next', target: e.target })),
  };
}

/** Reads a fragment from clipboard text; null when the text is not one. */
export function parseFragment(text: string): ClipboardFragment | null {
  try {
    const value = JSON.parse(text) as Partial<ClipboardFragment>;
    if (value?.format !== 'tandem.fragment' || !Array.isArray(value.nodes) || !Array.isArray(value.edges)) return null;
    return value as ClipboardFragment;
  } catch {
    return null;
  }
}

/**
 * Nodes and edges to add for a paste: fresh ids (never colliding with `existingIds` nor each other),
 * connections remapped to the new ids, positions shifted by `offset`, and only the pasted nodes
 * selected. `categoryOf` maps a node type to its canvas component.
 */
export function pasteFragment(
  fragment: ClipboardFragment,
  existingIds: ReadonlySet<string>,
  categoryOf: (nodeType: string, typeVersion: number) => DesignerNode['type'],
  offset: { x: number; y: number } = { x: 40, y: 40 },
): { nodes: DesignerNode[]; edges: DesignerEdge[]; idMap: Map<string, string> } {
  const taken = new Set(existingIds);
  const idMap = new Map<string, string>();
  const nodes: DesignerNode[] = fragment.nodes.map((n) => {
    const id = uniqueNodeId(n.id, taken);
    taken.add(id);
    idMap.set(n.id, id);
    return {
      id,
      type: categoryOf(n.nodeType, n.typeVersion),
      position: { x: n.position.x + offset.x, y: n.position.y + offset.y },
      selected: true,
      data: { nodeType: n.nodeType, typeVersion: n.typeVersion, ...(n.label !== undefined ? { label: n.label } : {}), config: structuredClone(n.config) },
    };
  });
  const edges: DesignerEdge[] = fragment.edges.flatMap((e) => {
    const source = idMap.get(e.source);
    const target = idMap.get(e.target);
    if (!source || !target) return [];
    return [{ id: edgeIdFor(source, e.sourcePort, target), source, sourceHandle: e.sourcePort, target, targetHandle: INPUT_HANDLE }];
  });
  return { nodes, edges, idMap };
}
