import { createPortal } from "react-dom";
import { useMemo } from "react";
import type { InternalNode } from "@xyflow/react";
import type { FlowNode } from "./flow-mapping.ts";
import { nodeSize, sketchArea, SketchPathGroups, SketchPaths, useDragSplit, useViewportPortal, type SketchPath } from "./canvas-drawing.tsx";
import { useSameListMemo } from "./same-list-memo.ts";

// The colour of a node's top border or outline, as graph-nodes.tsx draws it (styles.css).
const ACCENT: Record<string, string> = { python: "python", sql: "sql", markdown: "note", chart: "chart", table: "table", stream: "stream" };
// A title drawn as a bar about as long as its text at 13 px.
const TITLE_CHAR_WIDTH = 7.2;
const TITLE_BAR_HEIGHT = 8;

function roundedRect(x: number, y: number, width: number, height: number, radius: number): string {
  const r = Math.min(radius, width / 2, height / 2);
  return `M${x + r},${y}h${width - 2 * r}a${r},${r} 0 0 1 ${r},${r}v${height - 2 * r}a${r},${r} 0 0 1 ${-r},${r}h${2 * r - width}a${r},${r} 0 0 1 ${-r},${-r}v${2 * r - height}a${r},${r} 0 0 1 ${r},${-r}z`;
}

/** Whether React Flow shows a node: not hidden, and measured (it keeps a node invisible until then). */
function drawnByReactFlow(node: InternalNode<FlowNode>): boolean {
  return !node.hidden && node.measured.width !== undefined && node.measured.width > 0;
}

/** Bodies, outlines and top borders by colour, title bars: one path of each per area (sketchArea). */
function sketch(nodes: readonly InternalNode<FlowNode>[]): SketchPath[] {
  const groups = new SketchPathGroups();
  for (const node of nodes) {
    const { x, y } = node.internals.positionAbsolute;
    const area = sketchArea(x, y);
    const add = (className: string, d: string) => groups.add(`${className} ${area}`, className, d);
    const { width, height } = nodeSize(node);
    const accent = ACCENT[node.data.kind];
    const store = node.type === "store";
    add(store ? `node-sketch-body node-sketch-outline-${accent}` : "node-sketch-body", roundedRect(x, y, width, height, store ? 20 : 8));
    if (store) add(`node-sketch-icon-${accent}`, `M${x + 14},${y + height / 2 - 7}h14v14h-14z`);
    else if (accent) add(`node-sketch-top-${accent}`, `M${x + 3},${y}h${width - 6}v3h${6 - width}z`);
    // Where the title is: after the icon of a store, in the header of the others.
    const titleX = store ? x + 38 : x + 10;
    const titleY = store ? y + height / 2 + 2 : node.type === "function" ? y + height / 2 - TITLE_BAR_HEIGHT / 2 : y + 22;
    const titleWidth = Math.max(0, Math.min(node.data.title.length * TITLE_CHAR_WIDTH, x + width - 10 - titleX));
    add("node-sketch-title", `M${titleX},${titleY}h${titleWidth}v${TITLE_BAR_HEIGHT}h${-titleWidth}z`);
  }
  return groups.paths();
}

/**
 * The nodes React Flow is not showing (hidden by useCulledNodes, out of view when the view
 * last stood still; or not measured yet), drawn as one picture: each node's shape and colours,
 * its title as a bar. Panning zoomed out uncovers these; when the view stops, React Flow
 * draws the nodes now in view over them. Read from React Flow's own store, so a node no
 * longer hidden leaves the sketch in the same update React Flow draws it (a node just measured
 * leaves it when its size reaches React Flow's node list, meanwhile drawn over its sketch).
 * Redrawn only when a sketched node changes.
 */
export function NodeSketch() {
  // A node being dragged is drawn by React Flow.
  const { still } = useDragSplit();
  const portal = useViewportPortal();
  const sketched = useMemo(() => still.filter((node) => !drawnByReactFlow(node)), [still]);
  const paths = useSameListMemo(sketched, sketch);
  if (!portal) return null;
  return createPortal(
    <svg className="node-sketch" aria-hidden="true" data-testid="node-sketch" data-nodes={sketched.length}>
      <SketchPaths paths={paths} />
    </svg>,
    portal,
  );
}
