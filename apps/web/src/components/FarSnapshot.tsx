/**
 * Panning or zooming a large flow seen from afar. With hundreds of steps on screen the browser
 * re-layerizes and hit-tests every step's DOM on each frame (about 50 ms a frame for 500 steps in
 * Chromium without a GPU: 20 fps). While such a gesture runs, the canvas shows a picture of the flow
 * drawn once at the gesture's start — the steps' cards and the connections' exact paths — and the
 * steps' DOM leaves rendering (`display: none`; React Flow ignores the zero sizes its observers then
 * report, so measurements survive). The DOM comes back when the gesture ends. Only far zoom levels use
 * it: there the cards are compact and nothing on them is editable mid-gesture anyway.
 */
import { getNodesBounds, type Rect, useStoreApi, ViewportPortal } from '@xyflow/react';
import { useLayoutEffect, useRef } from 'react';
import type { DesignerNode } from '../graph/types';
import { getNodeDefinition } from '@tandem/flow';
import { designerStore } from '../store';
import { categoryColor } from './nodes/FlowNodes';

/** The largest side of the picture in pixels: beyond it the picture is drawn at a lower resolution. */
const MAX_SIDE = 4096;
/** Room around the steps' bounds for connections that loop outside them. */
const MARGIN = 80;

export interface Snapshot {
  bounds: Rect;
  /** Pixels per flow unit. */
  scale: number;
}

/** The picture's geometry for the current viewport: the steps' bounds at the current zoom, capped. */
export function snapshotGeometry(nodes: DesignerNode[], zoom: number, pixelRatio: number): Snapshot | null {
  if (nodes.length === 0) return null;
  const b = getNodesBounds(nodes);
  const bounds = { x: b.x - MARGIN, y: b.y - MARGIN, width: b.width + 2 * MARGIN, height: b.height + 2 * MARGIN };
  const scale = Math.min(zoom * pixelRatio, MAX_SIDE / bounds.width, MAX_SIDE / bounds.height);
  return { bounds, scale };
}

/** Draws the flow as it is on screen: connections (their rendered SVG paths), then the compact cards. */
function draw(canvas: HTMLCanvasElement, snapshot: Snapshot, nodes: DesignerNode[], edgePaths: string[]): void {
  const { bounds, scale } = snapshot;
  canvas.width = Math.max(1, Math.ceil(bounds.width * scale));
  canvas.height = Math.max(1, Math.ceil(bounds.height * scale));
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.setTransform(scale, 0, 0, scale, -bounds.x * scale, -bounds.y * scale);

  ctx.strokeStyle = '#b1b1b7';
  ctx.lineWidth = 1.5;
  for (const d of edgePaths) ctx.stroke(new Path2D(d));

  const { nodeIssues } = designerStore.getState();
  ctx.font = '600 22px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  for (const node of nodes) {
    const width = node.measured?.width ?? node.width ?? 240;
    const height = node.measured?.height ?? node.height ?? 60;
    const { x, y } = node.position;
    ctx.beginPath();
    ctx.roundRect(x, y, width, height, 8);
    ctx.fillStyle = '#fff';
    ctx.fill();
    ctx.strokeStyle = (nodeIssues[node.id]?.errors ?? 0) > 0 ? '#dc2626' : '#cbd5e1';
    ctx.lineWidth = 1;
    ctx.stroke();
    ctx.fillStyle = categoryColor(node.type);
    ctx.fillRect(x, y, width, 10);
    ctx.fillStyle = '#0f172a';
    const title = node.data.label || getNodeDefinition(node.data.nodeType, node.data.typeVersion)?.title || node.data.nodeType;
    ctx.fillText(title, x + 12, y + 10 + Math.min(24, (height - 10) / 2), width - 24);
  }
}

/**
 * The picture, placed in the flow's own coordinates (inside the viewport), so the pan and zoom of the
 * gesture move and scale it like the steps it stands for.
 */
export function FarSnapshotLayer({ snapshot, nodes }: { snapshot: Snapshot; nodes: DesignerNode[] }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const store = useStoreApi();
  useLayoutEffect(() => {
    if (!ref.current) return;
    // The connections exactly as React Flow routed them (the path data stays readable while hidden).
    const root = store.getState().domNode ?? document;
    const paths = [...root.querySelectorAll<SVGPathElement>('.react-flow__edge-path')].map((p) => p.getAttribute('d') ?? '').filter(Boolean);
    draw(ref.current, snapshot, nodes, paths);
  }, [snapshot, nodes, store]);
  const { bounds } = snapshot;
  return (
    <ViewportPortal>
      <canvas
        ref={ref}
        className="far-snapshot"
        data-testid="far-snapshot"
        aria-hidden
        style={{ position: 'absolute', left: bounds.x, top: bounds.y, width: bounds.width, height: bounds.height, pointerEvents: 'none' }}
      />
    </ViewportPortal>
  );
}
