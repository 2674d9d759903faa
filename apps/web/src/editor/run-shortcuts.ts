import { useEffect } from "react";
import { isFunctionKind } from "@patchbay/graph";
import { selectedNode, useEditorStore } from "./editor-store.ts";
import { isNodeBusy, runScopeForKey, runWithScope } from "./run-actions.ts";

/** True for a field where Enter is text (a title, a note), not a command; the code editor is not one. */
function isTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.closest(".monaco-editor")) return false;
  return target.isContentEditable || target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;
}

/**
 * Shift+Enter runs the selected node, Ctrl+Shift+Enter it and everything downstream,
 * Ctrl+Alt+Shift+Enter the whole graph; also while typing in its code, as in a notebook.
 */
export function handleRunShortcut(event: KeyboardEvent): boolean {
  const scope = runScopeForKey(event);
  if (!scope || isTextField(event.target)) return false;
  const node = selectedNode(useEditorStore.getState());
  if (!node || !isFunctionKind(node.kind)) return false;
  event.preventDefault();
  event.stopPropagation();
  if (!isNodeBusy(node.id)) void runWithScope(node.id, scope);
  return true;
}

/** Listens for the run shortcuts while the editor is open. */
export function useRunShortcuts(): void {
  useEffect(() => {
    // Capture phase: the code editor must not turn Shift+Enter into a new line first.
    window.addEventListener("keydown", handleRunShortcut, true);
    return () => window.removeEventListener("keydown", handleRunShortcut, true);
  }, []);
}
