import { create } from "zustand";
import { applyNodeChanges, type Connection, type NodeChange, type EdgeChange, applyEdgeChanges } from "@xyflow/react";
import {
  applyAndInvert,
  graphWarnings,
  resolveAllPorts,
  inferPorts,
  isFunctionKind,
  parseGraphDocument,
  type GraphChange,
  type GraphDocument,
  type GraphNode,
  type GraphWarning,
  type Position,
  type SyntaxProblem,
} from "@patchbay/graph";
import { api, type NodeRunDto } from "../api/client.ts";
import { describeError } from "../api/describe-error.ts";
import { Autosaver, type SaveStatus } from "./autosave.ts";
import { buildFlowEdges, buildFlowNodes, connectionToChange, edgeRemovalChange, type FlowEdge, type FlowNode } from "./flow-mapping.ts";
import { createNode, type PaletteKind } from "./new-node.ts";
import { isActiveStatus, mergeNodeRun } from "./node-runs.ts";
import { UndoHistory } from "./undo-history.ts";
import { runNodeInBrowser } from "../runtime/browser-runs.ts";

export type LiveStatus = "connecting" | "live" | "offline";

/**
 * The code whose ports the canvas draws while a node's code is being typed: the last code
 * that parsed, and the error of the current code if it does not.
 */
export interface PortSource {
  code: string;
  error: SyntaxProblem | null;
}

/** A saved version opened read-only in place of the live document. */
export interface VersionView {
  id: string;
  message: string;
  createdAt: string;
  document: GraphDocument;
}

export interface ContextMenuState {
  /** Where it opens, in screen coordinates. */
  x: number;
  y: number;
  /** The node right-clicked, or null for the canvas. */
  nodeId: string | null;
  /** The canvas position under the pointer, where pasted or added nodes go. */
  flowPosition: Position;
}

export interface EditorState {
  graphId: string | null;
  title: string;
  document: GraphDocument | null;
  loadError: string | null;
  flowNodes: FlowNode[];
  flowEdges: FlowEdge[];
  /** The node shown in the side panel: the last one selected. */
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
  canUndo: boolean;
  canRedo: boolean;
  portSources: Record<string, PortSource>;
  /** Warnings of the drawn graph, and the same by node id. */
  warnings: GraphWarning[];
  nodeWarnings: Record<string, GraphWarning[]>;
  snapToGrid: boolean;
  viewing: VersionView | null;
  commandPaletteOpen: boolean;
  versionsOpen: boolean;
  contextMenu: ContextMenuState | null;
  /** The bottom panel's tab, and the store its Data tab shows (see bottom-panel-view.ts). */
  bottomPanel: { tab: "logs" | "history" | "data"; storeName?: string };
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
  canUndo: false,
  canRedo: false,
  portSources: {},
  warnings: [],
  nodeWarnings: {},
  snapToGrid: false,
  viewing: null,
  commandPaletteOpen: false,
  versionsOpen: false,
  contextMenu: null,
  bottomPanel: { tab: "logs" },
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
const history = new UndoHistory();
const portTimers = new Map<string, ReturnType<typeof setTimeout>>();

/** How long typing must pause before the canvas redraws the node's ports from its code. */
export const PORT_REFRESH_MS = 300;

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
  history.clear();
  for (const timer of portTimers.values()) clearTimeout(timer);
  portTimers.clear();
}

/** The document the canvas draws: a version being viewed, or the live one with ports of the last code that parsed. */
export function drawnDocument(state: Pick<EditorState, "document" | "viewing" | "portSources">): GraphDocument | null {
  if (state.viewing) return state.viewing.document;
  const doc = state.document;
  if (!doc || Object.keys(state.portSources).length === 0) return doc;
  return { ...doc, nodes: doc.nodes.map((n) => (state.portSources[n.id] ? { ...n, code: state.portSources[n.id]?.code ?? n.code } : n)) };
}

function warningsByNode(warnings: readonly GraphWarning[]): Record<string, GraphWarning[]> {
  const byNode: Record<string, GraphWarning[]> = {};
  for (const warning of warnings) for (const id of warning.nodeIds) (byNode[id] ??= []).push(warning);
  return byNode;
}

/**
 * Redraws the canvas from the state's documents. `structural` false (moves, parameter values,
 * code still being typed) keeps the edges and warnings, which only ports, bindings and store
 * names change: re-reading every node's code on each keystroke would slow big graphs down.
 */
function redraw(partial: Partial<EditorState>, structural = true): void {
  const state = { ...get(), ...partial };
  const doc = drawnDocument(state);
  if (!doc) {
    set(partial);
    return;
  }
  const errors = Object.fromEntries(Object.entries(state.viewing ? {} : state.portSources).flatMap(([id, s]) => (s.error ? [[id, s.error]] : [])));
  // Ports are resolved once per structural redraw and shared by the warnings and the edges.
  const ports = structural ? resolveAllPorts(doc) : null;
  const warnings = ports ? graphWarnings(doc, ports) : state.warnings;
  set({
    ...partial,
    warnings,
    nodeWarnings: structural ? warningsByNode(warnings) : state.nodeWarnings,
    flowNodes: buildFlowNodes(doc, state.flowNodes, errors),
    flowEdges: ports ? buildFlowEdges(doc, state.flowEdges, warnings, ports) : state.flowEdges,
  });
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
  set({ ...initialState, graphId, snapToGrid: get().snapToGrid });
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
    redraw({ title: graph.title, document: graph.document, latestRuns: { ...runs } });
    subscribeToRuns(graphId);
  } catch (error) {
    if (token === loadToken) set({ loadError: describeError(error, "open this graph") });
  }
}

export function unloadGraph(): void {
  closeGraph();
  loadToken++;
  set({ ...initialState, snapToGrid: get().snapToGrid });
}

export interface ApplyOptions {
  /** Saves after a pause, replacing earlier pending changes with the same key (typing). */
  debounceKey?: string;
  /** "ignore" for changes that must not become an undo step (undo and redo themselves). */
  history?: "record" | "ignore";
  /** Undo steps with the same key made in a burst become one. */
  mergeKey?: string;
  /** Code typed in the editor: redraw its ports after a pause instead of at once. */
  deferPorts?: boolean;
}

function historyFlags(): Pick<EditorState, "canUndo" | "canRedo"> {
  return { canUndo: history.canUndo, canRedo: history.canRedo };
}

/** Port sources after code changes: typed code waits for a pause; other code changes show at once. */
function nextPortSources(before: GraphDocument, after: GraphDocument, sources: Record<string, PortSource>, deferPorts: boolean): Record<string, PortSource> {
  let next = sources;
  const previous = new Map(before.nodes.map((n) => [n.id, n]));
  for (const node of after.nodes) {
    const old = previous.get(node.id);
    if (!old || old.code === node.code || !isFunctionKind(node.kind)) continue;
    if (deferPorts) {
      if (!next[node.id]) next = { ...next, [node.id]: { code: old.code, error: null } };
      schedulePortRefresh(node.id);
    } else {
      next = settledSource(node, next);
    }
  }
  for (const id of Object.keys(next)) if (!after.nodes.some((n) => n.id === id)) next = without(next, id);
  return next;
}

/** Draws the node's current code if it parses; else keeps the last ports that did, with the error. */
function settledSource(node: GraphNode, sources: Record<string, PortSource>): Record<string, PortSource> {
  if (!isFunctionKind(node.kind)) return without(sources, node.id);
  const error = inferPorts(node.kind, node.code).syntaxError;
  if (!error) return without(sources, node.id);
  return { ...sources, [node.id]: { code: sources[node.id]?.code ?? node.code, error } };
}

function schedulePortRefresh(nodeId: string): void {
  const existing = portTimers.get(nodeId);
  if (existing) clearTimeout(existing);
  portTimers.set(
    nodeId,
    setTimeout(() => {
      portTimers.delete(nodeId);
      const state = get();
      const node = state.document?.nodes.find((n) => n.id === nodeId);
      if (!node || !state.portSources[nodeId]) return;
      redraw({ portSources: settledSource(node, state.portSources) });
    }, PORT_REFRESH_MS),
  );
}

/** Node fields that never change ports, bindings or store names. */
const PORTLESS_FIELDS = new Set(["parameterValues", "size", "runtime", "trigger", "webhookMode"]);

/** Whether a change can alter the drawn edges or the warnings. */
function changesDrawnPorts(change: GraphChange, deferPorts: boolean): boolean {
  if (change.type === "moveNode") return false;
  if (change.type !== "updateNode") return true;
  // Typed code is drawn after a pause (schedulePortRefresh redraws then).
  return Object.keys(change.patch).some((key) => !PORTLESS_FIELDS.has(key) && !(key === "code" && deferPorts));
}

/**
 * Applies changes locally with the server's own pure function, records their inverse for
 * undo, then queues them for saving. A version being viewed is read-only.
 */
export function applyChanges(changes: GraphChange[], options: ApplyOptions = {}): boolean {
  const state = get();
  if (!state.document || changes.length === 0) return false;
  if (state.viewing) {
    set({ notice: "This is a saved version, open read-only. Restore it, or go back to the current graph to edit." });
    return false;
  }
  let next: GraphDocument;
  let inverse: GraphChange[];
  try {
    const applied = applyAndInvert(state.document, changes);
    next = parseGraphDocument(applied.document);
    inverse = applied.inverse;
  } catch (error) {
    set({ notice: error instanceof Error ? error.message : String(error) });
    return false;
  }
  if ((options.history ?? "record") === "record") {
    history.record({ changes, inverse, at: Date.now(), ...(options.mergeKey !== undefined ? { mergeKey: options.mergeKey } : {}) });
  }
  const selectedStillThere = state.selectedNodeId !== null && next.nodes.some((n) => n.id === state.selectedNodeId);
  const structural = changes.some((c) => changesDrawnPorts(c, options.deferPorts ?? false));
  redraw(
    {
      document: next,
      portSources: nextPortSources(state.document, next, state.portSources, options.deferPorts ?? false),
      selectedNodeId: selectedStillThere ? state.selectedNodeId : null,
      notice: null,
      ...historyFlags(),
    },
    structural,
  );
  for (const change of changes) {
    if (options.debounceKey) autosaver?.pushDebounced(options.debounceKey, change);
    else autosaver?.push(change);
  }
  return true;
}

/**
 * Undoes the last recorded step of the graph (not typing inside the code editor: while
 * the code editor has focus, Ctrl+Z is its own undo). Goes through autosave like any edit.
 */
export function undo(): void {
  const entry = history.popUndo();
  if (!entry) return;
  // A step that no longer applies (say, its store name was taken since) is dropped, with the reason.
  if (applyChanges(entry.inverse, { history: "ignore" })) history.undone(entry);
  else set((state) => ({ notice: `Could not undo the last step: ${state.notice ?? "it no longer applies"}` }));
  set(historyFlags());
}

export function redo(): void {
  const entry = history.popRedo();
  if (!entry) return;
  if (applyChanges(entry.changes, { history: "ignore" })) history.redone(entry);
  else set((state) => ({ notice: `Could not redo the step: ${state.notice ?? "it no longer applies"}` }));
  set(historyFlags());
}

/** Ends a burst of typing, so the next edit is a new undo step (e.g. when the code editor loses focus). */
export function sealUndoStep(): void {
  history.seal();
}

/** True while edits are waiting to be sent or are being sent. */
export function hasUnsavedChanges(): boolean {
  return autosaver?.hasUnsavedChanges ?? false;
}

/** Sends every pending edit; rejects when saving failed. */
export async function flushChanges(): Promise<void> {
  await autosaver?.flush();
}

export function dismissNotice(): void {
  set({ notice: null });
}

export function showNotice(notice: string): void {
  set({ notice });
}

export function retrySave(): void {
  autosaver?.retry();
}

export function addNodeAt(kind: PaletteKind, position: Position): string | null {
  const doc = get().document;
  if (!doc) return null;
  const node = createNode(doc, kind, position);
  if (!applyChanges([{ type: "addNode", node }])) return null;
  selectNodes([node.id]);
  return node.id;
}

/** Selects exactly these nodes (the last one opens in the side panel). */
export function selectNodes(nodeIds: readonly string[]): void {
  const chosen = new Set(nodeIds);
  set((state) => ({
    selectedNodeId: nodeIds[nodeIds.length - 1] ?? null,
    flowNodes: state.flowNodes.map((n) => (chosen.has(n.id) === Boolean(n.selected) ? n : { ...n, selected: chosen.has(n.id) })),
    flowEdges: state.flowEdges.map((e) => (e.selected ? { ...e, selected: false } : e)),
  }));
}

export function selectNode(nodeId: string | null): void {
  selectNodes(nodeId === null ? [] : [nodeId]);
}

export function selectedNodeIds(state: EditorState): string[] {
  return state.flowNodes.filter((n) => n.selected).map((n) => n.id);
}

export function editCode(nodeId: string, code: string): void {
  const node = get().document?.nodes.find((n) => n.id === nodeId);
  if (!node || node.code === code) return;
  applyChanges([{ type: "updateNode", id: nodeId, patch: { code } }], { debounceKey: `code:${nodeId}`, mergeKey: `code:${nodeId}`, deferPorts: true });
}

/** Sets (or with `undefined`, clears) one parameter value of a node; typing in one field is one undo step. */
export function setParameterValue(nodeId: string, name: string, value: unknown): void {
  const node = get().document?.nodes.find((n) => n.id === nodeId);
  if (!node) return;
  const current = node.parameterValues[name];
  if (JSON.stringify(current) === JSON.stringify(value)) return;
  const parameterValues = value === undefined ? without(node.parameterValues, name) : { ...node.parameterValues, [name]: value };
  applyChanges([{ type: "updateNode", id: nodeId, patch: { parameterValues } }], { debounceKey: `params:${nodeId}`, mergeKey: `param:${nodeId}:${name}` });
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
  // Removals go through the delete action, which turns them into graph changes.
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
  const state = get();
  // Keep the panel's node while it stays selected; else show the last one selected.
  const keep = state.selectedNodeId !== null && nodes.some((n) => n.id === state.selectedNodeId);
  const selectedNodeId = keep ? state.selectedNodeId : (nodes[nodes.length - 1]?.id ?? null);
  if (selectedNodeId !== state.selectedNodeId) set({ selectedNodeId });
}

/** A whole drag, of one node or a selection, is one change batch and one undo step. */
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

export function toggleSnapToGrid(): void {
  set((state) => ({ snapToGrid: !state.snapToGrid }));
}

export function setCommandPaletteOpen(open: boolean): void {
  set({ commandPaletteOpen: open, contextMenu: null });
}

export function setVersionsOpen(open: boolean): void {
  set({ versionsOpen: open });
}

export function openContextMenu(menu: ContextMenuState | null): void {
  set({ contextMenu: menu });
}

/** Shows a saved version read-only in place of the live graph. */
export function viewVersion(version: VersionView | null): void {
  const state = get();
  const doc = version?.document ?? state.document;
  const selectedStillThere = doc?.nodes.some((n) => n.id === state.selectedNodeId) ?? false;
  redraw({ viewing: version, selectedNodeId: selectedStillThere ? state.selectedNodeId : null, contextMenu: null });
}

function markStarting(nodeId: string): void {
  set((state) => ({
    startingRuns: { ...state.startingRuns, [nodeId]: state.latestRuns[nodeId]?.id ?? "" },
    runErrors: without(state.runErrors, nodeId),
  }));
}

function failStarting(nodeIds: readonly string[], message: string): void {
  set((state) => {
    let startingRuns = state.startingRuns;
    const runErrors = { ...state.runErrors };
    for (const id of nodeIds) {
      startingRuns = without(startingRuns, id);
      runErrors[id] = message;
    }
    return { startingRuns, runErrors };
  });
}

/** Saves pending edits, then asks the server to run the node (alone, with what is downstream, or the whole graph). */
export async function runNode(nodeId: string | null, scope: "node" | "downstream" | "graph" = "node"): Promise<void> {
  const graphId = get().graphId;
  if (!graphId) return;
  const marked = nodeId !== null ? [nodeId] : [];
  for (const id of marked) markStarting(id);
  try {
    await autosaver?.flush();
  } catch (error) {
    const message = `Not run, because the latest code is not saved. ${error instanceof Error ? error.message : ""}`;
    if (marked.length) failStarting(marked, message);
    else set({ notice: message });
    return;
  }
  try {
    const node = nodeId !== null ? get().document?.nodes.find((n) => n.id === nodeId) : undefined;
    if (node?.runtime === "browser" && scope !== "graph") {
      // Runs in this tab; what it feeds downstream runs on the server.
      await runNodeInBrowser({
        graphId,
        nodeId: node.id,
        scope,
        onRun: (run) => {
          if (get().graphId === graphId) receiveRun(run);
        },
      });
      return;
    }
    await api.runs.start.mutate({ graphId, nodeId, scope });
    if (nodeId === null) {
      await refreshLatestRuns(graphId);
      return;
    }
    const [latest] = await api.runs.nodeRuns.query({ graphId, nodeId, limit: 1 });
    if (latest && get().graphId === graphId) receiveRun(latest);
  } catch (error) {
    const message = describeError(error, "start the run");
    if (marked.length) failStarting(marked, message);
    else set({ notice: message });
  }
}

export function selectedNode(state: EditorState): GraphNode | null {
  const doc = state.viewing?.document ?? state.document;
  if (!state.selectedNodeId || !doc) return null;
  return doc.nodes.find((n) => n.id === state.selectedNodeId) ?? null;
}
