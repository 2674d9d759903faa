import { isFunctionKind } from "@patchbay/graph";
import { addNodeAt, runNode, useEditorStore } from "../editor-store.ts";
import { PALETTE_KINDS, PALETTE_LABELS, type PaletteKind } from "../new-node.ts";
import type { ActionContext, EditorAction } from "./editor-action.ts";
import { targetNodeId } from "./target-nodes.ts";
import { cancelNodeRun, hasActiveRun, RUN_SCOPE_SHORTCUTS } from "../run-actions.ts";

const state = () => useEditorStore.getState();

/** Where a node added from a menu or the palette goes: the menu's place, else the middle of the view. */
function placeFor(context: ActionContext) {
  if (context.position) return context.position;
  const pane = document.querySelector(".react-flow__pane")?.getBoundingClientRect();
  const middle = pane ? { x: pane.left + pane.width / 2 - 100, y: pane.top + pane.height / 2 - 50 } : { x: 300, y: 200 };
  return context.flow.screenToFlowPosition(middle);
}

function addAction(kind: PaletteKind): EditorAction {
  return {
    id: `add-${kind}`,
    title: `Add ${PALETTE_LABELS[kind]} node`,
    menus: ["canvas"],
    keywords: "new create insert",
    enabled: (s) => s.document !== null && s.viewing === null,
    perform: (context) => {
      addNodeAt(kind, placeFor(context));
    },
  };
}

function runnable(nodeId: string | null): boolean {
  const s = state();
  const node = nodeId ? s.document?.nodes.find((n) => n.id === nodeId) : undefined;
  return node !== undefined && isFunctionKind(node.kind) && s.viewing === null;
}

export const nodeActions: EditorAction[] = [
  ...PALETTE_KINDS.map(addAction),
  {
    id: "run-node",
    title: "Run node",
    // Served by run-shortcuts.ts (it also works inside the code editor); listed here for menus.
    shortcuts: [RUN_SCOPE_SHORTCUTS.node],
    menus: ["node"],
    keywords: "execute start",
    enabled: (s, c) => runnable(targetNodeId(s, c)),
    perform: (context) => runNode(targetNodeId(state(), context), "node"),
  },
  {
    id: "run-downstream",
    title: "Run node and downstream",
    shortcuts: [RUN_SCOPE_SHORTCUTS.downstream],
    menus: ["node"],
    keywords: "execute start",
    enabled: (s, c) => runnable(targetNodeId(s, c)),
    perform: (context) => runNode(targetNodeId(state(), context), "downstream"),
  },
  {
    id: "cancel-run",
    title: "Cancel run",
    menus: ["node"],
    keywords: "stop abort kill",
    enabled: (s, c) => {
      const nodeId = targetNodeId(s, c);
      return nodeId !== null && hasActiveRun(s, nodeId);
    },
    perform: (context) => cancelNodeRun(targetNodeId(state(), context) ?? ""),
  },
  {
    id: "run-graph",
    title: "Run whole graph",
    shortcuts: [RUN_SCOPE_SHORTCUTS.graph],
    menus: ["canvas"],
    keywords: "execute start all",
    enabled: (s) => s.document !== null && s.viewing === null && s.document.nodes.some((n) => isFunctionKind(n.kind)),
    perform: () => runNode(null, "graph"),
  },
];
