import { getViewportForBounds, type Viewport } from "@xyflow/react";
import type { FlowNode } from "./flow-mapping.ts";
import { graphBounds } from "./canvas-drawing.tsx";

/**
 * Below this zoom node text is too small to read: React Flow draws only the selected nodes and
 * the pictures, the node sketch the others (culled-nodes.ts, node-sketch.tsx).
 */
export const LOW_DETAIL_ZOOM = 0.45;

/** The canvas's zoom range. */
export const MIN_ZOOM = 0.2;
export const MAX_ZOOM = 2;

/**
 * How "fit view" frames the graph. Zoomed out, most nodes are hidden from React Flow
 * (useCulledNodes) but are part of the graph all the same, at the size the sketch draws them
 * (markHidden gives them that size).
 */
export const FIT_VIEW = { maxZoom: 1, padding: 0.2, includeHiddenNodes: true };

/**
 * The view fit view would frame `nodes` in, on a canvas of `width`×`height`, with each node at
 * the size it was measured at or, never drawn, the size the sketch draws it at; null for no nodes.
 */
export function viewToFit(nodes: readonly FlowNode[], width: number, height: number): Viewport | null {
  const bounds = graphBounds(nodes);
  if (!bounds || width <= 0 || height <= 0) return null;
  const box = { x: bounds.left, y: bounds.top, width: bounds.right - bounds.left, height: bounds.bottom - bounds.top };
  return getViewportForBounds(box, width, height, MIN_ZOOM, FIT_VIEW.maxZoom, FIT_VIEW.padding);
}
