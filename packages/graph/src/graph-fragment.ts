import { z } from "zod";
import { graphNodeSchema, isFunctionKind, isStoreKind, type GraphDocument, type GraphNode, type Position } from "./document.ts";
import type { GraphChange } from "./changes.ts";
import { resolvePorts } from "./bindings.ts";

/** Marks clipboard text as Patchbay nodes, so pasting other text is ignored. */
export const GRAPH_FRAGMENT_FORMAT = "patchbay/nodes";

/**
 * Nodes cut out of a graph with their port bindings: what the editor's Copy puts on the
 * system clipboard as JSON text, so it pastes into this graph or another one.
 */
export const graphFragmentSchema = z.object({
  format: z.literal(GRAPH_FRAGMENT_FORMAT),
  version: z.literal(1),
  nodes: z.array(graphNodeSchema).min(1).max(1000),
});
export type GraphFragment = z.infer<typeof graphFragmentSchema>;

/**
 * The fragment of the given nodes. Ports bound by name to a store that is copied along
 * get an explicit binding, so they stay connected when that store is renamed on paste.
 */
export function copyGraphFragment(doc: GraphDocument, nodeIds: readonly string[]): GraphFragment | null {
  const chosen = new Set(nodeIds);
  const nodes = doc.nodes.filter((n) => chosen.has(n.id));
  if (nodes.length === 0) return null;
  return {
    format: GRAPH_FRAGMENT_FORMAT,
    version: 1,
    nodes: nodes.map((node) => {
      if (!isFunctionKind(node.kind)) return node;
      const inputs = { ...node.inputs };
      const outputs = { ...node.outputs };
      for (const port of resolvePorts(doc, node)) {
        if (port.storeId === null || !chosen.has(port.storeId)) continue;
        (port.direction === "input" ? inputs : outputs)[port.name] = port.storeId;
      }
      return { ...node, inputs, outputs };
    }),
  };
}

/** Reads clipboard text; null when it is not Patchbay nodes (or not valid ones): untrusted input. */
export function parseGraphFragment(text: string): GraphFragment | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const result = graphFragmentSchema.safeParse(value);
  return result.success ? result.data : null;
}

function freeName(taken: Set<string>, name: string): string {
  if (!taken.has(name)) return name;
  const base = name.replace(/_\d+$/, "");
  for (let i = 2; ; i++) {
    const candidate = `${base}_${i}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/**
 * The changes that add the fragment's nodes to `doc`: fresh ids, moved so their top-left
 * corner lands at `at` (or shifted by 40 px when no place is given), stores renamed when
 * their name is taken, and bindings pointing at copied stores moved to their copies.
 * Bindings to stores this graph does not have are dropped, so those ports bind by name.
 */
export function pasteGraphFragment(doc: GraphDocument, fragment: GraphFragment, newId: (node: GraphNode) => string, at?: Position): { changes: GraphChange[]; nodeIds: string[] } {
  const ids = new Map(fragment.nodes.map((n) => [n.id, newId(n)]));
  const storeNames = new Set(doc.nodes.filter((n) => isStoreKind(n.kind)).map((n) => n.title));
  const existing = new Set(doc.nodes.map((n) => n.id));
  const left = Math.min(...fragment.nodes.map((n) => n.position.x));
  const top = Math.min(...fragment.nodes.map((n) => n.position.y));
  const shift = at ? { x: at.x - left, y: at.y - top } : { x: 40, y: 40 };
  const remap = (bindings: Record<string, string | null>) => {
    const out: Record<string, string | null> = {};
    for (const [port, target] of Object.entries(bindings)) {
      if (target === null) out[port] = null;
      else if (ids.has(target)) out[port] = ids.get(target) ?? null;
      else if (existing.has(target)) out[port] = target;
    }
    return out;
  };
  const changes: GraphChange[] = fragment.nodes.map((node) => {
    let title = node.title;
    if (isStoreKind(node.kind)) {
      title = freeName(storeNames, node.title);
      storeNames.add(title);
    }
    const copy: GraphNode = {
      ...node,
      id: ids.get(node.id) ?? node.id,
      title,
      position: { x: Math.round(node.position.x + shift.x), y: Math.round(node.position.y + shift.y) },
      inputs: remap(node.inputs),
      outputs: remap(node.outputs),
    };
    return { type: "addNode", node: copy };
  });
  return { changes, nodeIds: [...ids.values()] };
}
