import { z } from "zod";
import { graphNodeSchema, GraphError, isStoreKind, parseGraphDocument, positionSchema, type GraphDocument, type GraphNode, type Position } from "./document.ts";

/** A serializable edit of a graph document. Undo, autosave and the server share this stream. */
export type GraphChange =
  /** `index` places the node at that position of the node list (undo of a removal puts it back where it was); default: last. */
  | { type: "addNode"; node: GraphNode; index?: number }
  | { type: "removeNode"; id: string }
  | { type: "moveNode"; id: string; position: Position }
  | { type: "updateNode"; id: string; patch: NodePatch }
  | { type: "bindPort"; nodeId: string; direction: "input" | "output"; port: string; storeId: string | null }
  | { type: "unsetBinding"; nodeId: string; direction: "input" | "output"; port: string };

/** The node fields an updateNode patch can set (one list: the schema, the type and document diffs use it). */
export const NODE_PATCH_KEYS = ["title", "code", "size", "parameterValues", "runtime", "trigger", "webhookMode", "retries", "timeLimitSeconds"] as const;
export type NodePatch = Partial<Pick<GraphNode, (typeof NODE_PATCH_KEYS)[number]>>;

// A patch holds only the fields it changes. zod 4 still fills in a field's default inside
// .partial(), which turned e.g. { title } into { title, code: "", parameterValues: {},
// runtime: "server" } and wiped the node's code: the defaults are unwrapped here.
const nodePatchSchema = graphNodeSchema
  .pick({ title: true, size: true, trigger: true, webhookMode: true, retries: true, timeLimitSeconds: true })
  .extend({ code: graphNodeSchema.shape.code.unwrap(), parameterValues: graphNodeSchema.shape.parameterValues.unwrap(), runtime: graphNodeSchema.shape.runtime.unwrap() })
  .partial();
const portRef = { nodeId: z.string().max(200), direction: z.enum(["input", "output"]), port: z.string().min(1).max(200) };

/** Validates change objects crossing a boundary (API, clipboard). */
export const graphChangeSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("addNode"), node: graphNodeSchema, index: z.number().int().min(0).optional() }),
  z.object({ type: z.literal("removeNode"), id: z.string().max(200) }),
  z.object({ type: z.literal("moveNode"), id: z.string().max(200), position: positionSchema }),
  z.object({ type: z.literal("updateNode"), id: z.string().max(200), patch: nodePatchSchema }),
  z.object({ type: z.literal("bindPort"), ...portRef, storeId: z.string().max(200).nullable() }),
  z.object({ type: z.literal("unsetBinding"), ...portRef }),
]);

function findNode(doc: GraphDocument, id: string): GraphNode {
  const node = doc.nodes.find((n) => n.id === id);
  if (!node) throw new GraphError("unknown_node", `No node with id "${id}" in this graph.`);
  return node;
}

function replaceNode(doc: GraphDocument, id: string, update: (node: GraphNode) => GraphNode): GraphDocument {
  return { ...doc, nodes: doc.nodes.map((n) => (n.id === id ? update(n) : n)) };
}

function withoutKey<T>(record: Record<string, T>, key: string): Record<string, T> {
  const { [key]: _removed, ...rest } = record;
  return rest;
}

/** Applies one change to a document and returns the new document; the input is not modified. */
export function applyGraphChange(doc: GraphDocument, change: GraphChange): GraphDocument {
  switch (change.type) {
    case "addNode": {
      if (doc.nodes.some((n) => n.id === change.node.id)) {
        throw new GraphError("duplicate_node_id", `A node with id "${change.node.id}" already exists.`);
      }
      if (change.index === undefined || change.index >= doc.nodes.length) return { ...doc, nodes: [...doc.nodes, change.node] };
      return { ...doc, nodes: [...doc.nodes.slice(0, change.index), change.node, ...doc.nodes.slice(change.index)] };
    }
    case "removeNode": {
      findNode(doc, change.id);
      const unbind = (b: Record<string, string | null>) =>
        Object.fromEntries(Object.entries(b).map(([port, target]) => [port, target === change.id ? null : target]));
      return {
        ...doc,
        nodes: doc.nodes
          .filter((n) => n.id !== change.id)
          .map((n) => ({ ...n, inputs: unbind(n.inputs), outputs: unbind(n.outputs) })),
      };
    }
    case "moveNode":
      findNode(doc, change.id);
      return replaceNode(doc, change.id, (n) => ({ ...n, position: change.position }));
    case "updateNode": {
      const node = findNode(doc, change.id);
      if (change.patch.title !== undefined && isStoreKind(node.kind)) {
        const clash = doc.nodes.find((n) => n.id !== node.id && isStoreKind(n.kind) && n.title === change.patch.title);
        if (clash) throw new GraphError("duplicate_store_name", `A store named "${change.patch.title}" already exists.`);
      }
      return replaceNode(doc, change.id, (n) => ({ ...n, ...change.patch }));
    }
    case "bindPort": {
      const node = findNode(doc, change.nodeId);
      if (isStoreKind(node.kind)) throw new GraphError("not_a_function", `"${node.title}" is a store; only Python and SQL nodes have ports to bind.`);
      if (change.storeId !== null) {
        const store = findNode(doc, change.storeId);
        if (!isStoreKind(store.kind)) throw new GraphError("not_a_store", `"${store.title}" is not a Table or Stream; ports bind to stores.`);
      }
      const key = change.direction === "input" ? "inputs" : "outputs";
      return replaceNode(doc, node.id, (n) => ({ ...n, [key]: { ...n[key], [change.port]: change.storeId } }));
    }
    case "unsetBinding": {
      const node = findNode(doc, change.nodeId);
      const key = change.direction === "input" ? "inputs" : "outputs";
      return replaceNode(doc, node.id, (n) => ({ ...n, [key]: withoutKey(n[key], change.port) }));
    }
  }
}

/** Applies changes in order and validates the result, so a bad batch changes nothing. */
export function applyGraphChanges(doc: GraphDocument, changes: readonly GraphChange[]): GraphDocument {
  let next = doc;
  for (const change of changes) next = applyGraphChange(next, change);
  return parseGraphDocument(next);
}

/**
 * Whether a change can add, remove or alter a node's cron trigger or a Webhook
 * node: only then must schedules and webhook tokens be brought in step.
 */
export function changeAffectsTriggers(change: GraphChange): boolean {
  switch (change.type) {
    case "addNode":
      return change.node.kind === "webhook" || (change.node.trigger ?? "").trim() !== "";
    case "removeNode":
      return true;
    case "updateNode":
      return change.patch.trigger !== undefined;
    default:
      return false;
  }
}
