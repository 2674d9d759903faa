import { selectedNodeIds, type EditorState } from "../editor-store.ts";
import type { ActionContext } from "./editor-action.ts";

/**
 * The nodes an action works on: the right-clicked node (with the rest of the selection
 * when it is part of it), else the selection.
 */
export function targetNodeIds(state: EditorState, context: Pick<ActionContext, "nodeId">): string[] {
  const selected = selectedNodeIds(state);
  if (context.nodeId) return selected.includes(context.nodeId) ? selected : [context.nodeId];
  return selected;
}

/** The one node an action such as Run works on: the right-clicked one, else the side panel's. */
export function targetNodeId(state: EditorState, context: Pick<ActionContext, "nodeId">): string | null {
  return context.nodeId ?? state.selectedNodeId;
}
