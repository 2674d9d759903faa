import { useCallback, useRef } from "react";
import { useStoreApi, type NodeChange, type XYPosition } from "@xyflow/react";
import { onNodesChange } from "./editor-store.ts";
import type { FlowEdge, FlowNode } from "./flow-mapping.ts";

/** Whether `changes` are one frame of a drag: positions of nodes still being dragged. */
export function isDragFrame(changes: readonly NodeChange<FlowNode>[]): boolean {
  return changes.length > 0 && changes.every((change) => change.type === "position" && change.dragging === true && change.position !== undefined);
}

/** The size React Flow measured a node at, as its store has it (`measured` of an internal node). */
export type MeasuredSizes = ReadonlyMap<string, { measured: { width?: number; height?: number } }>;

/**
 * `nodes` with the positions of the nodes being dragged, as dragged, and marked "dragging" (a
 * layer of its own, run-data.css). React Flow marks a node it drags itself; one dragged from
 * the node sketch (sketch-pointer.ts) has its mark from here. A dragged node React Flow has
 * measured keeps that size: the editor's nodes learn sizes a moment later (useCanvasNodes),
 * and a node handed to React Flow without one is measured again, unseen until then.
 */
export function withDragPositions(nodes: FlowNode[], dragged: ReadonlyMap<string, XYPosition>, sizes: MeasuredSizes): FlowNode[] {
  if (dragged.size === 0) return nodes;
  return nodes.map((node) => {
    const position = dragged.get(node.id);
    if (!position) return node;
    const measured = sizes.get(node.id)?.measured;
    return { ...node, position, dragging: true, className: "dragging", ...(measured?.width && measured.height ? { measured } : {}) };
  });
}

/**
 * The editor's nodes as React Flow should have them, and its node change handler. Each frame
 * of a drag goes straight into React Flow's store: the editor store learns the new positions
 * when the drag ends (the last position change, then the move as one undo step), so a drag
 * frame does not render the canvas nor run every editor-store subscriber on the page
 * (bench:canvas, docs/benchmarks.md). Should the canvas render while a drag is on (something
 * else changed), the nodes it hands React Flow carry the positions dragged so far.
 */
export function useDragFrames(nodes: FlowNode[]): { nodes: FlowNode[]; onNodesChange: (changes: NodeChange<FlowNode>[]) => void } {
  const flow = useStoreApi<FlowNode, FlowEdge>();
  const dragged = useRef(new Map<string, XYPosition>());
  const handle = useCallback(
    (changes: NodeChange<FlowNode>[]) => {
      if (isDragFrame(changes)) {
        const moved = new Map<string, XYPosition>();
        for (const change of changes) if (change.type === "position" && change.position) moved.set(change.id, change.position);
        for (const [id, position] of moved) dragged.current.set(id, position);
        const state = flow.getState();
        state.setNodes(withDragPositions(state.nodes, moved, state.nodeLookup));
        return;
      }
      // The drag's last frame (not dragging) and every other change go through the editor store.
      for (const change of changes) if (change.type === "position" && !change.dragging) dragged.current.delete(change.id);
      onNodesChange(changes);
    },
    [flow],
  );
  // Read when the canvas renders, which a drag frame does not make it do: a new list each
  // render while a drag is on (rare: something else changed), so the culling sees it too.
  return { nodes: dragged.current.size > 0 ? withDragPositions(nodes, dragged.current, flow.getState().nodeLookup) : nodes, onNodesChange: handle };
}
