import { useMemo } from "react";
import { createPortal } from "react-dom";
import { useEditorStore } from "./editor-store.ts";
import type { FlowNode } from "./flow-mapping.ts";
import { nodeSize, useViewportPortal } from "./canvas-drawing.tsx";

// Bounds snap to this grid (flow pixels), so dragging a node rarely changes them.
const GRID = 500;
// Room around the nodes.
const MARGIN = 1000;

export function backdropBox(nodes: readonly FlowNode[]): string {
  if (nodes.length === 0) return "";
  let left = Infinity;
  let top = Infinity;
  let right = -Infinity;
  let bottom = -Infinity;
  for (const node of nodes) {
    left = Math.min(left, node.position.x);
    top = Math.min(top, node.position.y);
    const { width, height } = nodeSize(node);
    right = Math.max(right, node.position.x + width);
    bottom = Math.max(bottom, node.position.y + height);
  }
  const snap = (value: number, round: (n: number) => number) => round(value / GRID) * GRID;
  return [snap(left - MARGIN, Math.floor), snap(top - MARGIN, Math.floor), snap(right + MARGIN, Math.ceil), snap(bottom + MARGIN, Math.ceil)].join(",");
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
  const nodes = useEditorStore((s) => s.flowNodes);
  // A drag changes the editor's nodes only when it ends (drag-frames.ts): the box is worked out again then, not every frame.
  const box = useMemo(() => backdropBox(nodes), [nodes]);
  const portal = useViewportPortal();
  if (box === "" || !portal) return null;
  const [left = 0, top = 0, right = 0, bottom = 0] = box.split(",").map(Number);
  return createPortal(<div className="graph-backdrop" aria-hidden="true" style={{ left, top, width: right - left, height: bottom - top }} />, portal);
}
