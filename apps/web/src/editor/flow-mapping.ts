import type { Connection, Edge, Node } from "@xyflow/react";
import {
  inferPorts,
  isFunctionKind,
  isStoreKind,
  resolveAllPorts,
  type GraphChange,
  type GraphDocument,
  type GraphNode,
  type GraphWarning,
  type ResolvedPort,
  type PortSpec,
  type SyntaxProblem,
} from "@patchbay/graph";

/** A Python or SQL node: its ports come from its code. */
export type FunctionNodeData = {
  kind: "python" | "sql";
  title: string;
  code: string;
  inputs: PortSpec[];
  outputs: PortSpec[];
  /** The error shown: of the code being typed, else of `code` itself. */
  syntaxError: SyntaxProblem | null;
  /** The error of `code` itself, shown again once the typing error is gone. */
  codeError: SyntaxProblem | null;
};
/** A Table or Stream store: writers connect to its left handle, readers from its right one. */
export type StoreNodeData = { kind: "table" | "stream"; title: string };
/** Nodes without ports yet (Markdown, Webhook, Chart). */
export type NoteNodeData = { kind: "markdown" | "webhook" | "chart"; title: string; code: string };

export type FunctionFlowNode = Node<FunctionNodeData, "function">;
export type StoreFlowNode = Node<StoreNodeData, "store">;
export type NoteFlowNode = Node<NoteNodeData, "note">;
export type FlowNode = FunctionFlowNode | StoreFlowNode | NoteFlowNode;

export type PortEdgeData = { nodeId: string; direction: "input" | "output"; port: string; implicit: boolean; warning?: string };
export type FlowEdge = Edge<PortEdgeData>;

export const STORE_TARGET_HANDLE = "store-in";
export const STORE_SOURCE_HANDLE = "store-out";

export function portHandleId(direction: "input" | "output", port: string): string {
  return `${direction === "input" ? "in" : "out"}:${port}`;
}

export function parsePortHandleId(handle: string | null | undefined): { direction: "input" | "output"; port: string } | null {
  if (!handle) return null;
  const match = /^(in|out):(.+)$/.exec(handle);
  if (!match?.[1] || !match[2]) return null;
  return { direction: match[1] === "in" ? "input" : "output", port: match[2] };
}

/**
 * `error`, when given, is the syntax error of code the person is still typing: `node.code`
 * is then the last code that parsed, whose ports stay drawn.
 */
function functionData(node: GraphNode & { kind: "python" | "sql" }, previous: FlowNode | undefined, error: SyntaxProblem | undefined): FunctionNodeData {
  // Re-tokenizing every node on every keystroke is wasted work: reuse ports while the code is unchanged.
  if (previous?.type === "function" && previous.data.code === node.code && previous.data.kind === node.kind) {
    const syntaxError = error ?? previous.data.codeError;
    const same = previous.data.title === node.title && previous.data.syntaxError === syntaxError;
    return same ? previous.data : { ...previous.data, title: node.title, syntaxError };
  }
  const inferred = inferPorts(node.kind, node.code);
  return {
    kind: node.kind,
    title: node.title,
    code: node.code,
    inputs: inferred.ports.filter((p) => p.direction === "input"),
    outputs: inferred.ports.filter((p) => p.direction === "output"),
    syntaxError: error ?? inferred.syntaxError ?? null,
    codeError: inferred.syntaxError ?? null,
  };
}

function toFlowNode(node: GraphNode, previous: FlowNode | undefined, error: SyntaxProblem | undefined): FlowNode {
  // Keep what React Flow measured and what the person selected. (A drag under way is not in
  // the editor's nodes: the canvas lays its positions over them, drag-frames.ts.)
  const carried = {
    id: node.id,
    position: node.position,
    ...(previous?.measured ? { measured: previous.measured } : {}),
    ...(previous?.selected ? { selected: true } : {}),
  };
  if (isFunctionKind(node.kind)) {
    return { ...carried, type: "function", data: functionData({ ...node, kind: node.kind }, previous, error) };
  }
  if (isStoreKind(node.kind)) {
    return { ...carried, type: "store", data: { kind: node.kind, title: node.title } };
  }
  return { ...carried, type: "note", data: { kind: node.kind, title: node.title, code: node.code } };
}

/**
 * True when `next` differs from `shown` only in sizes React Flow measured (and reported
 * through onNodesChange). React Flow has them already: handing it the nodes again would make
 * it re-read every node and update all its subscribers once more, on each batch of nodes
 * scrolling into view of a big graph.
 */
export function onlyMeasurementsChanged(shown: readonly FlowNode[], next: readonly FlowNode[]): boolean {
  if (shown.length !== next.length) return false;
  for (let i = 0; i < next.length; i++) {
    const before = shown[i];
    const after = next[i];
    if (before === after) continue;
    if (!before || !after) return false;
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    for (const key of keys) {
      if (key !== "measured" && !Object.is(before[key as keyof FlowNode], after[key as keyof FlowNode])) return false;
    }
  }
  return true;
}

/** Maps a graph document onto React Flow nodes, keeping measurements and selection of the previous ones. */
export function buildFlowNodes(doc: GraphDocument, previous: readonly FlowNode[], typingErrors: Readonly<Record<string, SyntaxProblem>> = {}): FlowNode[] {
  const previousById = new Map(previous.map((n) => [n.id, n]));
  return doc.nodes.map((node) => toFlowNode(node, previousById.get(node.id), typingErrors[node.id]));
}

export function edgeId(nodeId: string, direction: "input" | "output", port: string): string {
  return `${nodeId}|${direction}|${port}`;
}

/** The canvas edges: one per port bound to a store (by name or explicitly), drawn from writer to reader. */
export function buildFlowEdges(doc: GraphDocument, previous: readonly FlowEdge[], warnings: readonly GraphWarning[] = [], ports: readonly ResolvedPort[] = resolveAllPorts(doc)): FlowEdge[] {
  const selected = new Set(previous.filter((e) => e.selected).map((e) => e.id));
  const edgeWarnings = new Map<string, string[]>();
  for (const warning of warnings) {
    for (const ref of warning.ports) {
      const id = edgeId(ref.nodeId, ref.direction, ref.port);
      edgeWarnings.set(id, [...(edgeWarnings.get(id) ?? []), warning.message]);
    }
  }
  const edges: FlowEdge[] = [];
  for (const port of ports) {
    if (port.storeId === null) continue;
    const id = edgeId(port.nodeId, port.direction, port.name);
    const warning = edgeWarnings.get(id)?.join("\n");
    const data: PortEdgeData = { nodeId: port.nodeId, direction: port.direction, port: port.name, implicit: port.implicit, ...(warning ? { warning } : {}) };
    const ends =
      port.direction === "output"
        ? { source: port.nodeId, sourceHandle: portHandleId("output", port.name), target: port.storeId, targetHandle: STORE_TARGET_HANDLE }
        : { source: port.storeId, sourceHandle: STORE_SOURCE_HANDLE, target: port.nodeId, targetHandle: portHandleId("input", port.name) };
    const className = `${port.implicit ? "edge-implicit" : "edge-explicit"}${warning ? " edge-warning" : ""}`;
    edges.push({ id, type: "port", ...ends, data, className, ...(selected.has(id) ? { selected: true } : {}) });
  }
  return edges;
}

export type ConnectionResult = { change: GraphChange } | { error: string };

/**
 * Turns a connection drawn on the canvas into a binding: an output port dropped on a store
 * binds that output, a store dropped on an input port binds that input.
 */
export function connectionToChange(doc: GraphDocument, connection: Connection): ConnectionResult {
  const source = doc.nodes.find((n) => n.id === connection.source);
  const target = doc.nodes.find((n) => n.id === connection.target);
  if (!source || !target) return { error: "That connection points at a node that no longer exists." };
  if ((isFunctionKind(source.kind) || source.kind === "webhook") && isStoreKind(target.kind)) {
    const port = parsePortHandleId(connection.sourceHandle);
    if (!port || port.direction !== "output") return { error: `Connect an output port of "${source.title}" to a store.` };
    return { change: { type: "bindPort", nodeId: source.id, direction: "output", port: port.port, storeId: target.id } };
  }
  if (isStoreKind(source.kind) && (isFunctionKind(target.kind) || target.kind === "chart")) {
    const port = parsePortHandleId(connection.targetHandle);
    if (!port || port.direction !== "input") return { error: `Connect the store "${source.title}" to an input port of "${target.title}".` };
    return { change: { type: "bindPort", nodeId: target.id, direction: "input", port: port.port, storeId: source.id } };
  }
  return { error: "Ports connect to stores: wire a node's output to a Table or Stream, or a Table or Stream to a node's input." };
}

/** Deleting an edge unbinds its port explicitly, so a store of the same name does not re-bind it. */
export function edgeRemovalChange(edge: FlowEdge): GraphChange | null {
  if (!edge.data) return null;
  return { type: "bindPort", nodeId: edge.data.nodeId, direction: edge.data.direction, port: edge.data.port, storeId: null };
}
