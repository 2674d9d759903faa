import { useMemo, useRef } from "react";
import { createPortal } from "react-dom";
import { getSmoothStepPath, Position, useStore, type InternalNode } from "@xyflow/react";
import type { FlowEdge, FlowNode } from "./flow-mapping.ts";
import { nodeSize, sketchArea, useViewportPortal } from "./canvas-drawing.ts";
import { useSameListMemo } from "./same-list-memo.ts";


/**
 * Where an edge leaves or enters a node seen from far away: the middle of its right or left
 * side, where a compact node's anchors are (graph-nodes.tsx).
 */
function endPoint(node: InternalNode<FlowNode>, type: "source" | "target"): { x: number; y: number } {
  const { x, y } = node.internals.positionAbsolute;
  const { width, height } = nodeSize(node);
  return { x: type === "source" ? x + width : x, y: y + height / 2 };
}

/** An edge's path, with the two nodes it was drawn between and the area it starts in. */
interface DrawnEdge {
  source: InternalNode;
  target: InternalNode;
  d: string;
  area: string;
}


function joinPaths(paths: readonly DrawnEdge[]): string {
  return paths.map((path) => path.d).join("");
}

/** One path per area where edges start (see sketchArea). */
function pathsByArea(paths: readonly DrawnEdge[]): [string, string][] {
  const byArea = new Map<string, string[]>();
  for (const path of paths) {
    const parts = byArea.get(path.area) ?? [];
    parts.push(path.d);
    byArea.set(path.area, parts);
  }
  return [...byArea.entries()].map(([area, parts]) => [area, parts.join("")]);
}

/**
 * The graph's edges seen from far away: a few paths for all of them, in the same shape React Flow
 * draws, redrawn when nodes or edges change and never while the view pans. React Flow's edges
 * each subscribe to its store (three subscriptions an edge, run on every pan frame) and mount
 * as they scroll into view; zoomed out they are hidden and this drawing takes their place
 * (bench:canvas, docs/benchmarks.md). An edge is selected or deleted zoomed in.
 *
 * While nodes are dragged their edges are a path of their own: the others keep the same data,
 * so the browser repaints only the edges that move.
 */
export function EdgeSketch({ edges }: { edges: readonly FlowEdge[] }) {
  // React Flow's node array is new whenever a node changes or was measured.
  const nodes = useStore((s) => s.nodes);
  const nodeLookup = useStore((s) => s.nodeLookup);
  const portal = useViewportPortal();
  // Each edge's path, kept while neither of its nodes changes (React Flow makes a new internal node when one does).
  const drawn = useRef(new WeakMap<FlowEdge, DrawnEdge>());
  const { still, moving, warned } = useMemo(() => {
    const lists = { still: [] as DrawnEdge[], moving: [] as DrawnEdge[], warned: [] as DrawnEdge[] };
    for (const edge of edges) {
      const source = nodeLookup.get(edge.source);
      const target = nodeLookup.get(edge.target);
      // Hidden nodes are drawn too (by NodeSketch: useCulledNodes hides those out of view).
      if (!source || !target) continue;
      let path = drawn.current.get(edge);
      if (path?.source !== source || path.target !== target) {
        const from = endPoint(source as InternalNode<FlowNode>, "source");
        const to = endPoint(target as InternalNode<FlowNode>, "target");
        const [d] = getSmoothStepPath({ sourceX: from.x, sourceY: from.y, sourcePosition: Position.Right, targetX: to.x, targetY: to.y, targetPosition: Position.Left });
        path = { source, target, d, area: sketchArea(from.x, from.y) };
        drawn.current.set(edge, path);
      }
      if (edge.data?.warning) lists.warned.push(path);
      else if (source.dragging || target.dragging) lists.moving.push(path);
      else lists.still.push(path);
    }
    return lists;
    // `nodes` is here for when the lookup's contents change (the lookup itself stays the same).
  }, [edges, nodes, nodeLookup]);
  const stillPaths = useSameListMemo(still, pathsByArea);
  if (!portal) return null;
  return createPortal(
    <svg className="edge-sketch" aria-hidden="true" data-testid="edge-sketch" data-edges={edges.length}>
      {stillPaths.map(([area, d]) => (
        <path key={area} d={d} className="edge-sketch-path" />
      ))}
      {moving.length > 0 ? <path d={joinPaths(moving)} className="edge-sketch-path" /> : null}
      {warned.length > 0 ? <path d={joinPaths(warned)} className="edge-sketch-path warned" /> : null}
    </svg>,
    portal,
  );
}
