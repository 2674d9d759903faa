import { GraphError, isFunctionKind, type GraphDocument } from "./document.ts";
import { resolveAllPorts } from "./bindings.ts";

/** Function nodes that read a store another function node writes: node id → the node ids it feeds. */
export function downstreamEdges(doc: GraphDocument): Map<string, Set<string>> {
  const ports = resolveAllPorts(doc);
  const writers = new Map<string, string[]>();
  for (const p of ports) {
    if (p.direction === "output" && p.storeId) writers.set(p.storeId, [...(writers.get(p.storeId) ?? []), p.nodeId]);
  }
  const edges = new Map<string, Set<string>>();
  for (const node of doc.nodes) if (isFunctionKind(node.kind)) edges.set(node.id, new Set());
  for (const p of ports) {
    if (p.direction !== "input" || !p.storeId) continue;
    for (const writer of writers.get(p.storeId) ?? []) if (writer !== p.nodeId) edges.get(writer)?.add(p.nodeId);
  }
  return edges;
}

/**
 * The function nodes to run, in dependency order: `start` alone, or with
 * everything downstream of it, or (start = null) the whole graph. A cycle is
 * refused with the nodes that form it.
 */
export function executionOrder(doc: GraphDocument, start: string | null, includeDownstream: boolean): string[] {
  const edges = downstreamEdges(doc);
  if (start !== null && !edges.has(start)) throw new GraphError("not_runnable", `Node "${start}" is not a Python or SQL node, so it cannot run.`);
  let selected: Set<string>;
  if (start === null) selected = new Set(edges.keys());
  else if (!includeDownstream) return [start];
  else {
    selected = new Set([start]);
    const queue = [start];
    while (queue.length) for (const next of edges.get(queue.shift() as string) ?? []) if (!selected.has(next)) (selected.add(next), queue.push(next));
  }
  const order: string[] = [];
  const state = new Map<string, "visiting" | "done">();
  const title = (id: string) => doc.nodes.find((n) => n.id === id)?.title ?? id;
  const visit = (id: string, path: string[]): void => {
    if (state.get(id) === "done") return;
    if (state.get(id) === "visiting") {
      const cycle = [...path.slice(path.indexOf(id)), id].map(title).join(" → ");
      throw new GraphError("cycle", `These nodes form a cycle and cannot run in order: ${cycle}. Remove one of the connections.`);
    }
    state.set(id, "visiting");
    for (const next of edges.get(id) ?? []) if (selected.has(next)) visit(next, [...path, id]);
    state.set(id, "done");
    order.push(id);
  };
  // Visiting in document order keeps independent nodes in the order a person placed them.
  for (const node of doc.nodes) if (selected.has(node.id)) visit(node.id, []);
  return order.reverse();
}
