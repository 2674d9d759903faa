import { useEffect, useRef } from "react";
import type { GraphNode } from "@patchbay/graph";
import type { NodeRunDto } from "../api/client.ts";
import { useEditorStore } from "./editor-store.ts";
import { formatDuration, isActiveStatus } from "./node-runs.ts";
import { LiveRunBadge } from "./run-status-badge.tsx";
import { TRIGGER_LABELS, type RunTrigger } from "./run-history.tsx";
import { errorHint } from "./error-hint.ts";

/** A log time (epoch milliseconds) or an ISO timestamp as a local clock time. */
export function formatTime(time: string | number): string {
  const date = new Date(time);
  return Number.isNaN(date.getTime()) ? String(time) : date.toLocaleTimeString(undefined, { hour12: false });
}

function RunSummary({ run, trigger }: { run: NodeRunDto; trigger?: RunTrigger | undefined }) {
  const duration = formatDuration(run);
  return (
    <div className="run-summary">
      <LiveRunBadge run={run} />
      <span className="muted small">
        {trigger ? `${TRIGGER_LABELS[trigger] ?? trigger} · ` : ""}
        {run.runtime === "browser" ? "in the browser" : "on the server"} · started {formatTime(run.startedAt ?? run.createdAt)}
        {duration && !isActiveStatus(run.status) ? ` · took ${duration}` : ""} · {run.recordsIn.toLocaleString()} records in, {run.recordsOut.toLocaleString()} out
        {run.attempt > 1 ? ` · attempt ${run.attempt}` : ""}
      </span>
    </div>
  );
}

/** One run's summary, log lines and error; follows new lines while the run is live. */
export function RunLog({ run, trigger }: { run: NodeRunDto; trigger?: RunTrigger | undefined }) {
  const end = useRef<HTMLDivElement>(null);
  const live = isActiveStatus(run.status);
  useEffect(() => {
    if (live) end.current?.scrollIntoView({ block: "nearest" });
  }, [live, run.logs.length]);
  return (
    <div className="log-panel" data-testid="log-panel" data-run-id={run.id}>
      <RunSummary run={run} trigger={trigger} />
      {run.logs.length === 0 && !run.error ? (
        <p className="muted small pad-top">{live ? "Waiting for output…" : "The run printed nothing."}</p>
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
          <div className="run-error-title">{run.status === "cancelled" ? "The run was cancelled" : "The run failed"}</div>
          <pre className="traceback" data-testid="run-error">{run.error}</pre>
          <p className="run-error-hint muted small">{errorHint(run.error)}</p>
        </div>
      ) : null}
      <div ref={end} />
    </div>
  );
}

/** The Logs tab: the node's latest run, live while it runs. */
export function LogPanel({ node }: { node: GraphNode }) {
  const run = useEditorStore((s) => s.latestRuns[node.id]);
  if (!run) {
    return <p className="muted pad">“{node.title}” has not run yet. Press Run (or Shift+Enter) to run it on the server; its output appears here.</p>;
  }
  return <RunLog run={run} />;
}
