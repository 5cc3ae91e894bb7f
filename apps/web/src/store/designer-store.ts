/**
 * The designer's one store (zustand), with named actions. It holds the flow being edited as canvas
 * nodes and edges plus its settings, the undo history, the compiler's diagnostics and the overlays
 * (diff, test-conversation path, metrics). Components read it through selectors and call actions;
 * they hold no flow logic. The graph work itself lives in the pure modules under `src/graph/`.
 */
import type { Diagnostic, FlowDocument, SubflowInfo } from '@tandem/flow';
import { applyEdgeChanges, applyNodeChanges, type EdgeChange, type NodeChange } from '@xyflow/react';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { type ClipboardFragment, copySelection, pasteFragment } from '../graph/clipboard';
import { checkConnection, type ConnectionAttempt, type ConnectionVerdict, connectEdges } from '../graph/connection';
import { type DiagnosticIndex, indexDiagnostics, type IssueCount, issueCounts, relevantDiagnostics } from '../graph/diagnostics';
import type { DiffView } from '../graph/diff';
import { categoryOf, documentToGraph, graphToDocument, uniqueNodeId } from '../graph/document';
import { canRedo, canUndo, createHistory, type History, record, redo as redoHistory, undo as undoHistory } from '../graph/history';
import { layoutGraph, type LayoutEngine } from '../graph/layout';
import type { MetricsOverlay, PathOverlay } from '../graph/overlays';
import { type PortContext, portContextFrom } from '../graph/ports';
import type { CatalogView } from '@tandem/api-contract';
import type { DesignerEdge, DesignerNode, FlowMeta } from '../graph/types';
import { initialConfig } from '../forms/schema';

/** What undo restores. */
export interface DesignSnapshot {
  meta: FlowMeta;
  nodes: DesignerNode[];
  edges: DesignerEdge[];
}

/** Where the draft stands with the API. */
export type SaveState = 'saved' | 'unsaved' | 'saving' | 'offline' | 'conflict' | 'error';

/** What the canvas paints on top of the flow. */
export type Overlay =
  | { kind: 'none' }
  | { kind: 'diff'; view: DiffView; from: number | 'draft'; to: number | 'draft' }
  | { kind: 'simulation'; path: PathOverlay }
  | { kind: 'metrics'; metrics: MetricsOverlay; version: number };

export interface DesignerState {
  catalog: CatalogView | null;
  subflows: SubflowInfo[];
  portContext: PortContext;
  meta: FlowMeta | null;
  nodes: DesignerNode[];
  edges: DesignerEdge[];
  /** Ids of selected nodes (kept in step with the nodes' `selected` flags). */
  selectedIds: ReadonlySet<string>;
  /** Increases with every change of the document; validation and autosave watch it. */
  editStamp: number;
  history: History<DesignSnapshot>;
  clipboard: ClipboardFragment | null;

  /** The draft revision the API holds, that the local edits are based on. */
  revision: number | null;
  latestVersion: number | null;
  saveState: SaveState;
  saveMessage: string | null;

  diagnostics: Diagnostic[];
  diagnosticIndex: DiagnosticIndex;
  nodeIssues: Record<string, IssueCount>;
  edgeIssues: Record<string, IssueCount>;
  /** The edit stamp the diagnostics were computed for; behind `editStamp` while validating. */
  diagnosticsStamp: number;
  validating: boolean;

  overlay: Overlay;
  /** A request for the canvas to bring a node into view (set by the problems panel). */
  focusRequest: { nodeId: string; seq: number } | null;
  /** A short message for the status line (e.g. why a connection was refused). */
  notice: { text: string; tone: 'info' | 'warning' | 'error'; seq: number } | null;

  // ---- actions
  setCatalog(catalog: CatalogView): void;
  /** Published flows that subflow steps call: their outcomes are the steps' exits. */
  setSubflows(subflows: SubflowInfo[]): void;
  loadFlow(document: FlowDocument, server?: { revision: number | null; latestVersion: number | null }): void;
  addNodeByType(nodeType: string, position?: { x: number; y: number }, preset?: { label?: string; config?: Record<string, unknown> }): string | null;
  onNodesChange(changes: NodeChange<DesignerNode>[]): void;
  onEdgesChange(changes: EdgeChange<DesignerEdge>[]): void;
  checkConnection(attempt: ConnectionAttempt): ConnectionVerdict;
  connect(attempt: ConnectionAttempt): boolean;
  updateNodeConfig(nodeId: string, config: Record<string, unknown>, coalesceKey?: string): void;
  updateNodeLabel(nodeId: string, label: string): void;
  updateFlowMeta(patch: Partial<Omit<FlowMeta, 'id'>>, coalesceKey?: string): void;
  deleteSelection(): void;
  selectNodes(ids: readonly string[]): void;
  selectAll(): void;
  autoLayout(engine: LayoutEngine): Promise<void>;
  undo(): void;
  redo(): void;
  copy(): ClipboardFragment | null;
  paste(fragment?: ClipboardFragment | null, offset?: { x: number; y: number }): string[];
  duplicateSelection(): string[];
  applyDiagnostics(diagnostics: Diagnostic[], stamp: number): void;
  setValidating(validating: boolean): void;
  focusNode(nodeId: string): void;
  setOverlay(overlay: Overlay): void;
  setSaveState(state: SaveState, message?: string | null): void;
  markSaved(revision: number, savedStamp: number, latestVersion?: number | null): void;
  setLatestVersion(version: number | null): void;
  notify(text: string, tone?: 'info' | 'warning' | 'error'): void;
  /** The flow document the canvas shows. */
  document(): FlowDocument | null;
}

const EMPTY_INDEX = indexDiagnostics([]);

/** Options of the store, for tests: a clock for undo coalescing. */
export interface DesignerStoreOptions {
  now?: () => number;
}

/**
 * Creates a designer store. The app makes one (see `useDesigner`); tests make their own.
 *
 * @example
 * ```ts
 * const store = createDesignerStore();
 * store.getState().loadFlow(doc);
 * const id = store.getState().addNodeByType('bot', { x: 300, y: 0 });
 * store.getState().connect({ source: 'start', sourceHandle: 'next', target: id });
 * ```
 */
export function createDesignerStore(options: DesignerStoreOptions = {}): StoreApi<DesignerState> {
  const now = options.now ?? (() => Date.now());
  let noticeSeq = 0;
  let focusSeq = 0;

  return createStore<DesignerState>()((set, get) => {
    const snapshot = (): DesignSnapshot | null => {
      const { meta, nodes, edges } = get();
      return meta ? { meta, nodes, edges } : null;
    };

    /** Applies a change of the document: records the undo step and bumps the edit stamp. */
    const change = (patch: Partial<Pick<DesignerState, 'meta' | 'nodes' | 'edges'>>, coalesceKey?: string) => {
      const before = snapshot();
      if (!before) return;
      set((s) => ({
        ...patch,
        ...(patch.nodes ? { selectedIds: selectedOf(patch.nodes) } : {}),
        history: record(s.history, before, { ...(coalesceKey ? { key: coalesceKey } : {}), now: now() }),
        editStamp: s.editStamp + 1,
        saveState: s.saveState === 'conflict' ? 'conflict' : 'unsaved',
      }));
    };

    const restore = (state: DesignSnapshot, history: History<DesignSnapshot>) =>
      set((s) => ({ meta: state.meta, nodes: state.nodes, edges: state.edges, selectedIds: selectedOf(state.nodes), history, editStamp: s.editStamp + 1, saveState: s.saveState === 'conflict' ? 'conflict' : 'unsaved' }));

    return {
      catalog: null,
      subflows: [],
      portContext: portContextFrom(null, 'flow'),
      meta: null,
      nodes: [],
      edges: [],
      selectedIds: new Set(),
      editStamp: 0,
      history: createHistory<DesignSnapshot>(),
      clipboard: null,
      revision: null,
      latestVersion: null,
      saveState: 'saved',
      saveMessage: null,
      diagnostics: [],
      diagnosticIndex: EMPTY_INDEX,
      nodeIssues: {},
      edgeIssues: {},
      diagnosticsStamp: -1,
      validating: false,
      overlay: { kind: 'none' },
      focusRequest: null,
      notice: null,

      setCatalog(catalog) {
        set((s) => ({ catalog, portContext: portContextFrom(catalog, s.meta?.id ?? 'flow', s.subflows) }));
      },

      setSubflows(subflows) {
        set((s) => ({ subflows, portContext: portContextFrom(s.catalog, s.meta?.id ?? 'flow', subflows) }));
      },

      loadFlow(document, server) {
        const { meta, nodes, edges } = documentToGraph(document);
        set((s) => ({
          meta,
          nodes,
          edges,
          selectedIds: new Set(),
          history: createHistory<DesignSnapshot>(),
          editStamp: s.editStamp + 1,
          revision: server?.revision ?? null,
          latestVersion: server?.latestVersion ?? null,
          saveState: server ? 'saved' : 'unsaved',
          saveMessage: null,
          diagnostics: [],
          diagnosticIndex: EMPTY_INDEX,
          nodeIssues: {},
          edgeIssues: {},
          diagnosticsStamp: -1,
          overlay: { kind: 'none' },
          portContext: portContextFrom(s.catalog, meta.id, s.subflows),
        }));
      },

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
          change({ nodes: next, edges });
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
        // Edges of removed nodes were already dropped with the nodes (one undo step for both).
        const present = new Set(get().edges.map((e) => e.id));
        const removes = changes.filter((c) => c.type === 'remove' && present.has(c.id));
        const next = applyEdgeChanges(changes, get().edges);
        if (removes.length) change({ edges: next });
        else set({ edges: next });
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

      applyDiagnostics(diagnostics, stamp) {
        const { nodes, edges } = get();
        const relevant = relevantDiagnostics(diagnostics, new Set(nodes.map((n) => n.id)), new Set(edges.map((e) => e.id)));
        const index = indexDiagnostics(relevant);
        set({ diagnostics: relevant, diagnosticIndex: index, nodeIssues: issueCounts(index.byNode), edgeIssues: issueCounts(index.byEdge), diagnosticsStamp: stamp });
      },

      setValidating(validating) {
        set({ validating });
      },

      focusNode(nodeId) {
        if (!get().nodes.some((n) => n.id === nodeId)) return;
        get().selectNodes([nodeId]);
        set({ focusRequest: { nodeId, seq: ++focusSeq } });
      },

      setOverlay(overlay) {
        set({ overlay });
      },

      setSaveState(saveState, message = null) {
        set({ saveState, saveMessage: message });
      },

      markSaved(revision, savedStamp, latestVersion) {
        set((s) => ({
          revision,
          ...(latestVersion !== undefined ? { latestVersion } : {}),
          saveState: s.editStamp === savedStamp ? 'saved' : 'unsaved',
          saveMessage: null,
        }));
      },

      setLatestVersion(latestVersion) {
        set({ latestVersion });
      },

      notify(text, tone = 'info') {
        set({ notice: { text, tone, seq: ++noticeSeq } });
      },

      document() {
        const { meta, nodes, edges } = get();
        return meta ? graphToDocument(meta, nodes, edges) : null;
      },
    };
  });
}

function selectedOf(nodes: readonly DesignerNode[]): ReadonlySet<string> {
  return new Set(nodes.filter((n) => n.selected).map((n) => n.id));
}

/** Where a node added from the keyboard goes: right of the rightmost node, level with it. */
function nextFreePosition(nodes: readonly DesignerNode[]): { x: number; y: number } {
  if (nodes.length === 0) return { x: 0, y: 0 };
  const rightmost = nodes.reduce((a, b) => (b.position.x > a.position.x ? b : a));
  return { x: rightmost.position.x + 300, y: rightmost.position.y };
}

export const selectors = {
  canUndo: (s: DesignerState) => canUndo(s.history),
  canRedo: (s: DesignerState) => canRedo(s.history),
  selectedNode: (s: DesignerState): DesignerNode | null => {
    if (s.selectedIds.size !== 1) return null;
    const [id] = s.selectedIds;
    return s.nodes.find((n) => n.id === id) ?? null;
  },
};
