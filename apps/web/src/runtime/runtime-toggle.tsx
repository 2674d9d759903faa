import type { GraphNode } from "@patchbay/graph";
import { applyChanges } from "../editor/editor-store.ts";
import { prewarmBrowserRuntime } from "./browser-runs.ts";

const CHOICES: { runtime: GraphNode["runtime"]; label: string; title: string }[] = [
  { runtime: "server", label: "Run on server", title: "Run this node in the server's sandbox (schedules, webhooks and new upstream data always run there)" },
  { runtime: "browser", label: "Run in browser", title: "Run this node's Python in this browser tab when you press Run; what it feeds downstream still runs on the server" },
];

/** Where Run runs the node: the server's sandbox, or Python in this tab (node.runtime). */
export function RuntimeToggle({ node, readOnly }: { node: GraphNode; readOnly: boolean }) {
  return (
    <div className="run-controls" role="group" aria-label="Where Run runs this node" data-testid="runtime-toggle" data-runtime={node.runtime}>
      {CHOICES.map((choice) => (
        <button
          key={choice.runtime}
          type="button"
          className={`button small${node.runtime === choice.runtime ? " primary" : ""}`}
          aria-pressed={node.runtime === choice.runtime}
          data-testid={`runtime-${choice.runtime}`}
          title={choice.title}
          disabled={readOnly}
          onClick={() => {
            if (node.runtime === choice.runtime) return;
            applyChanges([{ type: "updateNode", id: node.id, patch: { runtime: choice.runtime } }]);
            // Python takes seconds to start: start it now, while the person reaches for Run.
            if (choice.runtime === "browser") prewarmBrowserRuntime();
          }}
        >
          {choice.label}
        </button>
      ))}
      {node.runtime === "browser" ? <span className="muted small">Standard library only; secrets stay on the server.</span> : null}
    </div>
  );
}
