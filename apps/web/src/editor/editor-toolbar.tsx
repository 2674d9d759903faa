import { useReactFlow } from "@xyflow/react";
import { useEditorStore } from "./editor-store.ts";
import type { FlowEdge, FlowNode } from "./flow-mapping.ts";
import { shortcutLabel } from "./actions/editor-action.ts";
import { findAction } from "./actions/registry.ts";
import { runAction, systemClipboard } from "./actions/use-editor-shortcuts.ts";

const BUTTONS: { id: string; label: string }[] = [
  { id: "undo", label: "↶" },
  { id: "redo", label: "↷" },
  { id: "auto-layout", label: "Layout" },
  { id: "version-history", label: "Versions" },
  { id: "command-palette", label: "⌘K" },
];

/** The top bar's buttons for common registry actions. */
export function EditorToolbar() {
  const flow = useReactFlow<FlowNode, FlowEdge>();
  const context = { flow, clipboard: systemClipboard };
  // A string of flags, so the bar re-renders when one changes, not on every drag frame.
  const enabled = useEditorStore((s) => BUTTONS.map(({ id }) => (findAction(id)?.enabled(s, context) ? "1" : "0")).join(""));
  return (
    <div className="editor-toolbar" role="toolbar" aria-label="Editor">
      {BUTTONS.map(({ id, label }, index) => {
        const action = findAction(id);
        if (!action) return null;
        const shortcut = action.shortcuts?.[0];
        return (
          <button
            key={id}
            type="button"
            className="button small"
            data-testid={`toolbar-${id}`}
            title={shortcut ? `${action.title} (${shortcutLabel(shortcut)})` : action.title}
            aria-label={action.title}
            disabled={enabled[index] !== "1"}
            onClick={() => runAction(action, context)}
          >
            {id === "command-palette" ? shortcutLabel("Mod+K") : label}
          </button>
        );
      })}
    </div>
  );
}
