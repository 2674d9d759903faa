import { useMemo } from "react";
import { useStore } from "@xyflow/react";

// Shared by what the canvas draws outside React Flow's own nodes and edges: the backdrop,
// the node and edge sketches, the minimap, and the culling of nodes out of view.

/** Size assumed for a node React Flow has not measured yet (never drawn). */
export const UNMEASURED_NODE = { width: 200, height: 60 };

/** A node's size: as React Flow measured it, else UNMEASURED_NODE. */
export function nodeSize(node: { measured?: { width?: number; height?: number } }): { width: number; height: number } {
  return { width: node.measured?.width ?? UNMEASURED_NODE.width, height: node.measured?.height ?? UNMEASURED_NODE.height };
}

/**
 * The square of the graph (2,000 flow pixels a side) a point is in. The sketches draw one
 * path per area: the browser rasters a path whole wherever it crosses a tile being drawn, so
 * one path for all 1,500 edges made every tile redrawn (under a dragged node's edges, or
 * panned into view) go through all of them (bench:canvas, drag zoomed out).
 */
export function sketchArea(x: number, y: number): string {
  return `${Math.floor(x / 2000)},${Math.floor(y / 2000)}`;
}

/**
 * The element inside React Flow's viewport that content can be portalled into, looked up
 * once (React Flow's ViewportPortal looks it up on every store update, each pan frame).
 */
export function useViewportPortal(): Element | null {
  const root = useStore((s) => s.domNode);
  return useMemo(() => root?.querySelector(".react-flow__viewport-portal") ?? null, [root]);
}
