import { editActions } from "./edit-actions.ts";
import type { EditorAction } from "./editor-action.ts";
import { nodeActions } from "./node-actions.ts";
import { viewActions } from "./view-actions.ts";

/** Every editor command, in the order menus and the command palette list them. */
export const editorActions: readonly EditorAction[] = [...editActions, ...nodeActions, ...viewActions];

export function findAction(id: string): EditorAction | undefined {
  return editorActions.find((a) => a.id === id);
}
