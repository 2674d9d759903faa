import { useMemo, useRef, type PointerEvent, type WheelEvent } from "react";
import { Panel, useReactFlow, useStore, useStoreApi, type ReactFlowState } from "@xyflow/react";
import { shallow } from "zustand/shallow";
import type { FlowEdge, FlowNode } from "./flow-mapping.ts";
import { UNMEASURED_NODE } from "./graph-backdrop.tsx";

const WIDTH = 160;
const HEIGHT = 110;
const KIND_COLORS: Record<string, string> = { python: "#3b7dd8", sql: "#8a5cd1", table: "#1f9d75", stream: "#d4861c" };
const OTHER_COLOR = "#8a8f99";

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The part of the graph in view, in flow coordinates. */
function viewSelector(s: ReactFlowState): Rect {
  const [tx, ty, zoom] = s.transform;
  return { x: -tx / zoom, y: -ty / zoom, width: s.width / zoom, height: s.height / zoom };
}

/**
 * Every node as a rectangle in one path per colour, and the box around them. Nodes being
 * dragged are paths of their own: the others keep the same data, and the browser repaints
 * only what moves.
 */
function nodeShapes(state: ReactFlowState<FlowNode, FlowEdge>): { paths: { key: string; color: string; d: string }[]; bounds: Rect | null; count: number } {
  const byKey = new Map<string, { color: string; parts: string[] }>();
  let left = Infinity;
  let top = Infinity;
  let right = -Infinity;
  let bottom = -Infinity;
  let count = 0;
  for (const node of state.nodeLookup.values()) {
    const { x, y } = node.internals.positionAbsolute;
    const width = node.measured.width ?? UNMEASURED_NODE.width;
    const height = node.measured.height ?? UNMEASURED_NODE.height;
    const color = KIND_COLORS[node.data.kind] ?? OTHER_COLOR;
    const key = node.dragging ? `${color} moving` : color;
    const shape = byKey.get(key) ?? { color, parts: [] };
    shape.parts.push(`M${x},${y}h${width}v${height}h${-width}z`);
    byKey.set(key, shape);
    left = Math.min(left, x);
    top = Math.min(top, y);
    right = Math.max(right, x + width);
    bottom = Math.max(bottom, y + height);
    count++;
  }
  const paths = [...byKey.entries()].map(([key, { color, parts }]) => ({ key, color, d: parts.join("") }));
  return { paths, bounds: count > 0 ? { x: left, y: top, width: right - left, height: bottom - top } : null, count };
}

/**
 * The minimap: every node in one path per colour and the part in view; drag or click to move
 * the view there, wheel to zoom. React Flow's own minimap subscribes once per node and
 * measures all nodes on every pan frame: on a 1,000-node graph that was a quarter of the
 * store's subscribers, run on each frame (bench:canvas, docs/benchmarks.md). This one
 * redraws its nodes only when they change and, per frame, only the frame of the view.
 */
export function CanvasMiniMap() {
  const store = useStoreApi<FlowNode, FlowEdge>();
  // React Flow's node array is new whenever a node changes or was measured: redraw the nodes then.
  const nodes = useStore((s) => s.nodes);
  const shapes = useMemo(() => nodeShapes(store.getState()), [nodes, store]);
  const view = useStore(viewSelector, shallow);
  const { setCenter, getZoom, zoomIn, zoomOut } = useReactFlow();
  const svg = useRef<SVGSVGElement>(null);
  const dragging = useRef(false);

  // What the minimap shows: the nodes and the view, scaled to fit, with a margin.
  const box = shapes.bounds ? unionRect(shapes.bounds, view) : view;
  const scale = Math.max(box.width / WIDTH, box.height / HEIGHT);
  const margin = 5 * scale;
  const viewBox = {
    x: box.x - (WIDTH * scale - box.width) / 2 - margin,
    y: box.y - (HEIGHT * scale - box.height) / 2 - margin,
    width: WIDTH * scale + 2 * margin,
    height: HEIGHT * scale + 2 * margin,
  };

  const centerAt = (event: PointerEvent<SVGSVGElement>) => {
    const rect = svg.current?.getBoundingClientRect();
    if (!rect || rect.width === 0) return;
    const x = viewBox.x + ((event.clientX - rect.left) / rect.width) * viewBox.width;
    const y = viewBox.y + ((event.clientY - rect.top) / rect.height) * viewBox.height;
    void setCenter(x, y, { zoom: getZoom() });
  };
  const onPointerDown = (event: PointerEvent<SVGSVGElement>) => {
    dragging.current = true;
    event.currentTarget.setPointerCapture(event.pointerId);
    centerAt(event);
  };
  const onPointerMove = (event: PointerEvent<SVGSVGElement>) => {
    if (dragging.current) centerAt(event);
  };
  const onPointerUp = (event: PointerEvent<SVGSVGElement>) => {
    dragging.current = false;
    event.currentTarget.releasePointerCapture(event.pointerId);
  };
  const onWheel = (event: WheelEvent<SVGSVGElement>) => {
    void (event.deltaY < 0 ? zoomIn() : zoomOut());
  };

  const outer = `M${viewBox.x - margin},${viewBox.y - margin}h${viewBox.width + 2 * margin}v${viewBox.height + 2 * margin}h${-viewBox.width - 2 * margin}z`;
  const inner = `M${view.x},${view.y}h${view.width}v${view.height}h${-view.width}z`;
  return (
    <Panel position="bottom-right" className="react-flow__minimap" style={{ width: WIDTH, height: HEIGHT }} data-testid="minimap" data-nodes={shapes.count}>
      <svg
        ref={svg}
        width={WIDTH}
        height={HEIGHT}
        viewBox={`${viewBox.x} ${viewBox.y} ${viewBox.width} ${viewBox.height}`}
        className="react-flow__minimap-svg"
        role="img"
        aria-label="Minimap"
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onWheel={onWheel}
      >
        {shapes.paths.map((p) => (
          <path key={p.key} className="react-flow__minimap-node" d={p.d} style={{ fill: p.color }} />
        ))}
        <path className="react-flow__minimap-mask" d={`${outer}${inner}`} fillRule="evenodd" pointerEvents="none" />
      </svg>
    </Panel>
  );
}

function unionRect(a: Rect, b: Rect): Rect {
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return { x, y, width: Math.max(a.x + a.width, b.x + b.width) - x, height: Math.max(a.y + a.height, b.y + b.height) - y };
}
