import { GraphError, isFunctionKind, type GraphDocument } from "./document.ts";
import { resolveAllPorts, type ResolvedPort } from "./bindings.ts";

/** Function nodes that read a store another function node writes: node id → the node ids it feeds. */
export function downstreamEdges(doc: GraphDocument, ports: readonly ResolvedPort[] = resolveAllPorts(doc)): Map<string, Set<string>> {
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
export function executionOrder(
  doc: GraphDocument,
  start: string | readonly string[] | null,
  includeDownstream: boolean,
  edges: Map<string, Set<string>> = downstreamEdges(doc),
): string[] {
  const starts = start === null ? null : typeof start === "string" ? [start] : [...start];
  for (const id of starts ?? []) {
    if (!edges.has(id)) throw new GraphError("not_runnable", `Node "${id}" is not a Python or SQL node, so it cannot run.`);
  }
  let selected: Set<string>;
  if (starts === null) selected = new Set(edges.keys());
  else if (!includeDownstream) selected = new Set(starts);
  else {
    selected = new Set(starts);
    const queue = [...starts];
    while (queue.length) for (const next of edges.get(queue.shift() as string) ?? []) if (!selected.has(next)) (selected.add(next), queue.push(next));
  }
  // Kahn's algorithm, taking ready nodes in document order, so independent
  // nodes run in the order a person placed them.
  const position = new Map(doc.nodes.map((n, i) => [n.id, i]));
  const indegree = new Map([...selected].map((id) => [id, 0]));
  for (const id of selected) for (const next of edges.get(id) ?? []) if (selected.has(next)) indegree.set(next, (indegree.get(next) ?? 0) + 1);
  const byPosition = (a: string, b: string) => (position.get(a) ?? 0) - (position.get(b) ?? 0);
  const ready = [...selected].filter((id) => indegree.get(id) === 0).sort(byPosition);
  const order: string[] = [];
  while (ready.length) {
    const id = ready.shift() as string;
    order.push(id);
    for (const next of edges.get(id) ?? []) {
      if (!selected.has(next)) continue;
      const left = (indegree.get(next) ?? 0) - 1;
      indegree.set(next, left);
      if (left === 0) {
        ready.push(next);
        ready.sort(byPosition);
      }
    }
  }
  if (order.length < selected.size) {
    const title = (id: string) => doc.nodes.find((n) => n.id === id)?.title ?? id;
    const cycle = findCycle([...selected].filter((id) => !order.includes(id)), edges);
    throw new GraphError("cycle", `These nodes form a cycle and cannot run in order: ${cycle.map(title).join(" → ")}. Remove one of the connections.`);
  }
  return order;
}

/**
 * A cycle among `nodes`, the ones Kahn's algorithm could not order: each has
 * an incoming edge from another of them, so walking edges backwards must
 * come round to a node already seen.
 */
function findCycle(nodes: string[], edges: Map<string, Set<string>>): string[] {
  const within = new Set(nodes);
  const path: string[] = [];
  let current = nodes[0] as string;
  while (!path.includes(current)) {
    path.push(current);
    const target = current;
    const previous = nodes.find((n) => within.has(n) && edges.get(n)?.has(target));
    if (previous === undefined) break;
    current = previous;
  }
  return [...path.slice(path.indexOf(current)), current].reverse();
}
