import { api } from "../api/client.ts";
import { describeError } from "../api/describe-error.ts";
import { runNode, useEditorStore } from "./editor-store.ts";
import { isActiveStatus } from "./node-runs.ts";
import { stopBrowserRun } from "../runtime/browser-runs.ts";

export type RunScope = "node" | "downstream" | "graph";

/** What each scope runs, in the words the toolbar and menus use. */
export const RUN_SCOPE_LABELS: Record<RunScope, string> = {
  node: "Run this node",
  downstream: "Run this node and everything downstream",
  graph: "Run the whole graph",
};

/** The key presses that run the selected node, shown next to the buttons. */
export const RUN_SCOPE_SHORTCUTS: Record<RunScope, string> = {
  node: "Shift+Enter",
  downstream: "Ctrl+Shift+Enter",
  graph: "Ctrl+Alt+Shift+Enter",
};

/** Runs a node with the given scope on the server (saving pending edits first). */
export function runWithScope(nodeId: string, scope: RunScope): Promise<void> {
  return runNode(nodeId, scope);
}

/** True while the node's run is queued or running, or its Run was pressed and not yet answered. */
export function isNodeBusy(nodeId: string): boolean {
  const state = useEditorStore.getState();
  const run = state.latestRuns[nodeId];
  return state.startingRuns[nodeId] !== undefined || (run !== undefined && isActiveStatus(run.status));
}

/**
 * Cancels the wave the node's latest run belongs to: its queued nodes never
 * start and its running ones stop with nothing written.
 */
export async function cancelNodeRun(nodeId: string): Promise<void> {
  const state = useEditorStore.getState();
  const run = state.latestRuns[nodeId];
  if (!state.graphId || !run || !isActiveStatus(run.status)) return;
  // A run in this tab stops at once; the server then marks it cancelled with its wave.
  stopBrowserRun(run.id);
  try {
    await api.runs.cancel.mutate({ graphId: state.graphId, runId: run.runId });
  } catch (error) {
    useEditorStore.setState((s) => ({ runErrors: { ...s.runErrors, [nodeId]: describeError(error, "cancel the run") } }));
  }
}

/** The scope a key press asks for, or null when it is not a run shortcut. */
export function runScopeForKey(event: Pick<KeyboardEvent, "key" | "shiftKey" | "ctrlKey" | "metaKey" | "altKey">): RunScope | null {
  if (event.key !== "Enter" || !event.shiftKey) return null;
  const mod = event.ctrlKey || event.metaKey;
  if (mod && event.altKey) return "graph";
  if (mod) return "downstream";
  if (event.altKey) return null;
  return "node";
}
