import { isFunctionKind, resolvePorts, type GraphDocument, type GraphNode } from "@patchbay/graph";
import { selectNode, useEditorStore } from "./editor-store.ts";

export type BottomTab = "logs" | "history" | "data";

/** Switches the bottom panel to one of its tabs. */
export function showBottomTab(tab: BottomTab): void {
  useEditorStore.setState((s) => ({ bottomPanel: { ...s.bottomPanel, tab } }));
}

/** Selects a node and shows the rows of one of its stores (e.g. a port's) in the bottom panel. */
export function showStoreData(nodeId: string, storeName: string): void {
  if (useEditorStore.getState().selectedNodeId !== nodeId) selectNode(nodeId);
  useEditorStore.setState({ bottomPanel: { tab: "data", storeName } });
}

/** A store a node's Data tab can show: its name and whether the node writes or reads it. */
export interface NodeStore {
  name: string;
  kind: "table" | "stream";
  direction: "input" | "output";
}

/** The stores bound to a node's ports, outputs first: what its Data tab offers. */
export function storesOfNode(doc: GraphDocument, node: GraphNode): NodeStore[] {
  const titles = new Map(doc.nodes.map((n) => [n.id, n]));
  const stores: NodeStore[] = [];
  const seen = new Set<string>();
  const ports = resolvePorts(doc, node);
  for (const direction of ["output", "input"] as const) {
    for (const port of ports) {
      if (port.direction !== direction || port.storeId === null) continue;
      const store = titles.get(port.storeId);
      if (!store || (store.kind !== "table" && store.kind !== "stream") || seen.has(store.title)) continue;
      seen.add(store.title);
      stores.push({ name: store.title, kind: store.kind, direction });
    }
  }
  return stores;
}

/** The tabs the bottom panel offers for a node. */
export function tabsFor(node: GraphNode): BottomTab[] {
  if (isFunctionKind(node.kind)) return ["logs", "history", "data"];
  if (node.kind === "table" || node.kind === "stream" || node.kind === "chart" || node.kind === "webhook") return ["data"];
  return [];
}
