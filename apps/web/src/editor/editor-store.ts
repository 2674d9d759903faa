import { create } from "zustand";
import { applyNodeChanges, type Connection, type NodeChange, type EdgeChange, applyEdgeChanges } from "@xyflow/react";
import { applyGraphChanges, type GraphChange, type GraphDocument, type GraphNode, type Position } from "@patchbay/graph";
import { api, type NodeRunDto } from "../api/client.ts";
import { describeError } from "../api/describe-error.ts";
import { Autosaver, type SaveStatus } from "./autosave.ts";
import { buildFlowEdges, buildFlowNodes, connectionToChange, edgeRemovalChange, type FlowEdge, type FlowNode } from "./flow-mapping.ts";
import { createNode, type PaletteKind } from "./new-node.ts";
import { isActiveStatus, mergeNodeRun } from "./node-runs.ts";

export type LiveStatus = "connecting" | "live" | "offline";

export interface EditorState {
  graphId: string | null;
  title: string;
  document: GraphDocument | null;
  loadError: string | null;
  flowNodes: FlowNode[];
  flowEdges: FlowEdge[];
  selectedNodeId: string | null;
  latestRuns: Record<string, NodeRunDto>;
  /**
   * Nodes whose Run was pressed and whose new run the server has not reported yet, each with
   * the id of the run shown when it was pressed ("" if none), so older reports do not count.
   */
  startingRuns: Record<string, string>;
  runErrors: Record<string, string>;
  saveStatus: SaveStatus;
  /** The last edit the editor refused, and why. */
  notice: string | null;
  liveStatus: LiveStatus;
  /** Bumped whenever a run succeeds, so store previews refetch. */
  dataVersion: number;
}

const initialState: EditorState = {
  graphId: null,
  title: "",
  document: null,
  loadError: null,
  flowNodes: [],
  flowEdges: [],
  selectedNodeId: null,
  latestRuns: {},
  startingRuns: {},
  runErrors: {},
  saveStatus: { state: "saved" },
  notice: null,
  liveStatus: "connecting",
  dataVersion: 0,
};

/** The graph editor's one store; components read it through selectors. */
export const useEditorStore = create<EditorState>(() => ({ ...initialState }));

const set = useEditorStore.setState;
const get = useEditorStore.getState;

// Machinery of the open graph; not state that components render.
let autosaver: Autosaver | null = null;
let unsubscribeEvents: (() => void) | null = null;
let pollTimer: ReturnType<typeof setInterval> | null = null;
let loadToken = 0;

function without<T>(record: Readonly<Record<string, T>>, key: string): Record<string, T> {
  const { [key]: _removed, ...rest } = record;
  return rest;
}

function closeGraph(): void {
  // Leaving the graph sends what is still pending rather than dropping it.
  autosaver?.flush().catch(() => undefined);
  autosaver = null;
  unsubscribeEvents?.();
  unsubscribeEvents = null;
  if (pollTimer) clearInterval(pollTimer);
  pollTimer = null;
}

function receiveRun(run: NodeRunDto): void {
  const state = get();
  if (!state.document) return;
  const latestRuns = mergeNodeRun(state.latestRuns, run);
  const previous = state.latestRuns[run.nodeId];
  const succeeded = run.status === "succeeded" && (previous?.id !== run.id || previous.status !== "succeeded");
  const pressedOver = state.startingRuns[run.nodeId];
  const isNewRun = pressedOver !== undefined && latestRuns[run.nodeId]?.id !== pressedOver;
  set({
    latestRuns,
    startingRuns: isNewRun ? without(state.startingRuns, run.nodeId) : state.startingRuns,
    dataVersion: succeeded ? state.dataVersion + 1 : state.dataVersion,
  });
}

async function refreshLatestRuns(graphId: string): Promise<void> {
  const runs = await api.runs.latestByNode.query({ graphId });
  if (get().graphId !== graphId) return;
  for (const run of Object.values(runs)) receiveRun(run);
}

function subscribeToRuns(graphId: string): void {
  const subscription = api.runs.events.subscribe(
    { graphId },
    {
      onStarted: () => {
        set({ liveStatus: "live" });
        // Events sent while we were not connected are gone; catch up once.
        refreshLatestRuns(graphId).catch(() => undefined);
      },
      onData: (event) => {
        if (event.type === "nodeRun") receiveRun(event.nodeRun);
      },
      onError: () => set({ liveStatus: "offline" }),
      onConnectionStateChange: (state) => {
        if (state.state === "connecting" && get().liveStatus === "live") set({ liveStatus: "connecting" });
      },
    },
  );
  unsubscribeEvents = () => subscription.unsubscribe();
  // While something runs, poll as a safety net: often when live events are not arriving (a
  // proxy that buffers SSE, a dropped connection), now and then even when they are.
  let lastPoll = 0;
  pollTimer = setInterval(() => {
    const state = get();
    const busy = Object.values(state.latestRuns).some((r) => isActiveStatus(r.status)) || Object.keys(state.startingRuns).length > 0;
    const interval = state.liveStatus === "live" ? 5000 : 2000;
    if (!busy || Date.now() - lastPoll < interval) return;
    lastPoll = Date.now();
    refreshLatestRuns(graphId).catch(() => undefined);
  }, 1000);
}

/** Opens a graph: loads its document and latest runs, and starts listening to run events. */
export async function loadGraph(graphId: string): Promise<void> {
  closeGraph();
  const token = ++loadToken;
  set({ ...initialState, graphId });
  try {
    const [graph, runs] = await Promise.all([api.graphs.get.query({ id: graphId }), api.runs.latestByNode.query({ graphId })]);
    if (token !== loadToken) return;
    autosaver = new Autosaver({
      send: async (changes) => {
        await api.graphs.applyChanges.mutate({ id: graphId, changes });
      },
      onStatus: (saveStatus) => {
        if (token === loadToken) set({ saveStatus });
      },
      describe: (error) => describeError(error, "save your last changes"),
    });
    set({
      title: graph.title,
      document: graph.document,
      flowNodes: buildFlowNodes(graph.document, []),
      flowEdges: buildFlowEdges(graph.document, []),
      latestRuns: { ...runs },
    });
    subscribeToRuns(graphId);
  } catch (error) {
    if (token === loadToken) set({ loadError: describeError(error, "open this graph") });
  }
}

export function unloadGraph(): void {
  closeGraph();
  loadToken++;
  set({ ...initialState });
}

type SendMode = { debounceKey?: string };

/** Applies changes locally with the server's own pure function, then queues them for saving. */
export function applyChanges(changes: GraphChange[], mode: SendMode = {}): boolean {
  const state = get();
  if (!state.document || changes.length === 0) return false;
  let next: GraphDocument;
  try {
    next = applyGraphChanges(state.document, changes);
  } catch (error) {
    set({ notice: error instanceof Error ? error.message : String(error) });
    return false;
  }
  const selectedStillThere = state.selectedNodeId !== null && next.nodes.some((n) => n.id === state.selectedNodeId);
  set({
    document: next,
    flowNodes: buildFlowNodes(next, state.flowNodes),
    flowEdges: buildFlowEdges(next, state.flowEdges),
    selectedNodeId: selectedStillThere ? state.selectedNodeId : null,
    notice: null,
  });
  for (const change of changes) {
    if (mode.debounceKey) autosaver?.pushDebounced(mode.debounceKey, change);
    else autosaver?.push(change);
  }
  return true;
}

/** True while edits are waiting to be sent or are being sent. */
export function hasUnsavedChanges(): boolean {
  return autosaver?.hasUnsavedChanges ?? false;
}

export function dismissNotice(): void {
  set({ notice: null });
}

export function retrySave(): void {
  autosaver?.retry();
}

export function addNodeAt(kind: PaletteKind, position: Position): void {
  const doc = get().document;
  if (!doc) return;
  const node = createNode(doc, kind, position);
  if (applyChanges([{ type: "addNode", node }])) selectNode(node.id);
}

export function selectNode(nodeId: string | null): void {
  set((state) => ({
    selectedNodeId: nodeId,
    flowNodes: state.flowNodes.map((n) => ((n.id === nodeId) === Boolean(n.selected) ? n : { ...n, selected: n.id === nodeId })),
  }));
}

export function editCode(nodeId: string, code: string): void {
  const node = get().document?.nodes.find((n) => n.id === nodeId);
  if (!node || node.code === code) return;
  applyChanges([{ type: "updateNode", id: nodeId, patch: { code } }], { debounceKey: `code:${nodeId}` });
}

export function renameNode(nodeId: string, title: string): boolean {
  const trimmed = title.trim();
  const node = get().document?.nodes.find((n) => n.id === nodeId);
  if (!node) return false;
  if (trimmed === node.title) return true;
  if (!trimmed) {
    set({ notice: "A node needs a title; the old one was kept." });
    return false;
  }
  return applyChanges([{ type: "updateNode", id: nodeId, patch: { title: trimmed } }]);
}

export function onNodesChange(changes: NodeChange<FlowNode>[]): void {
  // Removals go through onDelete, which turns them into graph changes.
  const local = changes.filter((c) => c.type !== "remove");
  if (local.length === 0) return;
  set((state) => ({ flowNodes: applyNodeChanges(local, state.flowNodes) }));
}

export function onEdgesChange(changes: EdgeChange<FlowEdge>[]): void {
  const local = changes.filter((c) => c.type !== "remove");
  if (local.length === 0) return;
  set((state) => ({ flowEdges: applyEdgeChanges(local, state.flowEdges) }));
}

export function onSelectionChange(nodes: readonly { id: string }[]): void {
  const last = nodes[nodes.length - 1];
  const selectedNodeId = last ? last.id : null;
  if (selectedNodeId !== get().selectedNodeId) set({ selectedNodeId });
}

export function onNodesDragStop(nodes: readonly { id: string; position: Position }[]): void {
  const doc = get().document;
  if (!doc) return;
  const changes: GraphChange[] = [];
  for (const moved of nodes) {
    const node = doc.nodes.find((n) => n.id === moved.id);
    const position = { x: Math.round(moved.position.x), y: Math.round(moved.position.y) };
    if (node && (node.position.x !== position.x || node.position.y !== position.y)) {
      changes.push({ type: "moveNode", id: moved.id, position });
    }
  }
  applyChanges(changes);
}

export function onConnect(connection: Connection): void {
  const doc = get().document;
  if (!doc) return;
  const result = connectionToChange(doc, connection);
  if ("error" in result) set({ notice: result.error });
  else applyChanges([result.change]);
}

export function deleteElements(nodes: readonly { id: string }[], edges: readonly FlowEdge[]): void {
  const removed = new Set(nodes.map((n) => n.id));
  const changes: GraphChange[] = [];
  for (const edge of edges) {
    // Removing a node already unbinds the ports that point at it.
    if (removed.has(edge.source) || removed.has(edge.target)) continue;
    const change = edgeRemovalChange(edge);
    if (change) changes.push(change);
  }
  for (const id of removed) changes.push({ type: "removeNode", id });
  applyChanges(changes);
}

/** Saves pending edits, then asks the server to run the node. */
export async function runNode(nodeId: string, scope: "node" | "downstream" | "graph" = "node"): Promise<void> {
  const graphId = get().graphId;
  if (!graphId) return;
  set((state) => ({
    startingRuns: { ...state.startingRuns, [nodeId]: state.latestRuns[nodeId]?.id ?? "" },
    runErrors: without(state.runErrors, nodeId),
  }));
  try {
    await autosaver?.flush();
  } catch (error) {
    set((state) => ({
      startingRuns: without(state.startingRuns, nodeId),
      runErrors: { ...state.runErrors, [nodeId]: `Not run, because the latest code is not saved. ${error instanceof Error ? error.message : ""}` },
    }));
    return;
  }
  try {
    await api.runs.start.mutate({ graphId, nodeId, scope });
    const [latest] = await api.runs.nodeRuns.query({ graphId, nodeId, limit: 1 });
    if (latest && get().graphId === graphId) receiveRun(latest);
  } catch (error) {
    set((state) => ({
      startingRuns: without(state.startingRuns, nodeId),
      runErrors: { ...state.runErrors, [nodeId]: describeError(error, "start the run") },
    }));
  }
}

export function selectedNode(state: EditorState): GraphNode | null {
  if (!state.selectedNodeId || !state.document) return null;
  return state.document.nodes.find((n) => n.id === state.selectedNodeId) ?? null;
}
