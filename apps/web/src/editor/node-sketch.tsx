import { createPortal } from "react-dom";
import { useMemo, useRef, type MouseEvent as ReactMouseEvent } from "react";
import type { InternalNode } from "@xyflow/react";
import type { FlowNode } from "./flow-mapping.ts";
import { nodeSize, sketchArea, SketchPathGroups, SketchPaths, useDragSplit, useViewportPortal, type SketchPath } from "./canvas-drawing.tsx";
import { useSameList } from "./same-list-memo.ts";
import { useEditorStore } from "./editor-store.ts";
import { useSketchPointer } from "./sketch-pointer.ts";

// The colour of a node's top border or outline, as graph-nodes.tsx draws it (styles.css).
const ACCENT: Record<string, string> = { python: "python", sql: "sql", markdown: "note", chart: "chart", table: "table", stream: "stream" };
// A title drawn as a bar about as long as its text at 13 px.
const TITLE_CHAR_WIDTH = 7.2;
const TITLE_BAR_HEIGHT = 8;

function roundedRect(x: number, y: number, width: number, height: number, radius: number): string {
  const r = Math.min(radius, width / 2, height / 2);
  return `M${x + r},${y}h${width - 2 * r}a${r},${r} 0 0 1 ${r},${r}v${height - 2 * r}a${r},${r} 0 0 1 ${-r},${r}h${2 * r - width}a${r},${r} 0 0 1 ${-r},${-r}v${2 * r - height}a${r},${r} 0 0 1 ${r},${-r}z`;
}

/** A node's outline, its corners rounded as graph-nodes.tsx draws them (a store's pill, the others' card). */
function nodeOutline(node: InternalNode<FlowNode>): string {
  const { x, y } = node.internals.positionAbsolute;
  const { width, height } = nodeSize(node);
  return roundedRect(x, y, width, height, node.type === "store" ? 20 : 8);
}

/** Whether React Flow shows a node: not hidden, and measured (it keeps a node invisible until then). */
function drawnByReactFlow(node: InternalNode<FlowNode>): boolean {
  return !node.hidden && node.measured.width !== undefined && node.measured.width > 0;
}

type RunStatuses = ReadonlyMap<string, string>;

/**
 * Each node's latest run status, the same map while no status changes (the runs also change
 * as they count records and logs).
 */
function useRunStatuses(): RunStatuses {
  const runs = useEditorStore((s) => s.latestRuns);
  const last = useRef<RunStatuses>(new Map());
  return useMemo(() => {
    const statuses = new Map(Object.values(runs).map((run) => [run.nodeId, run.status]));
    const previous = last.current;
    if (statuses.size !== previous.size || [...statuses].some(([id, status]) => previous.get(id) !== status)) last.current = statuses;
    return last.current;
  }, [runs]);
}

/**
 * Bodies (a Python or SQL node's in the colour of its latest run: from far its run badge
 * cannot be read, and a failed node stands out), outlines and top borders by colour, title
 * bars: one path of each per area (sketchArea).
 */
function sketch(nodes: readonly InternalNode<FlowNode>[], statuses: RunStatuses): SketchPath[] {
  const groups = new SketchPathGroups();
  for (const node of nodes) {
    const { x, y } = node.internals.positionAbsolute;
    const area = sketchArea(x, y);
    const add = (className: string, d: string) => groups.add(`${className} ${area}`, className, d);
    const { width, height } = nodeSize(node);
    const accent = ACCENT[node.data.kind];
    const store = node.type === "store";
    const status = node.type === "function" ? statuses.get(node.id) : undefined;
    const body = store ? `node-sketch-body node-sketch-outline-${accent}` : status ? `node-sketch-body node-sketch-run-${status}` : "node-sketch-body";
    add(body, nodeOutline(node));
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

/** Outlines of nodes, as a selected node's (the sketched nodes a selection box is drawn around). */
function outlines(nodes: readonly InternalNode<FlowNode>[]): string {
  return nodes.map(nodeOutline).join("");
}

/**
 * The nodes React Flow is not showing (zoomed out, all but the selected ones and the pictures
 * in view, see useCulledNodes; or not measured yet), drawn as one picture: each node's shape
 * and colours, its title as a bar. It answers the pointer as React Flow's nodes do
 * (useSketchPointer: click, drag, right click, selection box). Read from React Flow's own store,
 * so a node React Flow starts to draw (selected, say) leaves the sketch in the same update
 * React Flow draws it (a node just measured leaves it when its size reaches React Flow's node
 * list, meanwhile drawn over its sketch). Redrawn only when a sketched node or a run status
 * changes.
 */
export function NodeSketch({ openMenu }: { openMenu: (event: ReactMouseEvent, nodeId: string) => void }) {
  // A node being dragged is drawn by React Flow.
  const { still } = useDragSplit();
  const portal = useViewportPortal();
  const sketched = useSameList(useMemo(() => still.filter((node) => !drawnByReactFlow(node)), [still]));
  const statuses = useRunStatuses();
  const paths = useMemo(() => sketch(sketched, statuses), [sketched, statuses]);
  const { picked, ...pointer } = useSketchPointer(sketched, openMenu);
  if (!portal) return null;
  // "nopan": a press on a node is not a pan (React Flow's pan leaves such elements alone).
  return createPortal(
    <svg className="node-sketch nopan" aria-hidden="true" data-testid="node-sketch" data-nodes={sketched.length} {...pointer}>
      <SketchPaths paths={paths} />
      {picked.length > 0 ? <path className="node-sketch-picked" d={outlines(picked)} data-testid="node-sketch-picked" data-nodes={picked.length} /> : null}
    </svg>,
    portal,
  );
}
