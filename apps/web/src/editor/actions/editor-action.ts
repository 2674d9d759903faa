import type { ReactFlowInstance } from "@xyflow/react";
import type { Position } from "@patchbay/graph";
import type { EditorState } from "../editor-store.ts";
import type { FlowEdge, FlowNode } from "../flow-mapping.ts";

/** The system clipboard as an action sees it: a copy/paste event's, or navigator.clipboard's. */
export interface TextClipboard {
  write(text: string): void | Promise<void>;
  read(): string | Promise<string>;
}

/** Where and on what an action runs. */
export interface ActionContext {
  flow: ReactFlowInstance<FlowNode, FlowEdge>;
  /** The node a context menu was opened on; else actions use the selection. */
  nodeId?: string | null;
  /** A canvas position for nodes an action adds (where the menu was opened). */
  position?: Position;
  clipboard: TextClipboard;
}

export type MenuName = "node" | "canvas";

/**
 * One editor command, excalidraw-style: the keyboard shortcuts, the context menus and the
 * command palette all run commands through these objects, so each has one implementation.
 */
export interface EditorAction {
  id: string;
  title: string;
  /** Key combinations, e.g. "Mod+Shift+Z" (Mod is Ctrl, or ⌘ on a Mac); the first is shown. */
  shortcuts?: readonly string[];
  /** Context menus that list it. */
  menus?: readonly MenuName[];
  /** Words the command palette also matches. */
  keywords?: string;
  /**
   * Copy and paste must read and write the clipboard inside the browser's own copy/paste
   * events (no permission prompt); their shortcuts are served from those events.
   */
  clipboardEvent?: "copy" | "paste" | "cut";
  /** Also served while typing in a field or the code editor (e.g. Ctrl+S, which would otherwise save the page). */
  whileTyping?: boolean;
  /** Whether the action can run now. */
  enabled(state: EditorState, context: ActionContext): boolean;
  perform(context: ActionContext): void | Promise<void>;
}

export const isMac = typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform);

/** True when the key event is one of the shortcut strings. */
export function matchesShortcut(event: Pick<KeyboardEvent, "key" | "ctrlKey" | "metaKey" | "shiftKey" | "altKey">, shortcut: string): boolean {
  const parts = shortcut.split("+");
  const key = parts[parts.length - 1] ?? "";
  const wants = new Set(parts.slice(0, -1));
  const mod = isMac ? event.metaKey : event.ctrlKey;
  if (wants.has("Mod") !== mod) return false;
  if (wants.has("Shift") !== event.shiftKey) return false;
  if (wants.has("Alt") !== event.altKey) return false;
  // The other of Ctrl/⌘ is not part of any shortcut.
  if (isMac ? event.ctrlKey : event.metaKey) return false;
  return event.key.toLowerCase() === key.toLowerCase();
}

/** A shortcut as a person reads it: "Ctrl+Shift+Z", or "⌘⇧Z" on a Mac. */
export function shortcutLabel(shortcut: string): string {
  if (!isMac) return shortcut.replace("Mod", "Ctrl");
  return shortcut.replace("Mod+", "⌘").replace("Shift+", "⇧").replace("Alt+", "⌥");
}
