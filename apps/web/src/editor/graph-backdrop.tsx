import { useMemo, useRef } from "react";
import { createPortal } from "react-dom";
import { useEditorStore } from "./editor-store.ts";
import type { FlowNode } from "./flow-mapping.ts";
import { graphBounds, useViewportPortal } from "./canvas-drawing.tsx";

// Bounds snap to this grid (flow pixels), so dragging a node rarely changes them.
const GRID = 500;
// Room around the nodes.
const MARGIN = 1000;

/** A box of the graph, in flow coordinates. */
export interface GraphBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** The box of `nodes` with room around them, snapped to GRID; null for no nodes. */
function graphBox(nodes: readonly FlowNode[]): GraphBox | null {
  const bounds = graphBounds(nodes);
  if (!bounds) return null;
  const snap = (value: number, round: (n: number) => number) => round(value / GRID) * GRID;
  const box = { left: snap(bounds.left - MARGIN, Math.floor), top: snap(bounds.top - MARGIN, Math.floor) };
  return { ...box, width: snap(bounds.right + MARGIN, Math.ceil) - box.left, height: snap(bounds.bottom + MARGIN, Math.ceil) - box.top };
}

function sameBox(a: GraphBox | null, b: GraphBox | null): boolean {
  return a === b || (a !== null && b !== null && a.left === b.left && a.top === b.top && a.width === b.width && a.height === b.height);
}

/**
 * The box of the editor's nodes with room around them, snapped to a coarse grid: the same
 * object until the box changes, and none for an empty graph. A drag changes the editor's nodes
 * only when it ends (drag-frames.ts): the box holds still during a drag.
 */
export function useGraphBox(): GraphBox | null {
  const nodes = useEditorStore((s) => s.flowNodes);
  const last = useRef<GraphBox | null>(null);
  return useMemo(() => {
    const box = graphBox(nodes);
    if (!sameBox(box, last.current)) last.current = box;
    return last.current;
  }, [nodes]);
}

/**
 * A faint rectangle under every node and edge, as large as the graph. Chromium re-layers the
 * canvas's content on every pan and zoom frame (the viewport's transform changes); a piece of
 * content is only merged into an existing layer if that barely grows the layer, so nodes
 * far apart would each get a layer of their own. Painted first and covering them all, this
 * rectangle gives every node and edge one layer to join: a few layers instead of dozens, and
 * a few milliseconds less per frame on a big graph (bench:canvas, docs/benchmarks.md).
 */
export function GraphBackdrop() {
  const box = useGraphBox();
  const portal = useViewportPortal();
  if (!box || !portal) return null;
  return createPortal(<div className="graph-backdrop" aria-hidden="true" style={box} />, portal);
}
