import { isFunctionKind, isStoreKind, type GraphDocument, type GraphNode } from "./document.ts";
import { inferPorts, type PortSpec } from "./infer-ports.ts";
import { fixedPorts } from "./special-ports.ts";

/** A node's port together with the store node it is bound to, if any. */
export interface ResolvedPort extends PortSpec {
  nodeId: string;
  /** The bound store node's id, or null when the port is unbound. */
  storeId: string | null;
  /** True when the binding comes from the port's name rather than an explicit mapping. */
  implicit: boolean;
}

/** The stores of a document, looked up by name and by id. */
interface StoreIndex {
  byName: Map<string, GraphNode>;
  ids: Set<string>;
}

function indexStores(doc: GraphDocument): StoreIndex {
  const stores = doc.nodes.filter((n) => isStoreKind(n.kind));
  return { byName: new Map(stores.map((n) => [n.title, n])), ids: new Set(stores.map((n) => n.id)) };
}

function resolveWith(stores: StoreIndex, node: GraphNode): ResolvedPort[] {
  const declared = isFunctionKind(node.kind) ? inferPorts(node.kind, node.code).ports : fixedPorts(node);
  return declared.map((port) => {
    const mapping = port.direction === "input" ? node.inputs : node.outputs;
    if (port.name in mapping) {
      const target = mapping[port.name] ?? null;
      return { ...port, nodeId: node.id, storeId: target !== null && stores.ids.has(target) ? target : null, implicit: false };
    }
    const byName = stores.byName.get(port.name);
    return { ...port, nodeId: node.id, storeId: byName && byName.kind === port.kind ? byName.id : null, implicit: true };
  });
}

/**
 * Resolves every port of a node to its store: the node's inputs/outputs
 * mapping first, else the store of the same name.
 */
export function resolvePorts(doc: GraphDocument, node: GraphNode): ResolvedPort[] {
  return resolveWith(indexStores(doc), node);
}

/** All resolved ports of a graph, the edges of the canvas (the stores are indexed once). */
export function resolveAllPorts(doc: GraphDocument): ResolvedPort[] {
  const stores = indexStores(doc);
  return doc.nodes.flatMap((node) => resolveWith(stores, node));
}
