import { useMemo, useRef, type PointerEvent, type WheelEvent } from "react";
import { Panel, useReactFlow, useStore, type InternalNode, type ReactFlowState } from "@xyflow/react";
import { shallow } from "zustand/shallow";
import type { FlowEdge, FlowNode } from "./flow-mapping.ts";
import { nodeSize, useDragSplit } from "./canvas-drawing.tsx";
import { useSameListMemo } from "./same-list-memo.ts";

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

interface Shapes {
  paths: { color: string; d: string }[];
  bounds: Rect | null;
  count: number;
}

/** Nodes as rectangles in one path per colour, and the box around them. */
function nodeShapes(nodes: readonly InternalNode<FlowNode>[]): Shapes {
  const byColor = new Map<string, string[]>();
  let left = Infinity;
  let top = Infinity;
  let right = -Infinity;
  let bottom = -Infinity;
  for (const node of nodes) {
    const { x, y } = node.internals.positionAbsolute;
    const { width, height } = nodeSize(node);
    const color = KIND_COLORS[node.data.kind] ?? OTHER_COLOR;
    const parts = byColor.get(color) ?? [];
    parts.push(`M${x},${y}h${width}v${height}h${-width}z`);
    byColor.set(color, parts);
    left = Math.min(left, x);
    top = Math.min(top, y);
    right = Math.max(right, x + width);
    bottom = Math.max(bottom, y + height);
  }
  const paths = [...byColor.entries()].map(([color, parts]) => ({ color, d: parts.join("") }));
  return { paths, bounds: nodes.length > 0 ? { x: left, y: top, width: right - left, height: bottom - top } : null, count: nodes.length };
}

/**
 * All nodes' shapes, drawn again only when the nodes change and no drag is on: while nodes are
 * dragged the minimap shows them where they were, and shows where they went on the drop. A
 * minimap redrawn each drag frame had the browser composite everything between the dragged
 * node and the minimap's corner again each frame (with software compositing, most of a
 * zoomed-out drag frame's cost to the machine: bench:canvas, docs/benchmarks.md).
 */
function useNodeShapes(): Shapes {
  const { still, dragged } = useDragSplit();
  // The nodes as they were when no drag was on: the same list for the whole drag, so nothing is worked out again.
  const held = useRef(still);
  if (dragged.length === 0) held.current = still;
  return useSameListMemo(held.current, nodeShapes);
}

/**
 * The minimap: every node in one path per colour and the part in view; drag or click to move
 * the view there, wheel to zoom. React Flow's own minimap subscribes once per node and
 * measures all nodes on every pan frame: on a 1,000-node graph that was a quarter of the
 * store's subscribers, run on each frame (bench:canvas, docs/benchmarks.md). This one
 * redraws its nodes only when they change and, per frame, only the frame of the view.
 */
export function CanvasMiniMap() {
  const shapes = useNodeShapes();
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
          <path key={p.color} className="react-flow__minimap-node" d={p.d} style={{ fill: p.color }} />
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
