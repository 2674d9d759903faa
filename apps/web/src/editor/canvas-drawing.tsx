import { memo, useMemo, useRef } from "react";
import { useStore, type InternalNode } from "@xyflow/react";
import type { FlowNode } from "./flow-mapping.ts";

// Shared by what the canvas draws outside React Flow's own nodes and edges: the backdrop,
// the node and edge sketches, the minimap, and the culling of nodes out of view; node sizes
// also by fit view on opening (zoom-detail.tsx) and auto layout.

/** Size assumed for a node React Flow has not measured yet (never drawn) whose size its kind does not tell (a note, a chart). */
export const UNMEASURED_NODE = { width: 200, height: 60 };

/**
 * The size a node is drawn at, as far as its kind and ports tell (graph-nodes.tsx and
 * styles.css decide it; an e2e test compares the two): a big graph opens zoomed out, and most
 * of its nodes are never drawn to be measured.
 */
export function expectedNodeSize(data: FlowNode["data"]): { width: number; height: number } {
  switch (data.kind) {
    case "python":
    case "sql": {
      // A header, then a row per input and output side by side; none: a line saying so.
      const rows = Math.max(data.inputs.length, data.outputs.length);
      return rows === 0 ? { width: 285, height: 92 } : { width: 200, height: 76 + 24 * rows };
    }
    case "table":
    case "stream":
      return { width: 140, height: 44 };
    case "webhook":
      return { width: 260, height: 114 };
    default:
      return UNMEASURED_NODE;
  }
}

/** A node's size: as React Flow measured it, else as expected from its kind and ports. */
export function nodeSize(node: { measured?: { width?: number; height?: number }; data: FlowNode["data"] }): { width: number; height: number } {
  if (node.measured?.width && node.measured.height) return { width: node.measured.width, height: node.measured.height };
  return expectedNodeSize(node.data);
}

/** The box around `nodes` (each at nodeSize), in flow coordinates; null for no nodes. */
export function graphBounds(nodes: readonly FlowNode[]): { left: number; top: number; right: number; bottom: number } | null {
  if (nodes.length === 0) return null;
  let left = Infinity;
  let top = Infinity;
  let right = -Infinity;
  let bottom = -Infinity;
  for (const node of nodes) {
    const { width, height } = nodeSize(node);
    left = Math.min(left, node.position.x);
    top = Math.min(top, node.position.y);
    right = Math.max(right, node.position.x + width);
    bottom = Math.max(bottom, node.position.y + height);
  }
  return { left, top, right, bottom };
}

/**
 * The square of the graph (500 flow pixels a side) a point is in. The sketches draw one path
 * per area (the edges' by where their pieces start, see pathPieces): the browser rasters a
 * path whole wherever its box meets a tile being drawn, so one path for all 1,500 edges made
 * every tile redrawn (under a dragged node's edges, or panned into view) go through all of
 * them, and 2,000-pixel areas still a sixth of them (bench:canvas, docs/benchmarks.md).
 */
export function sketchArea(x: number, y: number): string {
  return `${Math.floor(x / 500)},${Math.floor(y / 500)}`;
}

/**
 * The element inside React Flow's viewport that content can be portalled into, looked up
 * once (React Flow's ViewportPortal looks it up on every store update, each pan frame).
 */
export function useViewportPortal(): Element | null {
  const root = useStore((s) => s.domNode);
  return useMemo(() => root?.querySelector(".react-flow__viewport-portal") ?? null, [root]);
}

/** React Flow's nodes, those being dragged apart from the others. */
export interface DragSplit {
  /** React Flow's node list (its store's `nodes`) this split is of. */
  nodes: readonly FlowNode[];
  /** The nodes not being dragged: the same array while a drag moves only the dragged ones. */
  still: InternalNode<FlowNode>[];
  /** The nodes being dragged, as they are now. */
  dragged: InternalNode<FlowNode>[];
}

/** Whether, from `before` to `after`, the only nodes that changed were being dragged in both. */
export function onlyDraggedNodesChanged(before: readonly FlowNode[], after: readonly FlowNode[]): boolean {
  if (before.length !== after.length) return false;
  for (let i = 0; i < after.length; i++) {
    const a = before[i];
    const b = after[i];
    if (a !== b && !(a?.dragging && b?.dragging && a.id === b.id)) return false;
  }
  return true;
}

/**
 * React Flow's nodes split into those being dragged and the others, for the drawings that
 * redraw only what moves during a drag. While a drag moves only the dragged nodes, `still` is
 * the same array as before: each frame costs a pass over the node list, not over every node
 * and edge. (Sizes React Flow measures during a drag reach `still` after the drop: a measured
 * node is a new internal node, but the node list is new only when the canvas hands it over.)
 */
export function useDragSplit(): DragSplit {
  const nodes = useStore((s) => s.nodes) as FlowNode[];
  const nodeLookup = useStore((s) => s.nodeLookup) as Map<string, InternalNode<FlowNode>>;
  const last = useRef<DragSplit | null>(null);
  return useMemo(() => {
    const previous = last.current;
    let split: DragSplit;
    if (previous && onlyDraggedNodesChanged(previous.nodes, nodes)) {
      split = { nodes, still: previous.still, dragged: previous.dragged.map((node) => nodeLookup.get(node.id) ?? node) };
    } else {
      split = { nodes, still: [], dragged: [] };
      for (const node of nodes) {
        const internal = nodeLookup.get(node.id);
        if (internal) (internal.dragging ? split.dragged : split.still).push(internal);
      }
    }
    last.current = split;
    return split;
  }, [nodes, nodeLookup]);
}

/** A path of a sketch: its key among the others, its class (colours: run-data.css) and its data. */
export interface SketchPath {
  key: string;
  className: string;
  d: string;
}

/** Path data gathered by key: one SketchPath per key, its parts joined. */
export class SketchPathGroups {
  private readonly groups = new Map<string, { className: string; parts: string[] }>();

  add(key: string, className: string, d: string): void {
    const group = this.groups.get(key);
    if (group) group.parts.push(d);
    else this.groups.set(key, { className, parts: [d] });
  }

  paths(): SketchPath[] {
    return [...this.groups.entries()].map(([key, { className, parts }]) => ({ key, className, d: parts.join("") }));
  }
}

/**
 * Paths as they are given, in a component of its own: while the list is the same object React
 * skips them all at once. The sketches have hundreds (one per area and colour), which every
 * frame of a drag would otherwise walk.
 */
export const SketchPaths = memo(function SketchPaths({ paths }: { paths: readonly SketchPath[] }) {
  return paths.map(({ key, className, d }) => <path key={key} d={d} className={className} />);
});
