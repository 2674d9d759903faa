import { useMemo, useRef } from "react";
import { createPortal } from "react-dom";
import { getSmoothStepPath, Position, useStore, type InternalNode } from "@xyflow/react";
import type { FlowEdge, FlowNode } from "./flow-mapping.ts";
import { nodeSize, sketchArea, SketchPathGroups, SketchPaths, useDragSplit, useViewportPortal, type SketchPath } from "./canvas-drawing.tsx";
import { useSameListMemo } from "./same-list-memo.ts";
import { useGraphBox } from "./graph-backdrop.tsx";

/** Where an edge leaves or enters a node seen from far away: the middle of its right or left side. */
function endPoint(node: InternalNode<FlowNode>, type: "source" | "target"): { x: number; y: number } {
  const { x, y } = node.internals.positionAbsolute;
  const { width, height } = nodeSize(node);
  return { x: type === "source" ? x + width : x, y: y + height / 2 };
}

/** A line or a corner of an edge, and the area it starts in (see sketchArea). */
interface Piece {
  d: string;
  area: string;
}

/** An edge's path, with the two nodes it was drawn between, its pieces (pathPieces), and whether it has a warning. */
interface DrawnEdge {
  source: InternalNode<FlowNode>;
  target: InternalNode<FlowNode>;
  d: string;
  pieces: Piece[];
  warned: boolean;
}

/** What the sketch drew last: the edges by what happens to them during a drag, and their paths. */
interface EdgeDrawing {
  edges: readonly FlowEdge[];
  /** DragSplit's `still` it was drawn with. */
  stillNodes: readonly InternalNode<FlowNode>[];
  /** Edges with a dragged end, drawn again each frame of a drag. */
  movingEdges: FlowEdge[];
  /** The others, without and with a warning. */
  still: DrawnEdge[];
  warned: DrawnEdge[];
  moving: DrawnEdge[];
}

function joinPaths(paths: readonly DrawnEdge[]): string {
  return paths.map((path) => path.d).join("");
}

/**
 * A smooth-step path (getSmoothStepPath: a move, then lines and corners) cut into its lines
 * and corners. The browser redraws a changed path's whole bounding box — for a moved edge the
 * box between its two ends, for its pieces thin strips — and a redrawn tile goes through every
 * path whose box it meets: grouped by where they are, the pieces of the edges that stay keep
 * each area's path within (about) that area.
 */
export function pathPieces(d: string): Piece[] {
  const pieces: Piece[] = [];
  let from: string[] = [];
  for (const command of d.match(/[MLQ][^MLQ]*/g) ?? []) {
    const numbers = command.slice(1).trim().split(/[\s,]+/);
    if (command[0] !== "M") pieces.push({ d: `M${from.join(" ")}${command}`, area: sketchArea(Number(from[0]), Number(from[1])) });
    from = numbers.slice(-2);
  }
  return pieces;
}

/** One path per area the pieces of `paths` start in. */
function pathsByArea(paths: readonly DrawnEdge[]): SketchPath[] {
  const groups = new SketchPathGroups();
  for (const path of paths) for (const piece of path.pieces) groups.add(piece.area, "edge-sketch-path", piece.d);
  return groups.paths();
}

/**
 * The graph's edges seen from far away: a few paths for all of them, in the same shape React Flow
 * draws, redrawn when nodes or edges change and never while the view pans. React Flow's edges
 * each subscribe to its store (three subscriptions an edge, run on every pan frame) and mount
 * as they scroll into view; zoomed out they are hidden and this drawing takes their place
 * (bench:canvas, docs/benchmarks.md). An edge is selected or deleted zoomed in.
 *
 * While nodes are dragged their edges (warned or not) are drawn apart, in pieces (pathPieces),
 * in a drawing of their own: a composited layer as large as the graph (the backdrop's box,
 * fixed for the drag), so each drag frame paints, rasters and commits only those few pieces,
 * and the layer that holds every other node and edge is left alone. Sized to the moving edges
 * instead, the layer would change size every frame, and Chromium then re-layers everything
 * (docs/benchmarks.md, items 23 and 28). It is drawn over the other nodes, under the dragged
 * ones.
 */
export function EdgeSketch({ edges }: { edges: readonly FlowEdge[] }) {
  const split = useDragSplit();
  const nodeLookup = useStore((s) => s.nodeLookup) as Map<string, InternalNode<FlowNode>>;
  const portal = useViewportPortal();
  // Each edge's path, kept while neither of its nodes changes (React Flow makes a new internal node when one does).
  const drawn = useRef(new WeakMap<FlowEdge, DrawnEdge>());
  const last = useRef<EdgeDrawing | null>(null);
  const { still, moving, warned } = useMemo(() => {
    const draw = (edge: FlowEdge): DrawnEdge | null => {
      const source = nodeLookup.get(edge.source);
      const target = nodeLookup.get(edge.target);
      // Hidden nodes are drawn too (by NodeSketch: useCulledNodes hides those out of view).
      if (!source || !target) return null;
      let path = drawn.current.get(edge);
      if (path?.source !== source || path.target !== target) {
        const from = endPoint(source, "source");
        const to = endPoint(target, "target");
        const [d] = getSmoothStepPath({ sourceX: from.x, sourceY: from.y, sourcePosition: Position.Right, targetX: to.x, targetY: to.y, targetPosition: Position.Left });
        path = { source, target, d, pieces: pathPieces(d), warned: Boolean(edge.data?.warning) };
        drawn.current.set(edge, path);
      }
      return path;
    };
    const drawAll = (list: readonly FlowEdge[]) => list.map(draw).filter((path) => path !== null);
    const previous = last.current;
    let drawing: EdgeDrawing;
    if (previous && previous.edges === edges && previous.stillNodes === split.still) {
      // Only dragged nodes moved: only their edges are drawn again.
      drawing = { ...previous, moving: drawAll(previous.movingEdges) };
    } else {
      const dragged = new Set(split.dragged.map((node) => node.id));
      const lists = { moving: [] as FlowEdge[], still: [] as FlowEdge[], warned: [] as FlowEdge[] };
      for (const edge of edges) {
        const list = dragged.has(edge.source) || dragged.has(edge.target) ? lists.moving : edge.data?.warning ? lists.warned : lists.still;
        list.push(edge);
      }
      drawing = { edges, stillNodes: split.still, movingEdges: lists.moving, still: drawAll(lists.still), warned: drawAll(lists.warned), moving: drawAll(lists.moving) };
    }
    last.current = drawing;
    return drawing;
  }, [edges, split, nodeLookup]);
  const stillPaths = useSameListMemo(still, pathsByArea);
  const box = useGraphBox();
  if (!portal) return null;
  return createPortal(
    <>
      <svg className="edge-sketch" aria-hidden="true" data-testid="edge-sketch" data-edges={edges.length}>
        <SketchPaths paths={stillPaths} />
        {warned.length > 0 ? <path d={joinPaths(warned)} className="edge-sketch-path warned" /> : null}
      </svg>
      {moving.length > 0 && box ? (
        <svg className="edge-sketch-moving" aria-hidden="true" data-testid="edge-sketch-moving" style={box} viewBox={`${box.left} ${box.top} ${box.width} ${box.height}`}>
          {moving.flatMap((path) => path.pieces.map(({ d }) => ({ d, warned: path.warned }))).map(({ d, warned }, i) => (
            <path key={i} d={d} className={warned ? "edge-sketch-path warned" : "edge-sketch-path"} />
          ))}
        </svg>
      ) : null}
    </>,
    portal,
  );
}
