import { applyChanges, setCommandPaletteOpen, setVersionsOpen, toggleSnapToGrid, useEditorStore } from "../editor-store.ts";
import { autoLayoutChanges, type NodeSize } from "../auto-layout.ts";
import { FIT_VIEW } from "../zoom-detail.tsx";
import { nodeSize } from "../canvas-drawing.tsx";
import type { EditorAction } from "./editor-action.ts";

const state = () => useEditorStore.getState();
const FIT = { ...FIT_VIEW, duration: 200 };

export const viewActions: EditorAction[] = [
  {
    id: "command-palette",
    title: "Command palette",
    shortcuts: ["Mod+K"],
    enabled: () => true,
    perform: () => setCommandPaletteOpen(true),
  },
  {
    id: "fit-view",
    title: "Fit view",
    shortcuts: ["Shift+F"],
    menus: ["canvas"],
    keywords: "zoom all",
    enabled: (s) => s.flowNodes.length > 0,
    perform: ({ flow }) => void flow.fitView(FIT),
  },
  {
    id: "zoom-in",
    title: "Zoom in",
    shortcuts: ["Mod+="],
    enabled: () => true,
    perform: ({ flow }) => void flow.zoomIn({ duration: 150 }),
  },
  {
    id: "zoom-out",
    title: "Zoom out",
    shortcuts: ["Mod+-"],
    enabled: () => true,
    perform: ({ flow }) => void flow.zoomOut({ duration: 150 }),
  },
  {
    id: "auto-layout",
    title: "Auto layout",
    shortcuts: ["Shift+L"],
    menus: ["canvas"],
    keywords: "arrange tidy dagre",
    enabled: (s) => s.document !== null && s.viewing === null && s.document.nodes.length > 0,
    perform: ({ flow }) => {
      const doc = state().document;
      if (!doc) return;
      const sizes = new Map<string, NodeSize>();
      // As drawn, or for nodes never drawn (a big graph zoomed out) as their kind is drawn.
      for (const node of flow.getNodes()) sizes.set(node.id, nodeSize(node));
      if (applyChanges(autoLayoutChanges(doc, sizes))) requestAnimationFrame(() => void flow.fitView(FIT));
    },
  },
  {
    id: "toggle-snap",
    title: "Snap to grid",
    keywords: "grid align",
    enabled: () => true,
    perform: () => toggleSnapToGrid(),
  },
  {
    id: "save-version",
    title: "Save version…",
    shortcuts: ["Mod+S"],
    whileTyping: true,
    keywords: "snapshot history",
    enabled: (s) => s.document !== null,
    perform: () => setVersionsOpen(true),
  },
  {
    id: "version-history",
    title: "Version history",
    keywords: "snapshot restore",
    enabled: (s) => s.document !== null,
    perform: () => setVersionsOpen(true),
  },
];
