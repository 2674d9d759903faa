import type { RunStatus } from "../api/client.ts";

const LABELS: Record<RunStatus | "starting", string> = {
  starting: "starting",
  queued: "queued",
  running: "running",
  succeeded: "succeeded",
  failed: "failed",
  cancelled: "cancelled",
};

export function RunStatusBadge({ status }: { status: RunStatus | "starting" }) {
  return (
    <span className={`status-badge status-${status}`} data-testid="run-status" data-status={status}>
      <span className="status-dot" aria-hidden="true" />
      {LABELS[status]}
    </span>
  );
}
