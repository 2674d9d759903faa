import { isStoreKind, type GraphDocument } from "./document.ts";
import { resolveAllPorts, type ResolvedPort } from "./bindings.ts";
import { downstreamEdges } from "./execution-order.ts";

export type GraphWarningCode = "unbound_port" | "unwritten_store" | "cycle" | "multiple_writers";

/** A port of a node, as warnings and the canvas's edges name it. */
export interface PortRef {
  nodeId: string;
  direction: "input" | "output";
  port: string;
}

/** Something in a graph that runs but probably not as meant, with the nodes and ports it concerns. */
export interface GraphWarning {
  code: GraphWarningCode;
  message: string;
  nodeIds: string[];
  ports: PortRef[];
}

function portRef(port: ResolvedPort): PortRef {
  return { nodeId: port.nodeId, direction: port.direction, port: port.name };
}

/** Strongly connected groups of more than one node (Tarjan), each in document order. */
function cycles(doc: GraphDocument, edges: Map<string, Set<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const groups: string[][] = [];
  let counter = 0;
  const visit = (id: string): void => {
    index.set(id, counter);
    low.set(id, counter);
    counter++;
    stack.push(id);
    onStack.add(id);
    for (const next of edges.get(id) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(id, Math.min(low.get(id) ?? 0, low.get(next) ?? 0));
      } else if (onStack.has(next)) {
        low.set(id, Math.min(low.get(id) ?? 0, index.get(next) ?? 0));
      }
    }
    if (low.get(id) !== index.get(id)) return;
    const group: string[] = [];
    for (;;) {
      const member = stack.pop();
      if (member === undefined) break;
      onStack.delete(member);
      group.push(member);
      if (member === id) break;
    }
    if (group.length > 1) groups.push(group);
  };
  for (const id of edges.keys()) if (!index.has(id)) visit(id);
  const order = new Map(doc.nodes.map((n, i) => [n.id, i]));
  return groups.map((g) => g.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0)));
}

/**
 * What the canvas warns about: ports bound to no store, stores nothing writes, cycles of
 * nodes, and tables with more than one writer. A node reading and writing the same store
 * is not a cycle (that is how incremental nodes work), and streams may have many writers.
 */
export function graphWarnings(doc: GraphDocument, ports: readonly ResolvedPort[] = resolveAllPorts(doc)): GraphWarning[] {
  const warnings: GraphWarning[] = [];
  const title = (id: string) => doc.nodes.find((n) => n.id === id)?.title ?? id;

  for (const port of ports) {
    if (port.storeId !== null) continue;
    // An optional input (required=False) may stay unconnected.
    if (port.direction === "input" && !port.required) continue;
    const kind = port.kind === "table" ? "Table" : "Stream";
    warnings.push({
      code: "unbound_port",
      message:
        port.direction === "output"
          ? `Output "${port.name}" of "${title(port.nodeId)}" is connected to no store, so what it writes has nowhere to go. Add a ${kind} named "${port.name}" or drag from the port to a store.`
          : `Input "${port.name}" of "${title(port.nodeId)}" is connected to no store. Add a ${kind} named "${port.name}" or drag from a store to the port.`,
      nodeIds: [port.nodeId],
      ports: [portRef(port)],
    });
  }

  for (const store of doc.nodes) {
    if (!isStoreKind(store.kind)) continue;
    const writers = ports.filter((p) => p.direction === "output" && p.storeId === store.id);
    const readers = ports.filter((p) => p.direction === "input" && p.storeId === store.id);
    if (writers.length === 0) {
      warnings.push({
        code: "unwritten_store",
        message: `No node writes to the ${store.kind} "${store.title}"${readers.length ? `, so ${readers.map((r) => `"${title(r.nodeId)}"`).join(", ")} will read nothing` : ""}. Connect a node's output to it.`,
        nodeIds: [store.id],
        ports: readers.map(portRef),
      });
    }
    const writerNodes = [...new Set(writers.map((w) => w.nodeId))];
    if (store.kind === "table" && writerNodes.length > 1) {
      warnings.push({
        code: "multiple_writers",
        message: `The table "${store.title}" is written by ${writerNodes.map((id) => `"${title(id)}"`).join(" and ")}; each run replaces or mixes the other's rows. Give each writer its own table, or use a Stream.`,
        nodeIds: [store.id, ...writerNodes],
        ports: writers.map(portRef),
      });
    }
  }

  const edges = downstreamEdges(doc, ports);
  for (const group of cycles(doc, edges)) {
    const members = new Set(group);
    const storesOf = (direction: "input" | "output") => new Set(ports.filter((p) => p.direction === direction && members.has(p.nodeId)).map((p) => p.storeId));
    const written = storesOf("output");
    const read = storesOf("input");
    // The connections that close the loop: through stores one member writes and another reads.
    const cyclePorts = ports.filter((p) => members.has(p.nodeId) && p.storeId !== null && written.has(p.storeId) && read.has(p.storeId));
    warnings.push({
      code: "cycle",
      message: `${group.map((id) => `"${title(id)}"`).join(", ")} feed each other in a cycle, so they cannot run in order. Remove one of the connections.`,
      nodeIds: group,
      ports: cyclePorts.map(portRef),
    });
  }
  return warnings;
}
