import { isStoreKind, type GraphDocument, type GraphNode } from "./document.ts";
import { NODE_PATCH_KEYS as PATCH_KEYS, type GraphChange } from "./changes.ts";

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function bindingChanges(from: GraphNode, to: GraphNode): GraphChange[] {
  const changes: GraphChange[] = [];
  for (const direction of ["input", "output"] as const) {
    const before = direction === "input" ? from.inputs : from.outputs;
    const after = direction === "input" ? to.inputs : to.outputs;
    for (const [port, storeId] of Object.entries(after)) {
      if (!Object.hasOwn(before, port) || before[port] !== storeId) changes.push({ type: "bindPort", nodeId: to.id, direction, port, storeId });
    }
    for (const port of Object.keys(before)) {
      if (!Object.hasOwn(after, port)) changes.push({ type: "unsetBinding", nodeId: to.id, direction, port });
    }
  }
  return changes;
}

/**
 * The changes that turn document `from` into `to` node by node (restoring a version is
 * these, so the server checks it like any edit and undo takes it back in one step).
 * Document-level fields (readme, attached files) are not graph changes and stay as they are.
 */
export function documentChanges(from: GraphDocument, to: GraphDocument): GraphChange[] {
  const target = new Map(to.nodes.map((n) => [n.id, n]));
  const current = new Map(from.nodes.map((n) => [n.id, n]));
  const removals: GraphChange[] = [];
  const renames: GraphChange[] = [];
  const rest: GraphChange[] = [];
  // A node that changed kind cannot be patched into the other kind: replace it.
  const replaced = new Set(from.nodes.filter((n) => target.get(n.id) !== undefined && target.get(n.id)?.kind !== n.kind).map((n) => n.id));
  for (const node of from.nodes) if (!target.has(node.id) || replaced.has(node.id)) removals.push({ type: "removeNode", id: node.id });

  // Store renames go through a free temporary name first, so swapping two names never clashes.
  const renamedStores = to.nodes.filter((n) => {
    const before = current.get(n.id);
    return before && !replaced.has(n.id) && isStoreKind(n.kind) && before.title !== n.title;
  });
  for (const node of renamedStores) renames.push({ type: "updateNode", id: node.id, patch: { title: `${node.title}~${node.id}` } });

  to.nodes.forEach((node, index) => {
    const before = current.get(node.id);
    if (!before || replaced.has(node.id)) {
      rest.push({ type: "addNode", node, index });
      return;
    }
    const patch: Record<string, unknown> = {};
    for (const key of PATCH_KEYS) {
      const value: unknown = node[key];
      if (!same(before[key], value)) patch[key] = value === undefined && key === "trigger" ? "" : value;
    }
    for (const key of Object.keys(patch)) if (patch[key] === undefined) delete patch[key];
    if (Object.keys(patch).length > 0) rest.push({ type: "updateNode", id: node.id, patch });
    if (before.position.x !== node.position.x || before.position.y !== node.position.y) rest.push({ type: "moveNode", id: node.id, position: node.position });
  });
  // Bindings last: every store they point at exists by then. A removed store turned the
  // ports bound to it into explicit nulls, which these compare against.
  const afterRemovals = new Map(from.nodes.map((n) => [n.id, nullBindingsTo(n, new Set(removals.flatMap((c) => (c.type === "removeNode" ? [c.id] : []))))]));
  for (const node of to.nodes) {
    const before = afterRemovals.get(node.id);
    if (before && !replaced.has(node.id)) rest.push(...bindingChanges(before, node));
  }
  return [...removals, ...renames, ...rest];
}

function nullBindingsTo(node: GraphNode, removed: Set<string>): GraphNode {
  const unbind = (b: Record<string, string | null>) => Object.fromEntries(Object.entries(b).map(([port, id]) => [port, id !== null && removed.has(id) ? null : id]));
  return { ...node, inputs: unbind(node.inputs), outputs: unbind(node.outputs) };
}
