import { useMemo, useReducer, useRef } from "react";
import { useStoreApi, type Transform } from "@xyflow/react";
import { onlyMeasurementsChanged, type FlowEdge, type FlowNode } from "./flow-mapping.ts";
import { nodeSize } from "./canvas-drawing.tsx";

/** A rectangle of the graph, in flow coordinates. */
export interface FlowRect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** The part of the graph in view, for React Flow's transform and the canvas's size. */
export function viewRect([x, y, zoom]: Transform, width: number, height: number): FlowRect {
  return { left: -x / zoom, top: -y / zoom, right: (width - x) / zoom, bottom: (height - y) / zoom };
}

/** Whether `node` is entirely outside `view`. */
function isOutside(node: FlowNode, view: FlowRect): boolean {
  const { x, y } = node.position;
  const { width, height } = nodeSize(node);
  return x > view.right || y > view.bottom || x + width < view.left || y + height < view.top;
}

// Kinds whose content is a picture worth seeing from far: a chart, rendered Markdown.
const PICTURE_KINDS: ReadonlySet<string> = new Set(["chart", "markdown"]);

/**
 * Ids of the nodes React Flow does not draw zoomed out, the sketch's: all but those in `view`
 * that are selected (to be edited, dragged or wired) or pictures (a chart, a note).
 */
export function nodesSketched(nodes: readonly FlowNode[], view: FlowRect): Set<string> {
  return new Set(nodes.filter((node) => (!node.selected && !PICTURE_KINDS.has(node.data.kind)) || isOutside(node, view)).map((node) => node.id));
}

/**
 * `nodes`, those in `hidden` marked hidden. A node's hidden copy is reused while the node
 * itself is the same object, so React Flow sees only the nodes that changed. A hidden copy has
 * the size the sketch draws it at as its initial size: a node never drawn has no size React
 * Flow measured, and fit view would leave it out.
 */
export function markHidden(nodes: FlowNode[], hidden: ReadonlySet<string>, copies: WeakMap<FlowNode, FlowNode>): FlowNode[] {
  if (hidden.size === 0) return nodes;
  return nodes.map((node) => {
    if (!hidden.has(node.id)) return node;
    let copy = copies.get(node);
    if (!copy) {
      const { width, height } = nodeSize(node);
      copy = { ...node, hidden: true, initialWidth: width, initialHeight: height };
      copies.set(node, copy);
    }
    return copy;
  });
}

const NONE: ReadonlySet<string> = new Set();

function sameMembers(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const id of a) if (!b.has(id)) return false;
  return true;
}

/**
 * Zoomed out, React Flow draws only the selected nodes and the pictures (charts, notes) that
 * were in view when the view last stood still; the others are hidden from it, and NodeSketch
 * draws them and answers the pointer on them (a click selects, a drag moves). Each node React
 * Flow draws costs every pan and drag frame (its store subscriptions, its paint chunks), and
 * from this far its text cannot be read (bench:canvas, docs/benchmarks.md). React Flow's own
 * culling (onlyRenderVisibleElements, on at every zoom) alone mounts nodes as they scroll into
 * view, on the frames of the pan itself; it never mounts a hidden node, so with both it draws
 * only those of the last stop still in view. The view is taken again when it stops moving
 * (`settle`, from React Flow's onMoveEnd) and when the canvas zooms out past the threshold;
 * which nodes React Flow draws is worked out again then and when nodes change — but not while
 * a node is dragged (it is drawn wherever it goes, from the drag's start) nor when only sizes
 * changed (nodes measured as they appear would otherwise come and go at the view's edges).
 * Zoomed in, no node is hidden and React Flow culls.
 */
export function useCulledNodes(nodes: FlowNode[], zoomedOut: boolean): { shown: FlowNode[]; settle: () => void } {
  const flow = useStoreApi<FlowNode, FlowEdge>();
  const [stops, settle] = useReducer((n: number) => n + 1, 0);
  const view = useMemo(() => {
    const { transform, width, height } = flow.getState();
    return zoomedOut && width > 0 && height > 0 ? viewRect(transform, width, height) : null;
    // `stops` is here to take the view again when it stops moving.
  }, [zoomedOut, stops, flow]);
  const last = useRef<{ nodes: FlowNode[]; view: FlowRect | null; hidden: ReadonlySet<string> }>({ nodes: [], view: null, hidden: NONE });
  const hidden = useMemo(() => {
    const previous = last.current;
    const keep = view === previous.view && (nodes.some((node) => node.dragging) || onlyMeasurementsChanged(previous.nodes, nodes));
    if (keep) {
      // A node grabbed in the sketch is drawn from the drag's start.
      const grabbed = nodes.filter((node) => node.dragging && previous.hidden.has(node.id));
      if (grabbed.length === 0) return previous.hidden;
      const hidden = new Set(previous.hidden);
      for (const node of grabbed) hidden.delete(node.id);
      last.current = { ...previous, hidden };
      return hidden;
    }
    const hidden = view ? nodesSketched(nodes, view) : NONE;
    // The same nodes hidden (a short pan, a second end of one move): the same set, so React
    // Flow is not handed all the nodes again.
    last.current = { nodes, view, hidden: sameMembers(hidden, previous.hidden) ? previous.hidden : hidden };
    return last.current.hidden;
  }, [nodes, view]);
  const copies = useRef(new WeakMap<FlowNode, FlowNode>());
  const shown = useMemo(() => markHidden(nodes, hidden, copies.current), [nodes, hidden]);
  return { shown, settle };
}
