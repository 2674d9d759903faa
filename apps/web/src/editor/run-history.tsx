import { useEffect, useState } from "react";
import type { GraphNode } from "@patchbay/graph";
import { api } from "../api/client.ts";
import { describeError } from "../api/describe-error.ts";
import { useEditorStore } from "./editor-store.ts";
import { formatDuration, isActiveStatus } from "./node-runs.ts";
import { RunStatusBadge } from "./run-status-badge.tsx";
import { RunLog, formatTime } from "./log-panel.tsx";
import { useNow } from "./use-now.ts";

export type HistoryRun = Awaited<ReturnType<typeof api.runs.history.query>>[number];
export type RunTrigger = HistoryRun["trigger"];

export const TRIGGER_LABELS: Record<string, string> = {
  manual: "run by hand",
  downstream: "run with downstream",
  graph: "whole graph",
  schedule: "schedule",
  webhook: "webhook",
  upstream: "new upstream data",
  request: "requested by the node",
};

function firstLine(text: string | null): string {
  if (!text) return "";
  const lines = text.trim().split("\n");
  // A traceback's last line says what went wrong.
  return lines[lines.length - 1] ?? "";
}

/** The Run history tab: every run of the node, newest first; click one to read its logs. */
export function RunHistory({ node }: { node: GraphNode }) {
  const graphId = useEditorStore((s) => s.graphId);
  // The latest run's id and status: the list reloads when a run starts or ends.
  const latestKey = useEditorStore((s) => {
    const run = s.latestRuns[node.id];
    return run ? `${run.id}:${run.status}` : "";
  });
  const latest = useEditorStore((s) => s.latestRuns[node.id]);
  const [runs, setRuns] = useState<HistoryRun[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const now = useNow(runs?.some((r) => isActiveStatus(r.status)) ?? false);

  useEffect(() => {
    if (!graphId) return;
    let cancelled = false;
    api.runs.history
      .query({ graphId, nodeId: node.id, limit: 50 })
      .then((list) => {
        if (cancelled) return;
        setRuns(list);
        setError(null);
      })
      .catch((failure: unknown) => !cancelled && setError(describeError(failure, "load the run history")));
    return () => {
      cancelled = true;
    };
  }, [graphId, node.id, latestKey]);

  if (error) return <p className="error-text pad" role="alert">{error}</p>;
  if (!runs) return <p className="muted pad">Loading the run history…</p>;
  if (runs.length === 0) return <p className="muted pad">“{node.title}” has not run yet.</p>;
  const open = runs.find((r) => r.id === openId);
  // The open run's logs keep updating from the live events while it runs.
  const openRun = open && latest && latest.id === open.id ? { ...open, ...latest } : open;
  return (
    <div className="run-history" data-testid="run-history">
      <div className="run-history-list">
        <table className="history-table">
          <thead>
            <tr>
              <th>Status</th>
              <th>Trigger</th>
              <th>Started</th>
              <th>Duration</th>
              <th>In</th>
              <th>Out</th>
              <th>Error</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((run) => (
              <tr
                key={run.id}
                className={run.id === openId ? "is-open" : undefined}
                data-testid="history-row"
                data-status={run.status}
                tabIndex={0}
                onClick={() => setOpenId(run.id === openId ? null : run.id)}
                onKeyDown={(event) => {
                  if (event.key === "Enter") setOpenId(run.id === openId ? null : run.id);
                }}
              >
                <td>
                  <RunStatusBadge status={run.status} />
                </td>
                <td>{TRIGGER_LABELS[run.trigger] ?? run.trigger}</td>
                <td>{formatTime(run.startedAt ?? run.createdAt)}</td>
                <td>{formatDuration(run, now) ?? "—"}</td>
                <td className="num">{run.recordsIn.toLocaleString()}</td>
                <td className="num">{run.recordsOut.toLocaleString()}</td>
                <td className="history-error" title={run.error ?? undefined}>
                  {firstLine(run.error)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {openRun ? (
        <div className="run-history-log" data-testid="history-log">
          <RunLog run={openRun} trigger={openRun.trigger} />
        </div>
      ) : (
        <p className="muted small pad">Click a run to read its logs.</p>
      )}
    </div>
  );
}
