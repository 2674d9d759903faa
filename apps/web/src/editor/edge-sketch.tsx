import { useMemo } from "react";
import { createPortal } from "react-dom";
import { getSmoothStepPath, Position, useStore, type InternalNode } from "@xyflow/react";
import type { FlowEdge, FlowNode } from "./flow-mapping.ts";
import { UNMEASURED_NODE, useViewportPortal } from "./graph-backdrop.tsx";


/**
 * Where an edge leaves or enters a node seen from far away: the middle of its right or left
 * side, where a compact node's anchors are (graph-nodes.tsx).
 */
function endPoint(node: InternalNode<FlowNode>, type: "source" | "target"): { x: number; y: number } {
  const { x, y } = node.internals.positionAbsolute;
  const width = node.measured.width ?? UNMEASURED_NODE.width;
  const height = node.measured.height ?? UNMEASURED_NODE.height;
  return { x: type === "source" ? x + width : x, y: y + height / 2 };
}

/**
 * The graph's edges seen from far away: all of them as one path, in the same shape React Flow
 * draws, redrawn when nodes or edges change and never while the view pans. React Flow's edges
 * each subscribe to its store (three subscriptions an edge, run on every pan frame) and mount
 * as they scroll into view; zoomed out they are hidden and this drawing takes their place
 * (bench:canvas, docs/benchmarks.md). An edge is selected or deleted zoomed in.
 */
export function EdgeSketch({ edges }: { edges: readonly FlowEdge[] }) {
  // React Flow's node array is new whenever a node changes or was measured.
  const nodes = useStore((s) => s.nodes);
  const nodeLookup = useStore((s) => s.nodeLookup);
  const portal = useViewportPortal();
  const paths = useMemo(() => {
    let plain = "";
    let warned = "";
    for (const edge of edges) {
      const source = nodeLookup.get(edge.source);
      const target = nodeLookup.get(edge.target);
      if (!source || !target || source.hidden || target.hidden) continue;
      const from = endPoint(source as InternalNode<FlowNode>, "source");
      const to = endPoint(target as InternalNode<FlowNode>, "target");
      const [d] = getSmoothStepPath({ sourceX: from.x, sourceY: from.y, sourcePosition: Position.Right, targetX: to.x, targetY: to.y, targetPosition: Position.Left });
      if (edge.data?.warning) warned += d;
      else plain += d;
    }
    return { plain, warned };
    // `nodes` is here for when the lookup's contents change (the lookup itself stays the same).
  }, [edges, nodes, nodeLookup]);
  if (!portal) return null;
  return createPortal(
    <svg className="edge-sketch" aria-hidden="true" data-testid="edge-sketch" data-edges={edges.length}>
      <path d={paths.plain} className="edge-sketch-path" />
      {paths.warned ? <path d={paths.warned} className="edge-sketch-path warned" /> : null}
    </svg>,
    portal,
  );
}
