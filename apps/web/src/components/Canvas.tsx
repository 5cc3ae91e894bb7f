/**
 * The React Flow canvas. It renders what the store holds (or, in a diff, the merged view of two
 * versions) and forwards gestures to store actions. Tuned for large flows: module-level node types,
 * only visible elements rendered, stable callbacks, narrow selectors.
 */
import { Background, Controls, type Connection, type Edge, type IsValidConnection, MarkerType, MiniMap, type OnConnect, ReactFlow, useNodesInitialized, useReactFlow, useStore as useFlowStore } from '@xyflow/react';
import { type DragEvent, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { FarSnapshotLayer, type Snapshot, snapshotGeometry } from './FarSnapshot';
import type { DesignerEdge, DesignerNode } from '../graph/types';
import { designerStore, useDesigner } from '../store';
import { categoryColor, nodeTypes } from './nodes/FlowNodes';
import { addFromPalette, PALETTE_MIME } from '../services/palette';

const EDGE_COLORS = { error: '#dc2626', warning: '#d97706', added: '#16a34a', removed: '#dc2626', changed: '#d97706', taken: '#2563eb' } as const;

/** Above this many steps a flow opens at 100 % on its start instead of fitted to the screen. */
const LARGE_FLOW = 150;

const defaultEdgeOptions = { type: 'smoothstep', markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 } };
const proOptions = { hideAttribution: true };
/**
 * Below this zoom a step's exit names (12 px) read smaller than about 10 px: a flow opens no smaller. One
 * that does not fit at it opens at it on its start, to be panned; `F` still fits any flow.
 */
export const READABLE_ZOOM = 0.8;
const fitViewOptions = { padding: 0.15, maxZoom: 1.1, minZoom: READABLE_ZOOM };

/** Zoomed far out (compact nodes): arrowheads are too small to see and costly to paint by the hundred. */
const FAR_ZOOM = 0.45;
const zoomIsFar = (s: { transform: [number, number, number] }) => s.transform[2] < FAR_ZOOM;

const miniMapColor = (node: { type?: string }) => categoryColor(node.type);

function styleEdges(edges: readonly DesignerEdge[], edgeIssues: Record<string, { errors: number; warnings: number; first: string }>, mark: (id: string) => string | undefined): Edge[] {
  return edges.map((e) => {
    const issue = edgeIssues[e.id];
    const status = mark(e.id);
    const color = issue?.errors ? EDGE_COLORS.error : issue?.warnings ? EDGE_COLORS.warning : status && status in EDGE_COLORS ? EDGE_COLORS[status as keyof typeof EDGE_COLORS] : undefined;
    if (!color && !status) return e;
    return {
      ...e,
      className: [status ? `edge-${status}` : '', issue ? 'edge-issue' : ''].filter(Boolean).join(' '),
      style: { ...(color ? { stroke: color } : {}), strokeWidth: status === 'taken' || status === 'added' || status === 'removed' ? 3 : issue ? 2.5 : 1.5, ...(status === 'removed' ? { strokeDasharray: '6 4' } : {}), ...(status === 'dim' ? { opacity: 0.25 } : {}) },
      ...(issue ? { label: '⚠', labelStyle: { fill: color }, ariaLabel: issue.first } : {}),
      ...(status === 'taken' ? { animated: true } : {}),
      markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16, ...(color ? { color } : {}) },
    };
  });
}

export function Canvas({ readOnly = false }: { readOnly?: boolean }) {
  const nodes = useDesigner((s) => s.nodes);
  const edges = useDesigner((s) => s.edges);
  const edgeIssues = useDesigner((s) => s.edgeIssues);
  const overlay = useDesigner((s) => s.overlay);
  const focusRequest = useDesigner((s) => s.focusRequest);
  const flow = useReactFlow<DesignerNode, Edge>();
  const far = useFlowStore(zoomIsFar);

  // A large flow opens at 100 % on its start, readable and quick to draw (only what is on screen is
  // rendered); a small one opens fitted. `F` fits any flow.
  const [initialViewport] = useState(() => {
    const { nodes: all } = designerStore.getState();
    if (all.length <= LARGE_FLOW) return undefined;
    const start = all.find((n) => n.data.nodeType === 'start') ?? all[0];
    return { x: 80 - (start?.position.x ?? 0), y: 260 - (start?.position.y ?? 0), zoom: 1 };
  });
  // Fitted but held at the readable zoom (too wide or tall to fit): show its start, at the left.
  const container = useRef<HTMLDivElement>(null);
  const initialized = useNodesInitialized();
  const opened = useRef(false);
  useEffect(() => {
    if (!initialized || opened.current || initialViewport) return;
    opened.current = true;
    window.requestAnimationFrame(() => {
      const box = container.current?.getBoundingClientRect();
      const all = flow.getNodes();
      if (!box || all.length === 0) return;
      const bounds = flow.getNodesBounds(all);
      const fits = bounds.width * READABLE_ZOOM <= box.width * 0.85 && bounds.height * READABLE_ZOOM <= box.height * 0.85;
      if (fits) return;
      const start = all.find((n) => n.data.nodeType === 'start') ?? all[0]!;
      void flow.setViewport({ x: 60 - start.position.x * READABLE_ZOOM, y: box.height / 2 - (start.position.y + 40) * READABLE_ZOOM, zoom: READABLE_ZOOM });
    });
  }, [initialized, initialViewport, flow]);

  const diff = overlay.kind === 'diff' ? overlay.view : null;
  const shownNodes = diff ? diff.nodes : nodes;
  const shownEdges = useMemo(() => {
    if (diff) return styleEdges(diff.edges, {}, (id) => (diff.edgeStatus[id] === 'unchanged' ? undefined : diff.edgeStatus[id]));
    if (overlay.kind === 'simulation') return styleEdges(edges, edgeIssues, (id) => (overlay.path.edgesTaken[id] ? 'taken' : 'dim'));
    if (overlay.kind === 'metrics') {
      const max = Math.max(1, ...Object.values(overlay.metrics.edgeTraffic));
      return styleEdges(edges, edgeIssues, () => undefined).map((e) => {
        const traffic = overlay.metrics.edgeTraffic[e.id];
        return traffic === undefined ? e : { ...e, label: String(traffic), style: { ...e.style, strokeWidth: 1.5 + (traffic / max) * 8, stroke: '#ef4444', opacity: 0.35 + (traffic / max) * 0.65 } };
      });
    }
    return styleEdges(edges, edgeIssues, () => undefined);
  }, [diff, edges, edgeIssues, overlay]);

  useEffect(() => {
    if (!focusRequest) return;
    void flow.fitView({ nodes: [{ id: focusRequest.nodeId }], duration: 300, maxZoom: 1.2, padding: 0.6 });
  }, [focusRequest, flow]);

  // Far out on a large flow, a pan or zoom gesture moves a picture of the flow instead of its DOM
  // (see FarSnapshot.tsx). Programmatic moves (fit, focus) have no event and keep the DOM.
  const [snapshot, setSnapshot] = useState<Snapshot | null>(null);
  const onMoveStart = useCallback(
    (event: MouseEvent | TouchEvent | null) => {
      const zoom = flow.getZoom();
      if (!event || zoom >= FAR_ZOOM || shownNodes.length <= LARGE_FLOW) return;
      setSnapshot(snapshotGeometry(shownNodes, zoom, window.devicePixelRatio || 1));
    },
    [flow, shownNodes],
  );
  const onMoveEnd = useCallback(() => setSnapshot(null), []);

  const onConnect: OnConnect = useCallback((c: Connection) => void designerStore.getState().connect(c), []);
  const isValidConnection: IsValidConnection = useCallback((c) => designerStore.getState().checkConnection({ source: c.source, sourceHandle: c.sourceHandle ?? null, target: c.target }).ok, []);
  const onNodesChange = useCallback((changes: Parameters<ReturnType<typeof designerStore.getState>['onNodesChange']>[0]) => designerStore.getState().onNodesChange(changes), []);
  const onEdgesChange = useCallback((changes: Parameters<ReturnType<typeof designerStore.getState>['onEdgesChange']>[0]) => designerStore.getState().onEdgesChange(changes), []);

  const onDragOver = useCallback((event: DragEvent) => {
    if (event.dataTransfer.types.includes(PALETTE_MIME)) {
      event.preventDefault();
      event.dataTransfer.dropEffect = 'copy';
    }
  }, []);
  const onDrop = useCallback(
    (event: DragEvent) => {
      const nodeType = event.dataTransfer.getData(PALETTE_MIME);
      if (!nodeType) return;
      event.preventDefault();
      const at = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      addFromPalette(nodeType, { x: at.x - 120, y: at.y - 30 });
    },
    [flow],
  );

  const editable = !readOnly && !diff;
  return (
    <div className={`canvas ${diff ? 'canvas--diff' : ''} canvas--${overlay.kind} ${far ? 'is-far' : ''} ${snapshot ? 'is-moving-far' : ''}`} onDragOver={onDragOver} onDrop={onDrop} data-testid="canvas" ref={container}>
      <ReactFlow<DesignerNode, Edge>
        nodes={shownNodes}
        edges={shownEdges}
        nodeTypes={nodeTypes}
        onNodesChange={editable ? onNodesChange : undefined}
        onEdgesChange={editable ? onEdgesChange : undefined}
        onConnect={editable ? onConnect : undefined}
        isValidConnection={isValidConnection}
        nodesDraggable={editable}
        nodesConnectable={editable}
        elementsSelectable
        defaultEdgeOptions={defaultEdgeOptions}
        // Culling pays off close up; far out most of a large flow is on screen, and culling would mount
        // and unmount the steps at the screen's edges on every frame of a pan.
        onlyRenderVisibleElements={!far}
        onMoveStart={onMoveStart}
        onMoveEnd={onMoveEnd}
        fitView={!initialViewport}
        fitViewOptions={fitViewOptions}
        {...(initialViewport ? { defaultViewport: initialViewport } : {})}
        minZoom={0.05}
        maxZoom={2}
        deleteKeyCode={editable ? ['Delete', 'Backspace'] : null}
        multiSelectionKeyCode={['Meta', 'Control', 'Shift']}
        selectionKeyCode="Shift"
        selectionOnDrag={false}
        panOnScroll={false}
        proOptions={proOptions}
        snapToGrid
        snapGrid={[10, 10]}
        connectionRadius={28}
        aria-label="Flow canvas"
      >
        {snapshot && <FarSnapshotLayer snapshot={snapshot} nodes={shownNodes} />}
        <Background gap={20} size={1} color="#cbd5e1" />
        <MiniMap pannable zoomable nodeColor={miniMapColor} nodeStrokeWidth={2} ariaLabel="Overview of the whole flow" />
        <Controls showInteractive={false} aria-label="Zoom controls" />
      </ReactFlow>
    </div>
  );
}
