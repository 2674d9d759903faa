import type { NodeRunDto } from "../api/client.ts";

/** Keeps the newest run per node: a run replaces the one shown unless it is older than it. */
export function mergeNodeRun(runs: Readonly<Record<string, NodeRunDto>>, run: NodeRunDto): Record<string, NodeRunDto> {
  const current = runs[run.nodeId];
  if (current && current.id !== run.id && run.createdAt < current.createdAt) return { ...runs };
  return { ...runs, [run.nodeId]: run };
}

export function isActiveStatus(status: NodeRunDto["status"]): boolean {
  return status === "queued" || status === "running";
}

/** "1.2 s", "350 ms": how long a run took, or has been running. */
export function formatDuration(run: Pick<NodeRunDto, "startedAt" | "finishedAt">, now: number = Date.now()): string | null {
  if (!run.startedAt) return null;
  const start = Date.parse(run.startedAt);
  const end = run.finishedAt ? Date.parse(run.finishedAt) : now;
  if (Number.isNaN(start) || Number.isNaN(end)) return null;
  const ms = Math.max(0, end - start);
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
