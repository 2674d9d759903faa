import type { GraphNode } from "@patchbay/graph";
import type { NodeRunDto } from "../api/client.ts";
import { useEditorStore } from "./editor-store.ts";
import { formatDuration } from "./node-runs.ts";
import { RunStatusBadge } from "./run-status-badge.tsx";

/** A log time (epoch milliseconds) or an ISO timestamp as a local clock time. */
function formatTime(time: string | number): string {
  const date = new Date(time);
  return Number.isNaN(date.getTime()) ? String(time) : date.toLocaleTimeString(undefined, { hour12: false });
}

function RunSummary({ run }: { run: NodeRunDto }) {
  const duration = formatDuration(run);
  return (
    <div className="run-summary">
      <RunStatusBadge status={run.status} />
      <span className="muted small">
        {run.runtime === "browser" ? "in the browser" : "on the server"} · started {formatTime(run.startedAt ?? run.createdAt)}
        {duration ? ` · ${duration}` : ""} · {run.recordsIn} records in, {run.recordsOut} out
      </span>
    </div>
  );
}

export function LogPanel({ node }: { node: GraphNode }) {
  const run = useEditorStore((s) => s.latestRuns[node.id]);
  if (!run) {
    return <p className="muted pad">“{node.title}” has not run yet. Press Run to run it on the server; its output appears here.</p>;
  }
  return (
    <div className="log-panel" data-testid="log-panel">
      <RunSummary run={run} />
      {run.logs.length === 0 && !run.error ? (
        <p className="muted small pad-top">{run.status === "queued" || run.status === "running" ? "Waiting for output…" : "The run printed nothing."}</p>
      ) : null}
      {run.logs.length > 0 ? (
        <ol className="log-lines" data-testid="log-lines">
          {run.logs.map((line, index) => (
            <li key={index} className={`log-line level-${line.level}`}>
              <span className="log-time">{formatTime(line.time)}</span>
              <span className="log-level">{line.level}</span>
              <span className="log-message">{line.message}</span>
            </li>
          ))}
        </ol>
      ) : null}
      {run.error ? (
        <div className="run-error" role="alert">
          <div className="run-error-title">The run failed</div>
          <pre className="traceback" data-testid="run-error">{run.error}</pre>
        </div>
      ) : null}
    </div>
  );
}
