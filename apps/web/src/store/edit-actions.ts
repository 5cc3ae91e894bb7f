/**
 * The designer store's editing actions: what a person does on the canvas — add, move, connect,
 * configure, delete, select, lay out, undo and redo, copy and paste. Each change of the document
 * goes through the store's `change`, so it is one undo step and bumps the edit stamp.
 */
import { applyEdgeChanges, applyNodeChanges } from '@xyflow/react';
import type { StoreApi } from 'zustand/vanilla';
import { initialConfig } from '../forms/schema';
import { copySelection, pasteFragment } from '../graph/clipboard';
import { checkConnection, connectEdges } from '../graph/connection';
import { categoryOf, uniqueNodeId } from '../graph/document';
import { type History, redo as redoHistory, undo as undoHistory } from '../graph/history';
import { layoutGraph } from '../graph/layout';
import type { DesignerNode } from '../graph/types';
import type { DesignerState, DesignSnapshot } from './designer-state';

/** What the editing actions need from the store that holds them. */
export interface EditContext {
  set: StoreApi<DesignerState>['setState'];
  get: () => DesignerState;
  /** The document as undo would restore it, or null before a flow is loaded. */
  snapshot: () => DesignSnapshot | null;
  /** Applies a change of the document: records the undo step and bumps the edit stamp. */
  change: (patch: Partial<Pick<DesignerState, 'meta' | 'nodes' | 'edges'>>, coalesceKey?: string) => void;
  /** Puts an undo or redo step's document back. */
  restore: (state: DesignSnapshot, history: History<DesignSnapshot>) => void;
}

export type EditActions = Pick<
  DesignerState,
  | 'addNodeByType'
  | 'onNodesChange'
  | 'onEdgesChange'
  | 'checkConnection'
  | 'connect'
  | 'updateNodeConfig'
  | 'updateNodeLabel'
  | 'updateFlowMeta'
  | 'deleteSelection'
  | 'selectNodes'
  | 'selectAll'
  | 'autoLayout'
  | 'undo'
  | 'redo'
  | 'copy'
  | 'paste'
  | 'duplicateSelection'
>;

export function editActions({ set, get, snapshot, change, restore }: EditContext): EditActions {
  return {
    addNodeByType(nodeType, position, preset) {
      const { catalog, nodes, meta } = get();
      if (!meta) return null;
      const entry = catalog?.nodeTypes.filter((t) => t.type === nodeType).sort((a, b) => b.typeVersion - a.typeVersion)[0];
      if (!entry) {
        get().notify(`There is no “${nodeType}” step in the catalog.`, 'error');
        return null;
      }
      const id = uniqueNodeId(nodeType, new Set(nodes.map((n) => n.id)));
      const at = position ?? nextFreePosition(nodes);
      const node: DesignerNode = {
        id,
        type: entry.category,
        position: at,
        selected: true,
        data: { nodeType: entry.type, typeVersion: entry.typeVersion, label: preset?.label ?? entry.title, config: preset?.config ?? initialConfig(entry.type, entry.configSchema) },
      };
      change({ nodes: [...nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), node] });
      return id;
    },

    onNodesChange(changes) {
      const { nodes } = get();
      const structural = changes.filter((c) => c.type === 'remove' || c.type === 'add' || c.type === 'replace');
      const moves = changes.filter((c) => c.type === 'position');
      const next = applyNodeChanges(changes, nodes);
      if (structural.length > 0) {
        // Removing nodes also removes their connections (React Flow sends those as edge changes too).
        const removed = new Set(structural.filter((c) => c.type === 'remove').map((c) => (c as { id: string }).id));
        const edges = removed.size ? get().edges.filter((e) => !removed.has(e.source) && !removed.has(e.target)) : get().edges;
        change({ nodes: next, edges }, removed.size ? deletionKey(removed) : undefined);
        return;
      }
      if (moves.length > 0) {
        // One undo step per drag: the position changes of one gesture share a key.
        const dragging = moves.some((c) => c.type === 'position' && c.dragging);
        const key = `move:${moves.map((c) => (c as { id: string }).id).join(',')}`;
        if (dragging || moves.some((c) => c.type === 'position' && c.position)) {
          change({ nodes: next }, key);
          return;
        }
      }
      // Selection and measurements are not edits of the document.
      set({ nodes: next, selectedIds: selectedOf(next) });
    },

    onEdgesChange(changes) {
      // Deleting steps, React Flow removes their connections first, then the steps: both share the
      // deletion's undo key, so one undo brings the steps back with their connections.
      const { edges, nodes } = get();
      const present = new Set(edges.map((e) => e.id));
      const removes = changes.filter((c) => c.type === 'remove' && present.has(c.id));
      const next = applyEdgeChanges(changes, edges);
      if (!removes.length) {
        set({ edges: next });
        return;
      }
      const leaving = new Set(nodes.filter((n) => n.selected).map((n) => n.id));
      const removedIds = new Set(removes.map((c) => (c as { id: string }).id));
      const ofLeavingSteps = edges.filter((e) => removedIds.has(e.id)).every((e) => leaving.has(e.source) || leaving.has(e.target));
      change({ edges: next }, leaving.size && ofLeavingSteps ? deletionKey(leaving) : undefined);
    },

    checkConnection(attempt) {
      const { nodes, edges, portContext } = get();
      return checkConnection(attempt, nodes, edges, portContext);
    },

    connect(attempt) {
      const { nodes, edges, portContext } = get();
      const verdict = checkConnection(attempt, nodes, edges, portContext);
      if (!verdict.ok) {
        get().notify(verdict.reason, 'warning');
        return false;
      }
      const next = connectEdges(attempt, nodes, edges, portContext);
      if (!next) return false;
      change({ edges: next });
      return true;
    },

    updateNodeConfig(nodeId, config, coalesceKey) {
      const { nodes } = get();
      if (!nodes.some((n) => n.id === nodeId)) return;
      change({ nodes: nodes.map((n) => (n.id === nodeId ? { ...n, data: { ...n.data, config } } : n)) }, coalesceKey ?? `config:${nodeId}`);
    },

    updateNodeLabel(nodeId, label) {
      const { nodes } = get();
      change({ nodes: nodes.map((n) => (n.id === nodeId ? { ...n, data: { ...n.data, label } } : n)) }, `label:${nodeId}`);
    },

    updateFlowMeta(patch, coalesceKey) {
      const { meta } = get();
      if (!meta) return;
      change({ meta: { ...meta, ...patch } }, coalesceKey ?? `meta:${Object.keys(patch).join(',')}`);
    },

    deleteSelection() {
      const { nodes, edges } = get();
      const removed = new Set(nodes.filter((n) => n.selected).map((n) => n.id));
      const keptEdges = edges.filter((e) => !e.selected && !removed.has(e.source) && !removed.has(e.target));
      if (removed.size === 0 && keptEdges.length === edges.length) return;
      change({ nodes: nodes.filter((n) => !removed.has(n.id)), edges: keptEdges });
    },

    selectNodes(ids) {
      const wanted = new Set(ids);
      const nodes = get().nodes.map((n) => (Boolean(n.selected) === wanted.has(n.id) ? n : { ...n, selected: wanted.has(n.id) }));
      set({ nodes, selectedIds: selectedOf(nodes), edges: get().edges.map((e) => (e.selected ? { ...e, selected: false } : e)) });
    },

    selectAll() {
      get().selectNodes(get().nodes.map((n) => n.id));
    },

    async autoLayout(engine) {
      const { nodes, edges, portContext } = get();
      if (nodes.length === 0) return;
      const laidOut = await layoutGraph(engine, nodes, edges, portContext);
      // The graph may have changed while ELK worked: move only nodes that still exist.
      const positions = new Map(laidOut.map((n) => [n.id, n.position]));
      change({ nodes: get().nodes.map((n) => (positions.has(n.id) ? { ...n, position: positions.get(n.id) as { x: number; y: number } } : n)) });
    },

    undo() {
      const current = snapshot();
      if (!current) return;
      const step = undoHistory(get().history, current);
      if (step) restore(step.state, step.history);
    },

    redo() {
      const current = snapshot();
      if (!current) return;
      const step = redoHistory(get().history, current);
      if (step) restore(step.state, step.history);
    },

    copy() {
      const { nodes, edges, selectedIds } = get();
      const fragment = copySelection(nodes, edges, selectedIds);
      if (fragment) set({ clipboard: fragment });
      return fragment;
    },

    paste(fragment, offset) {
      const source = fragment ?? get().clipboard;
      const { nodes, edges, meta } = get();
      if (!source || !meta) return [];
      const pasted = pasteFragment(source, new Set(nodes.map((n) => n.id)), categoryOf, offset);
      change({ nodes: [...nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), ...pasted.nodes], edges: [...edges, ...pasted.edges] });
      // Pasting again offsets further, so repeated pastes fan out instead of stacking.
      set({ clipboard: { ...source, nodes: source.nodes.map((n) => ({ ...n, position: { x: n.position.x + (offset?.x ?? 40), y: n.position.y + (offset?.y ?? 40) } })) } });
      return pasted.nodes.map((n) => n.id);
    },

    duplicateSelection() {
      const fragment = get().copy();
      return fragment ? get().paste(fragment) : [];
    },
  };
}

/** The ids of the selected nodes. */
export function selectedOf(nodes: readonly DesignerNode[]): ReadonlySet<string> {
  return new Set(nodes.filter((n) => n.selected).map((n) => n.id));
}

/** Where a node added from the keyboard goes: right of the rightmost node, level with it. */
function nextFreePosition(nodes: readonly DesignerNode[]): { x: number; y: number } {
  if (nodes.length === 0) return { x: 0, y: 0 };
  const rightmost = nodes.reduce((a, b) => (b.position.x > a.position.x ? b : a));
  return { x: rightmost.position.x + 300, y: rightmost.position.y };
}

/** The undo key of deleting these steps (their connections and the steps are one step of history). */
function deletionKey(ids: ReadonlySet<string>): string {
  return `delete:${[...ids].sort().join(',')}`;
}
