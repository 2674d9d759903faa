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

/**
 * Resolves every port of every Python and SQL node to its store: the node's
 * inputs/outputs mapping first, else the store of the same name.
 */
export function resolvePorts(doc: GraphDocument, node: GraphNode): ResolvedPort[] {
  const declared = isFunctionKind(node.kind) ? inferPorts(node.kind, node.code).ports : fixedPorts(node);
  if (declared.length === 0) return [];
  const storesByName = new Map(doc.nodes.filter((n) => isStoreKind(n.kind)).map((n) => [n.title, n]));
  const storeIds = new Set(doc.nodes.filter((n) => isStoreKind(n.kind)).map((n) => n.id));
  return declared.map((port) => {
    const mapping = port.direction === "input" ? node.inputs : node.outputs;
    if (port.name in mapping) {
      const target = mapping[port.name] ?? null;
      return { ...port, nodeId: node.id, storeId: target !== null && storeIds.has(target) ? target : null, implicit: false };
    }
    const byName = storesByName.get(port.name);
    return { ...port, nodeId: node.id, storeId: byName && byName.kind === port.kind ? byName.id : null, implicit: true };
  });
}

/** All resolved ports of a graph, the edges of the canvas. */
export function resolveAllPorts(doc: GraphDocument): ResolvedPort[] {
  return doc.nodes.flatMap((node) => resolvePorts(doc, node));
}
