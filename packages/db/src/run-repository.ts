import type { InvocationResult, LogEntry } from "@patchbay/runtime/protocol";
import type { Database } from "./database.ts";
import { newId } from "./ids.ts";
import { queryJson } from "./sql.ts";

export type RunStatus = "queued" | "running" | "succeeded" | "failed" | "cancelled";
export type RunTrigger = "manual" | "downstream" | "graph" | "schedule" | "webhook" | "upstream" | "request";
export type RuntimeKind = "server" | "browser";

/** One node's run, as the API and the editor see it. */
export interface NodeRunRecord {
  id: string;
  runId: string;
  graphId: string;
  nodeId: string;
  status: RunStatus;
  runtime: RuntimeKind;
  logs: LogEntry[];
  error: string | null;
  recordsIn: number;
  recordsOut: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

const ISO = (column: string) => `to_char("${column}" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const NODE_RUN_COLUMNS = `id, "runId", "graphId", "nodeId", status, runtime, logs, error, "recordsIn", "recordsOut",
  ${ISO("createdAt")} AS "createdAt", ${ISO("startedAt")} AS "startedAt", ${ISO("finishedAt")} AS "finishedAt"`;

// Logs kept per node run; a node printing more keeps the first and last entries.
const MAX_LOG_ENTRIES = 5_000;

export function trimLogs(logs: LogEntry[]): LogEntry[] {
  if (logs.length <= MAX_LOG_ENTRIES) return logs;
  const half = MAX_LOG_ENTRIES / 2;
  const dropped = logs.length - MAX_LOG_ENTRIES;
  const marker: LogEntry = { level: "warn", message: `… ${dropped} log lines left out …`, time: logs[half]?.time ?? Date.now() };
  return [...logs.slice(0, half), marker, ...logs.slice(-half)];
}

/** Runs and node runs: created queued, moved to running, finished with their result. */
export class RunRepository {
  private readonly db: Database;
  constructor(db: Database) {
    this.db = db;
  }

  async createRun(graphId: string, trigger: RunTrigger, nodeIds: string[], runtime: RuntimeKind, startedBy: string | null = null): Promise<{ runId: string; nodeRuns: NodeRunRecord[] }> {
    const runId = newId();
    const nodeRunIds = nodeIds.map(() => newId());
    await this.db.prisma.$transaction([
      this.db.prisma.run.create({ data: { id: runId, graphId, trigger, status: "queued", startedBy } }),
      this.db.prisma.nodeRun.createMany({
        data: nodeIds.map((nodeId, i) => ({ id: nodeRunIds[i] as string, runId, graphId, nodeId, status: "queued", runtime })),
      }),
    ]);
    return { runId, nodeRuns: await this.nodeRunsOfRun(runId) };
  }

  async nodeRunsOfRun(runId: string): Promise<NodeRunRecord[]> {
    return queryJson<NodeRunRecord>(this.db.prisma, `SELECT ${NODE_RUN_COLUMNS} FROM "NodeRun" WHERE "runId" = $1 ORDER BY id`, runId);
  }

  async getNodeRun(id: string): Promise<NodeRunRecord | null> {
    const rows = await queryJson<NodeRunRecord>(this.db.prisma, `SELECT ${NODE_RUN_COLUMNS} FROM "NodeRun" WHERE id = $1`, id);
    return rows[0] ?? null;
  }

  async markRunning(nodeRunId: string): Promise<NodeRunRecord | null> {
    await this.db.prisma.nodeRun.update({ where: { id: nodeRunId }, data: { status: "running", startedAt: new Date() } });
    const nodeRun = await this.getNodeRun(nodeRunId);
    if (nodeRun) await this.db.prisma.run.update({ where: { id: nodeRun.runId }, data: { status: "running" } });
    return nodeRun;
  }

  async finish(nodeRunId: string, status: RunStatus, result: Partial<InvocationResult> & { error?: string | null }): Promise<NodeRunRecord | null> {
    await this.db.prisma.nodeRun.update({
      where: { id: nodeRunId },
      data: {
        status,
        finishedAt: new Date(),
        error: result.error ?? null,
        logs: trimLogs(result.logs ?? []) as object[],
        recordsIn: result.recordsRead ?? 0,
        recordsOut: result.recordsWritten ?? 0,
      },
    });
    const nodeRun = await this.getNodeRun(nodeRunId);
    if (nodeRun) await this.settleRun(nodeRun.runId);
    return nodeRun;
  }

  /** Marks a run finished once none of its node runs is queued or running. */
  private async settleRun(runId: string): Promise<void> {
    const statuses = (await this.db.prisma.nodeRun.findMany({ where: { runId }, select: { status: true } })).map((r) => r.status);
    if (statuses.some((s) => s === "queued" || s === "running")) return;
    const status = statuses.includes("failed") ? "failed" : statuses.includes("cancelled") ? "cancelled" : "succeeded";
    await this.db.prisma.run.update({ where: { id: runId }, data: { status, finishedAt: new Date() } });
  }

  async latestByNode(graphId: string): Promise<Record<string, NodeRunRecord>> {
    const rows = await queryJson<NodeRunRecord>(
      this.db.prisma,
      `SELECT DISTINCT ON ("nodeId") ${NODE_RUN_COLUMNS} FROM "NodeRun" WHERE "graphId" = $1 ORDER BY "nodeId", "createdAt" DESC, id DESC`,
      graphId,
    );
    return Object.fromEntries(rows.map((r) => [r.nodeId, r]));
  }

  async listNodeRuns(graphId: string, nodeId: string, limit = 20): Promise<NodeRunRecord[]> {
    return queryJson<NodeRunRecord>(
      this.db.prisma,
      `SELECT ${NODE_RUN_COLUMNS} FROM "NodeRun" WHERE "graphId" = $1 AND "nodeId" = $2 ORDER BY "createdAt" DESC, id DESC LIMIT $3`,
      graphId,
      nodeId,
      Math.min(Math.max(limit, 1), 200),
    );
  }

  /**
   * Node runs left queued or running by a process that stopped (crash, kill,
   * restart) are reported failed, so none stays "running" forever. Their
   * writes were never committed: a run commits in one transaction.
   */
  async failInterrupted(reason: string): Promise<number> {
    const runs = await this.db.prisma.nodeRun.findMany({ where: { status: { in: ["queued", "running"] } }, select: { id: true } });
    for (const run of runs) await this.finish(run.id, "failed", { error: reason });
    return runs.length;
  }
}
