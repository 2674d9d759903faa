import dagre from "@dagrejs/dagre";
import { resolveAllPorts, type GraphChange, type GraphDocument } from "@patchbay/graph";

export interface NodeSize {
  width: number;
  height: number;
}

/** Used for a node `sizes` leaves out (the editor gives every node its size, canvas-drawing.tsx nodeSize). */
const DEFAULT_SIZE: NodeSize = { width: 220, height: 110 };

/**
 * Lays the graph out left to right by data flow (writer → store → reader) with dagre and
 * returns the moves, one batch so it is one undo step. Unconnected nodes line up too.
 */
export function autoLayoutChanges(doc: GraphDocument, sizes: ReadonlyMap<string, NodeSize>): GraphChange[] {
  const graph = new dagre.graphlib.Graph<{ rankdir: "LR"; nodesep: number; ranksep: number }, NodeSize & { x?: number; y?: number }, object>();
  graph.setGraph({ rankdir: "LR", nodesep: 40, ranksep: 90 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const node of doc.nodes) graph.setNode(node.id, { ...(sizes.get(node.id) ?? DEFAULT_SIZE) });
  for (const port of resolveAllPorts(doc)) {
    if (port.storeId === null || port.storeId === port.nodeId) continue;
    if (port.direction === "output") graph.setEdge(port.nodeId, port.storeId);
    else graph.setEdge(port.storeId, port.nodeId);
  }
  dagre.layout(graph);
  const changes: GraphChange[] = [];
  for (const node of doc.nodes) {
    const laid = graph.node(node.id);
    const size = sizes.get(node.id) ?? DEFAULT_SIZE;
    if (laid?.x === undefined || laid.y === undefined) continue;
    // dagre places centres; the document stores top-left corners.
    const position = { x: Math.round(laid.x - size.width / 2), y: Math.round(laid.y - size.height / 2) };
    if (position.x !== node.position.x || position.y !== node.position.y) changes.push({ type: "moveNode", id: node.id, position });
  }
  return changes;
}
