/**
 * The shape of the designer's store: what it holds and the named actions it offers. The store is
 * made in `designer-store.ts`; the editing actions live in `edit-actions.ts`.
 */
import type { CatalogView } from '@tandem/api-contract';
import type { Diagnostic, FlowDocument, SubflowInfo } from '@tandem/flow';
import type { EdgeChange, NodeChange } from '@xyflow/react';
import type { ClipboardFragment } from '../graph/clipboard';
import type { ConnectionAttempt, ConnectionVerdict } from '../graph/connection';
import type { DiagnosticIndex, IssueCount } from '../graph/diagnostics';
import type { DiffView } from '../graph/diff';
import type { History } from '../graph/history';
import type { LayoutEngine } from '../graph/layout';
import type { MetricsOverlay, PathOverlay } from '../graph/overlays';
import type { PortContext } from '../graph/ports';
import type { DesignerEdge, DesignerNode, FlowMeta } from '../graph/types';

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

/** Options of the store, for tests: a clock for undo coalescing. */
export interface DesignerStoreOptions {
  now?: () => number;
}
