import type { GraphNode } from "../document.ts";

/**
 * graph.yml places nodes on a grid (`display: {x: 2, y: 5}`); the canvas uses
 * pixels. Powers of two make pixels → grid → pixels exact for any position,
 * so export then import never moves a node.
 */
export const GRID_CELL = { width: 256, height: 128 } as const;

/** The `display` keys graph.yml knows; others are kept as they are. */
export const DISPLAY_KEYS = ["x", "y", "width", "height"] as const;

export function displayOf(node: Pick<GraphNode, "position" | "size">): Record<string, number> {
  return {
    x: node.position.x / GRID_CELL.width,
    y: node.position.y / GRID_CELL.height,
    ...(node.size ? { width: node.size.width / GRID_CELL.width, height: node.size.height / GRID_CELL.height } : {}),
  };
}
