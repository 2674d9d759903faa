import { useEffect } from "react";
import { useReactFlow } from "@xyflow/react";
import { useEditorStore } from "../editor-store.ts";
import type { FlowEdge, FlowNode } from "../flow-mapping.ts";
import { matchesShortcut, type ActionContext, type EditorAction, type TextClipboard } from "./editor-action.ts";
import { editorActions } from "./registry.ts";

/**
 * Whether a key event belongs to a text field or the code editor. There the field's own
 * keys win: Ctrl+Z in Monaco is Monaco's undo of the text (each of its edits still reaches
 * the graph as a code change, so graph undo later takes back the whole burst), and Ctrl+C
 * copies text. Outside them, the same keys are the graph's.
 */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof Element)) return false;
  if (target.closest(".monaco-editor, input, textarea, select, [contenteditable=''], [contenteditable='true']")) return true;
  return false;
}

let lastCopied = "";

/** The system clipboard for menus and the palette; falls back to the last copy when reading is refused. */
export const systemClipboard: TextClipboard = {
  async write(text) {
    lastCopied = text;
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // Kept in lastCopied; paste in this tab still works.
    }
  },
  async read() {
    try {
      return await navigator.clipboard.readText();
    } catch {
      return lastCopied;
    }
  },
};

/** Runs an action if it is enabled; the one entry point for shortcuts, menus and the palette. */
export function runAction(action: EditorAction, context: ActionContext): boolean {
  if (!action.enabled(useEditorStore.getState(), context)) return false;
  Promise.resolve(action.perform(context)).catch((error: unknown) =>
    useEditorStore.setState({ notice: `${action.title} failed: ${error instanceof Error ? error.message : String(error)}` }),
  );
  return true;
}

/**
 * Ctrl+C with text selected outside the canvas (a log line, a cell) copies that text, not
 * nodes; with the focus on the canvas (a node was clicked) it copies nodes.
 */
function copiesPageText(): boolean {
  if (document.activeElement?.closest(".react-flow")) return false;
  const selection = window.getSelection();
  return selection !== null && !selection.isCollapsed && selection.toString().trim() !== "";
}

/** Serves the registry's keyboard shortcuts and clipboard events while the editor is open. */
export function useEditorShortcuts(): void {
  const flow = useReactFlow<FlowNode, FlowEdge>();
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented) return;
      const state = useEditorStore.getState();
      if (state.commandPaletteOpen) return;
      const action = editorActions.find((a) => !a.clipboardEvent && a.shortcuts?.some((s) => matchesShortcut(event, s)));
      if (!action || (isTypingTarget(event.target) && !action.whileTyping)) return;
      event.preventDefault();
      if (state.contextMenu) useEditorStore.setState({ contextMenu: null });
      runAction(action, { flow, clipboard: systemClipboard });
    };
    // Keyboard paste puts the nodes under the pointer when it is over the canvas.
    let pointer: { x: number; y: number } | null = null;
    const onPointerMove = (event: PointerEvent) => {
      const overCanvas = event.target instanceof Element && event.target.closest(".react-flow") !== null && event.target.closest(".react-flow__panel") === null;
      pointer = overCanvas ? { x: event.clientX, y: event.clientY } : null;
    };
    const onClipboardEvent = (event: ClipboardEvent) => {
      if (isTypingTarget(event.target) || useEditorStore.getState().commandPaletteOpen) return;
      if (event.type !== "paste" && copiesPageText()) return;
      const action = editorActions.find((a) => a.clipboardEvent === event.type);
      const data = event.clipboardData;
      if (!action || !data) return;
      const clipboard: TextClipboard = {
        write: (text) => {
          lastCopied = text;
          data.setData("text/plain", text);
        },
        read: () => data.getData("text/plain"),
      };
      // The event's clipboard is only usable while it is dispatched: actions call it at once.
      const position = event.type === "paste" && pointer ? flow.screenToFlowPosition(pointer) : undefined;
      if (runAction(action, { flow, clipboard, ...(position ? { position } : {}) })) event.preventDefault();
    };
    window.addEventListener("keydown", onKeyDown);
    window.addEventListener("pointermove", onPointerMove, { passive: true });
    document.addEventListener("copy", onClipboardEvent);
    document.addEventListener("cut", onClipboardEvent);
    document.addEventListener("paste", onClipboardEvent);
    return () => {
      window.removeEventListener("keydown", onKeyDown);
      window.removeEventListener("pointermove", onPointerMove);
      document.removeEventListener("copy", onClipboardEvent);
      document.removeEventListener("cut", onClipboardEvent);
      document.removeEventListener("paste", onClipboardEvent);
    };
  }, [flow]);
}
