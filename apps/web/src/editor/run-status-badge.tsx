import type { NodeRunDto, RunStatus } from "../api/client.ts";
import { formatDuration, isActiveStatus } from "./node-runs.ts";
import { useNow } from "./use-now.ts";

const LABELS: Record<RunStatus | "starting", string> = {
  starting: "starting",
  queued: "queued",
  running: "running",
  succeeded: "succeeded",
  failed: "failed",
  cancelled: "cancelled",
};

export function RunStatusBadge({ status, detail }: { status: RunStatus | "starting"; detail?: string | null }) {
  return (
    <span className={`status-badge status-${status}`} data-testid="run-status" data-status={status} title={detail ? `${LABELS[status]} · ${detail}${status === "succeeded" ? " records" : ""}` : undefined}>
      <span className="status-dot" aria-hidden="true" />
      {LABELS[status]}
      {detail ? <span className="status-detail" data-testid="run-status-detail">{detail}</span> : null}
    </span>
  );
}

/** What to say next to a run's status: time running (ticking), or how long it took and what it wrote. */
export function runDetail(run: NodeRunDto, now: number): string | null {
  if (run.status === "running") return formatDuration(run, now);
  if (run.status === "succeeded") {
    const took = formatDuration(run, now);
    const records = `wrote ${run.recordsOut.toLocaleString()}`;
    return took ? `${took} · ${records}` : records;
  }
  if (run.status === "failed" || run.status === "cancelled") return formatDuration(run, now);
  return null;
}

/** A run's badge with its live detail: elapsed time ticks every second while it runs. */
export function LiveRunBadge({ run }: { run: NodeRunDto }) {
  const now = useNow(isActiveStatus(run.status));
  return <RunStatusBadge status={run.status} detail={runDetail(run, now)} />;
}
