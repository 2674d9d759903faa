import { copyGraphFragment, parseGraphFragment, pasteGraphFragment, type GraphNode, type Position } from "@patchbay/graph";
import { applyChanges, deleteElements, redo, selectNodes, showNotice, undo, useEditorStore } from "../editor-store.ts";
import { newNodeId } from "../new-node.ts";
import type { ActionContext, EditorAction } from "./editor-action.ts";
import { targetNodeIds } from "./target-nodes.ts";

const state = () => useEditorStore.getState();
const editable = () => state().document !== null && state().viewing === null;

/** Pastes clipboard text as nodes; says so when the text is not Patchbay nodes. */
export function pasteText(text: string, at?: Position): boolean {
  const doc = state().document;
  const fragment = parseGraphFragment(text);
  if (!doc) return false;
  if (!fragment) {
    showNotice("The clipboard holds no Patchbay nodes. Copy nodes first (select them and press Ctrl+C).");
    return false;
  }
  const { changes, nodeIds } = pasteGraphFragment(doc, fragment, (node: GraphNode) => newNodeId(node.kind), at);
  if (!applyChanges(changes)) return false;
  selectNodes(nodeIds);
  return true;
}

function copyText(context: Pick<ActionContext, "nodeId">): string | null {
  const doc = state().document;
  const fragment = doc ? copyGraphFragment(doc, targetNodeIds(state(), context)) : null;
  return fragment ? JSON.stringify(fragment, null, 2) : null;
}

export const editActions: EditorAction[] = [
  {
    id: "undo",
    title: "Undo",
    shortcuts: ["Mod+Z"],
    menus: ["canvas"],
    enabled: (s) => s.canUndo && s.viewing === null,
    perform: () => undo(),
  },
  {
    id: "redo",
    title: "Redo",
    shortcuts: ["Mod+Shift+Z", "Mod+Y"],
    menus: ["canvas"],
    enabled: (s) => s.canRedo && s.viewing === null,
    perform: () => redo(),
  },
  {
    id: "copy",
    title: "Copy",
    shortcuts: ["Mod+C"],
    menus: ["node"],
    clipboardEvent: "copy",
    enabled: (s, c) => s.document !== null && targetNodeIds(s, c).length > 0,
    perform: async (context) => {
      const text = copyText(context);
      if (text) await context.clipboard.write(text);
    },
  },
  {
    id: "cut",
    title: "Cut",
    shortcuts: ["Mod+X"],
    menus: ["node"],
    clipboardEvent: "cut",
    enabled: (s, c) => editable() && targetNodeIds(s, c).length > 0,
    perform: async (context) => {
      const text = copyText(context);
      if (!text) return;
      await context.clipboard.write(text);
      deleteElements(targetNodeIds(state(), context).map((id) => ({ id })), []);
    },
  },
  {
    id: "paste",
    title: "Paste",
    shortcuts: ["Mod+V"],
    menus: ["canvas"],
    clipboardEvent: "paste",
    enabled: () => editable(),
    perform: async (context) => {
      pasteText(await context.clipboard.read(), context.position);
    },
  },
  {
    id: "duplicate",
    title: "Duplicate",
    shortcuts: ["Mod+D"],
    menus: ["node"],
    enabled: (s, c) => editable() && targetNodeIds(s, c).length > 0,
    perform: (context) => {
      const text = copyText(context);
      if (text) pasteText(text);
    },
  },
  {
    id: "delete",
    title: "Delete",
    shortcuts: ["Delete", "Backspace"],
    menus: ["node"],
    keywords: "remove",
    enabled: (s, c) => editable() && (targetNodeIds(s, c).length > 0 || s.flowEdges.some((e) => e.selected)),
    perform: (context) => {
      const s = state();
      const nodes = targetNodeIds(s, context).map((id) => ({ id }));
      deleteElements(nodes, context.nodeId ? [] : s.flowEdges.filter((e) => e.selected));
    },
  },
  {
    id: "rename",
    title: "Rename",
    shortcuts: ["F2"],
    menus: ["node"],
    keywords: "title name",
    enabled: (s, c) => editable() && (c.nodeId ?? s.selectedNodeId) !== null,
    perform: (context) => {
      const nodeId = context.nodeId ?? state().selectedNodeId;
      if (!nodeId) return;
      selectNodes([nodeId]);
      // The side panel shows the node on the next render; then its title field takes the focus.
      requestAnimationFrame(() => {
        const input = document.querySelector<HTMLInputElement>('[data-testid="node-title-input"]');
        input?.focus();
        input?.select();
      });
    },
  },
  {
    id: "select-all",
    title: "Select all",
    shortcuts: ["Mod+A"],
    enabled: (s) => s.flowNodes.length > 0,
    perform: () => selectNodes(state().flowNodes.map((n) => n.id)),
  },
];
