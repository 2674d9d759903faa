import { GraphError, type GraphDocument, type GraphNode } from "./document.ts";
import { applyGraphChange, type GraphChange, type NodePatch } from "./changes.ts";

function findNode(doc: GraphDocument, id: string): GraphNode {
  const node = doc.nodes.find((n) => n.id === id);
  if (!node) throw new GraphError("unknown_node", `No node with id "${id}" in this graph.`);
  return node;
}

/** The ports of other nodes explicitly bound to `storeId`; removing the store turns them into null. */
function bindingsTo(doc: GraphDocument, storeId: string): GraphChange[] {
  const changes: GraphChange[] = [];
  for (const node of doc.nodes) {
    if (node.id === storeId) continue;
    for (const direction of ["input", "output"] as const) {
      const mapping = direction === "input" ? node.inputs : node.outputs;
      for (const [port, target] of Object.entries(mapping)) {
        if (target === storeId) changes.push({ type: "bindPort", nodeId: node.id, direction, port, storeId });
      }
    }
  }
  return changes;
}

/** The change that puts one port's mapping back the way it is in `node`. */
function restoreBinding(node: GraphNode, direction: "input" | "output", port: string): GraphChange {
  const mapping = direction === "input" ? node.inputs : node.outputs;
  if (Object.hasOwn(mapping, port)) return { type: "bindPort", nodeId: node.id, direction, port, storeId: mapping[port] ?? null };
  return { type: "unsetBinding", nodeId: node.id, direction, port };
}

/**
 * The old values of the keys a patch sets. An optional key that was absent cannot be
 * unset by a patch (JSON drops `undefined`), so: a schedule goes back to "" (no schedule),
 * and any other absent key is left as the change made it.
 */
function restorePatch(node: GraphNode, patch: NodePatch): NodePatch {
  const old: Record<string, unknown> = {};
  for (const key of Object.keys(patch)) {
    const value: unknown = Object.hasOwn(node, key) ? Reflect.get(node, key) : undefined;
    if (value !== undefined) old[key] = value;
    else if (key === "trigger") old[key] = "";
  }
  return old;
}

/**
 * The changes that undo `change` when applied to the document it produced from `doc`, in
 * order. Undo records these, so that undo is just more changes the server applies and checks.
 */
export function invertGraphChange(doc: GraphDocument, change: GraphChange): GraphChange[] {
  switch (change.type) {
    case "addNode":
      return [{ type: "removeNode", id: change.node.id }];
    case "removeNode": {
      const index = doc.nodes.findIndex((n) => n.id === change.id);
      const node = findNode(doc, change.id);
      return [{ type: "addNode", node, index }, ...bindingsTo(doc, change.id)];
    }
    case "moveNode":
      return [{ type: "moveNode", id: change.id, position: findNode(doc, change.id).position }];
    case "updateNode": {
      const node = findNode(doc, change.id);
      const patch = restorePatch(node, change.patch);
      return Object.keys(patch).length > 0 ? [{ type: "updateNode", id: change.id, patch }] : [];
    }
    case "bindPort":
    case "unsetBinding":
      return [restoreBinding(findNode(doc, change.nodeId), change.direction, change.port)];
  }
}

/**
 * Applies a batch in order and returns the document with the batch's inverse (the changes
 * that undo the whole batch, last change undone first). Throws like applyGraphChange.
 */
export function applyAndInvert(doc: GraphDocument, changes: readonly GraphChange[]): { document: GraphDocument; inverse: GraphChange[] } {
  let current = doc;
  const inverses: GraphChange[][] = [];
  for (const change of changes) {
    inverses.push(invertGraphChange(current, change));
    current = applyGraphChange(current, change);
  }
  return { document: current, inverse: inverses.reverse().flat() };
}
