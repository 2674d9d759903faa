import { api } from "../api/client.ts";
import { describeError } from "../api/describe-error.ts";
import { runNode, useEditorStore, type EditorState } from "./editor-store.ts";
import { isActiveStatus } from "./node-runs.ts";
import { stopBrowserRun } from "../runtime/browser-runs.ts";
import { matchesShortcut } from "./actions/editor-action.ts";

export type RunScope = "node" | "downstream" | "graph";

/** What each scope runs, in the words the toolbar and menus use. */
export const RUN_SCOPE_LABELS: Record<RunScope, string> = {
  node: "Run this node",
  downstream: "Run this node and everything downstream",
  graph: "Run the whole graph",
};

/**
 * The key presses that run the selected node (Mod is Ctrl, or ⌘ on a Mac): served by
 * run-shortcuts.ts, also while typing code, and listed by the actions for menus and the palette.
 */
export const RUN_SCOPE_SHORTCUTS: Record<RunScope, string> = {
  node: "Shift+Enter",
  downstream: "Mod+Shift+Enter",
  graph: "Mod+Alt+Shift+Enter",
};
const RUN_SCOPES = Object.keys(RUN_SCOPE_SHORTCUTS) as RunScope[];

/** Runs a node with the given scope on the server (saving pending edits first). */
export function runWithScope(nodeId: string, scope: RunScope): Promise<void> {
  return runNode(nodeId, scope);
}

/** Whether the node's latest run is queued or running. */
export function hasActiveRun(state: EditorState, nodeId: string): boolean {
  const run = state.latestRuns[nodeId];
  return run !== undefined && isActiveStatus(run.status);
}

/** For run buttons: the node's latest run is under way (`active`), or its Run was pressed and not yet answered (`starting`). */
export function useRunProgress(nodeId: string): { active: boolean; starting: boolean } {
  const active = useEditorStore((s) => hasActiveRun(s, nodeId));
  const starting = useEditorStore((s) => s.startingRuns[nodeId] !== undefined);
  return { active, starting };
}

/** True while the node's run is queued or running, or its Run was pressed and not yet answered. */
export function isNodeBusy(nodeId: string): boolean {
  const state = useEditorStore.getState();
  return state.startingRuns[nodeId] !== undefined || hasActiveRun(state, nodeId);
}

/**
 * Cancels the wave the node's latest run belongs to: its queued nodes never
 * start and its running ones stop with nothing written.
 */
export async function cancelNodeRun(nodeId: string): Promise<void> {
  const state = useEditorStore.getState();
  const run = state.latestRuns[nodeId];
  if (!state.graphId || !run || !hasActiveRun(state, nodeId)) return;
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
  return RUN_SCOPES.find((scope) => matchesShortcut(event, RUN_SCOPE_SHORTCUTS[scope])) ?? null;
}
