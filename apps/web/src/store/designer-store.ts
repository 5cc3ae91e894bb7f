/**
 * The designer's one store (zustand), with named actions. It holds the flow being edited as canvas
 * nodes and edges plus its settings, the undo history, the compiler's diagnostics and the overlays
 * (diff, test-conversation path, metrics). Components read it through selectors and call actions;
 * they hold no flow logic. The graph work itself lives in the pure modules under `src/graph/`; the
 * store's shape is `designer-state.ts`, its editing actions `edit-actions.ts`.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { indexDiagnostics, issueCounts, relevantDiagnostics } from '../graph/diagnostics';
import { documentToGraph, graphToDocument } from '../graph/document';
import { canRedo, canUndo, createHistory, type History, record } from '../graph/history';
import { portContextFrom } from '../graph/ports';
import type { DesignerNode } from '../graph/types';
import type { DesignerState, DesignerStoreOptions, DesignSnapshot } from './designer-state';
import { editActions, selectedOf } from './edit-actions';

export type { DesignerState, DesignerStoreOptions, DesignSnapshot, Overlay, SaveState } from './designer-state';

const EMPTY_INDEX = indexDiagnostics([]);

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

      ...editActions({ set, get, snapshot, change, restore }),

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

export const selectors = {
  canUndo: (s: DesignerState) => canUndo(s.history),
  canRedo: (s: DesignerState) => canRedo(s.history),
  selectedNode: (s: DesignerState): DesignerNode | null => {
    if (s.selectedIds.size !== 1) return null;
    const [id] = s.selectedIds;
    return s.nodes.find((n) => n.id === id) ?? null;
  },
};
