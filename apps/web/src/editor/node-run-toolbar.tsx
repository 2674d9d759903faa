import { NodeToolbar, Position } from "@xyflow/react";
import { shortcutLabel } from "./actions/editor-action.ts";
import { cancelNodeRun, runWithScope, RUN_SCOPE_LABELS, RUN_SCOPE_SHORTCUTS, useRunProgress, type RunScope } from "./run-actions.ts";

const BUTTONS: { scope: RunScope; label: string }[] = [
  { scope: "node", label: "▶ Run" },
  { scope: "downstream", label: "▶ Downstream" },
  { scope: "graph", label: "▶ Whole graph" },
];

/** The run buttons above the selected Python or SQL node, and Cancel while its run is under way. */
export function NodeRunToolbar({ nodeId, visible }: { nodeId: string; visible: boolean }) {
  const { active, starting } = useRunProgress(nodeId);
  return (
    <NodeToolbar isVisible={visible} position={Position.Top} align="start" offset={8} className="node-run-toolbar nodrag" data-testid="node-run-toolbar">
      {BUTTONS.map(({ scope, label }) => (
        <button
          key={scope}
          type="button"
          className="toolbar-button"
          data-testid={`toolbar-run-${scope}`}
          title={`${RUN_SCOPE_LABELS[scope]} (${shortcutLabel(RUN_SCOPE_SHORTCUTS[scope])})`}
          disabled={active || starting}
          onClick={(event) => {
            event.stopPropagation();
            void runWithScope(nodeId, scope);
          }}
        >
          {label}
        </button>
      ))}
      {active ? (
        <button
          type="button"
          className="toolbar-button danger"
          data-testid="toolbar-cancel"
          title="Cancel this run: queued nodes do not start, running ones stop and write nothing"
          onClick={(event) => {
            event.stopPropagation();
            void cancelNodeRun(nodeId);
          }}
        >
          ■ Cancel
        </button>
      ) : null}
    </NodeToolbar>
  );
}
