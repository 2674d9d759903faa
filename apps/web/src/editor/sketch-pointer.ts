import { useEffect, useLayoutEffect, useRef, useState, type MouseEvent as ReactMouseEvent, type PointerEvent as ReactPointerEvent } from "react";
import { useReactFlow, useStoreApi, type InternalNode, type Rect, type Transform, type XYPosition } from "@xyflow/react";
import { XYDrag, type XYDragInstance } from "@xyflow/system";
import { nodeSize } from "./canvas-drawing.tsx";
import type { FlowEdge, FlowNode } from "./flow-mapping.ts";

type Flow = ReturnType<typeof useStoreApi<FlowNode, FlowEdge>>;

/**
 * The last of `nodes` (the one drawn on top) with `point` of the graph on it, or within `slop`
 * of it: the browser finds the pointer on a node's outline, half of which is outside the node.
 */
export function nodeAt<N extends InternalNode<FlowNode>>(nodes: readonly N[], point: XYPosition, slop = 0): N | undefined {
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i];
    if (!node) continue;
    const { x, y } = node.internals.positionAbsolute;
    const { width, height } = nodeSize(node);
    if (point.x >= x - slop && point.x <= x + width + slop && point.y >= y - slop && point.y <= y + height + slop) return node;
  }
  return undefined;
}

/**
 * The nodes entirely inside a selection box, as React Flow's box selection picks its own: the
 * box in pixels of the canvas (its userSelectionRect), the nodes in the graph's coordinates.
 */
export function nodesInBox<N extends InternalNode<FlowNode>>(nodes: readonly N[], box: Rect, [tx, ty, zoom]: Transform): N[] {
  const left = (box.x - tx) / zoom;
  const top = (box.y - ty) / zoom;
  const right = left + box.width / zoom;
  const bottom = top + box.height / zoom;
  return nodes.filter((node) => {
    const { x, y } = node.internals.positionAbsolute;
    const { width, height } = nodeSize(node);
    return x >= left && y >= top && x + width <= right && y + height <= bottom;
  });
}

/**
 * A click on a node, as React Flow answers one on its own nodes: selects it alone, or with a
 * multi-selection key held adds it to the selection or takes it out.
 */
function selectOnClick(flow: Flow, id: string): void {
  const { addSelectedNodes, unselectNodesAndEdges, multiSelectionActive, nodeLookup } = flow.getState();
  const node = nodeLookup.get(id);
  if (!node) return;
  flow.setState({ nodesSelectionActive: false });
  if (!node.selected) addSelectedNodes([id]);
  else if (multiSelectionActive) unselectNodesAndEdges({ nodes: [node.internals.userNode], edges: [] });
}

export interface SketchPointer {
  onPointerDown: (event: ReactPointerEvent<SVGSVGElement>) => void;
  onClick: (event: ReactMouseEvent<SVGSVGElement>) => void;
  onContextMenu: (event: ReactMouseEvent<SVGSVGElement>) => void;
  /** The sketched nodes inside the selection box being drawn, to be selected with React Flow's picks when it is let go. */
  picked: InternalNode<FlowNode>[];
}

/**
 * The node sketch under the pointer, answering as React Flow's own nodes do: a click selects
 * the node (Shift, Ctrl or ⌘ add it to the selection or take it out), a press and move drags
 * it — with React Flow's own drag (XYDrag: the selection moves with it, snapping, panning at
 * the canvas's edge, onNodeDragStop and so one undo step at the drop) — and a right click opens
 * its menu (`openMenu`). A selection box picks the sketched nodes inside it too: React Flow's
 * box picks only the nodes it draws.
 */
export function useSketchPointer(sketched: readonly InternalNode<FlowNode>[], openMenu: (event: ReactMouseEvent, nodeId: string) => void): SketchPointer {
  const flow = useStoreApi<FlowNode, FlowEdge>();
  const { screenToFlowPosition } = useReactFlow<FlowNode, FlowEdge>();
  const nodes = useRef(sketched);
  useLayoutEffect(() => {
    nodes.current = sketched;
  }, [sketched]);
  const drag = useRef<XYDragInstance | null>(null);
  useEffect(() => {
    let start = new Map<string, XYPosition>();
    drag.current = XYDrag({
      getStoreItems: () => flow.getState(),
      onNodeMouseDown: (id) => selectOnClick(flow, id),
      // The nodes are marked dragged from the start (drag-frames.ts: a layer of their own), not
      // from the first move after it: React Flow first draws a node grabbed in the sketch as
      // the drag starts, and a node first painted in the graph's layer and then lifted out
      // of it left a faint line of its border there.
      onDragStart: (_event, items) => {
        start = new Map([...items].map(([id, item]) => [id, item.position]));
        flow.getState().updateNodePositions(items, true);
      },
      // XYDrag ends a drag with the nodes' positions only if they changed; they are marked dragged all the same.
      onDragStop: (_event, items) => {
        const moved = [...items].some(([id, item]) => item.position.x !== start.get(id)?.x || item.position.y !== start.get(id)?.y);
        if (!moved) flow.getState().updateNodePositions(items, false);
      },
    });
    return () => {
      drag.current?.destroy();
      drag.current = null;
    };
  }, [flow]);

  // Picks of the selection box, worked out as it changes (and as it pans the view), selected when it is let go.
  const [picked, setPicked] = useState<InternalNode<FlowNode>[]>([]);
  useEffect(() => {
    let picks: InternalNode<FlowNode>[] = [];
    return flow.subscribe((state, previous) => {
      if (state.userSelectionActive && state.userSelectionRect && state.userSelectionRect !== previous.userSelectionRect) {
        picks = nodesInBox(nodes.current, state.userSelectionRect, state.transform);
        setPicked(picks);
      } else if (previous.userSelectionActive && !state.userSelectionActive) {
        if (picks.length > 0) state.triggerNodeChanges(picks.map((node) => ({ type: "select", id: node.id, selected: true })));
        picks = [];
        setPicked(picks);
      }
    });
  }, [flow]);

  // A pixel of the screen either way: from far, one is several of the graph's.
  const nodeUnder = (event: ReactMouseEvent) => nodeAt(nodes.current, screenToFlowPosition({ x: event.clientX, y: event.clientY }), 1 / flow.getState().transform[2]);
  return {
    picked,
    onPointerDown: (event) => {
      // Runs before the press's mousedown reaches XYDrag's listener on the sketch: the drag is of the node pressed, or none.
      const node = event.button === 0 ? nodeUnder(event) : undefined;
      if (node && flow.getState().nodesDraggable) drag.current?.update({ domNode: event.currentTarget, nodeId: node.id, isSelectable: true, noDragClassName: "nodrag" });
      else drag.current?.destroy();
    },
    // XYDrag swallows the click that ends a drag.
    onClick: (event) => {
      const node = nodeUnder(event);
      if (node) selectOnClick(flow, node.id);
    },
    onContextMenu: (event) => {
      event.preventDefault();
      const node = nodeUnder(event);
      if (node) openMenu(event, node.id);
    },
  };
}
