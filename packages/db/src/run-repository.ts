import type { InvocationResult, LogEntry } from "@patchbay/runtime/protocol";
import { createHash } from "node:crypto";
import type { Database } from "./database.ts";
import { newId } from "./ids.ts";
import { isoTimestamp, queryJson, type SqlRunner } from "./sql.ts";

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
  attempt: number;
  storesWritten: string[];
  /** sha256 prefix of the code that ran. */
  codeVersion: string | null;
  logs: LogEntry[];
  error: string | null;
  recordsIn: number;
  recordsOut: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

const NODE_RUN_COLUMNS = `id, "runId", "graphId", "nodeId", status, runtime, attempt, "storesWritten", "codeVersion", logs, error, "recordsIn", "recordsOut",
  ${isoTimestamp("createdAt")} AS "createdAt", ${isoTimestamp("startedAt")} AS "startedAt", ${isoTimestamp("finishedAt")} AS "finishedAt"`;

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

  /** Creates a run (a wave) with its plan; node runs are added as its steps become ready. */
  async createRun(tx: SqlRunner, graphId: string, trigger: RunTrigger, plan: unknown, startedBy: string | null): Promise<string> {
    const runId = newId();
    await tx.$executeRawUnsafe(
      `INSERT INTO "Run" (id, "graphId", trigger, "startedBy", status, plan) VALUES ($1, $2, $3, $4, 'queued', $5::jsonb)`,
      runId,
      graphId,
      trigger,
      startedBy,
      JSON.stringify(plan),
    );
    return runId;
  }

  async createNodeRun(tx: SqlRunner, runId: string, graphId: string, nodeId: string, runtime: RuntimeKind, attempt = 1): Promise<string> {
    const id = newId();
    await tx.$executeRawUnsafe(
      `INSERT INTO "NodeRun" (id, "runId", "graphId", "nodeId", status, runtime, attempt) VALUES ($1, $2, $3, $4, 'queued', $5, $6)`,
      id,
      runId,
      graphId,
      nodeId,
      runtime,
      attempt,
    );
    return id;
  }

  /** Locks a run for the rest of the transaction and returns its plan. */
  async lockRun(tx: SqlRunner, runId: string): Promise<{ graphId: string; status: string; plan: unknown } | null> {
    const rows = await queryJson<{ graphId: string; status: string; plan: unknown }>(tx, `SELECT "graphId", status, plan FROM "Run" WHERE id = $1 FOR UPDATE`, runId);
    return rows[0] ?? null;
  }

  async saveRun(tx: SqlRunner, runId: string, plan: unknown, status: RunStatus): Promise<void> {
    const finished = status === "succeeded" || status === "failed" || status === "cancelled";
    await tx.$executeRawUnsafe(
      `UPDATE "Run" SET plan = $2::jsonb, status = $3, "finishedAt" = CASE WHEN $4 THEN now() ELSE "finishedAt" END WHERE id = $1`,
      runId,
      JSON.stringify(plan),
      status,
      finished,
    );
  }

  /** What each node of a run wrote: node id → store names, from its latest attempt. */
  async storesWrittenByNode(tx: SqlRunner, runId: string): Promise<Map<string, string[]>> {
    const rows = await queryJson<{ nodeId: string; storesWritten: string[] }>(
      tx,
      `SELECT DISTINCT ON ("nodeId") "nodeId", "storesWritten" FROM "NodeRun" WHERE "runId" = $1 ORDER BY "nodeId", attempt DESC`,
      runId,
    );
    return new Map(rows.map((r) => [r.nodeId, r.storesWritten]));
  }

  /**
   * Takes a node run for this worker with a fresh lease. A node run left
   * "running" by a worker that died is taken over (its uncommitted work is
   * gone); a finished one is not taken again ("done"). When the graph
   * already runs as many nodes as its `settings.concurrency` allows, nothing changes ("busy"). The graph row
   * lock makes the count and the claim one step across all processes.
   */
  async claim(nodeRunId: string, options: { ignoreGraphLimit?: boolean } = {}): Promise<{ nodeRun: NodeRunRecord; lease: string } | "done" | "busy"> {
    const lease = newId();
    const outcome = await this.db.prisma.$transaction(async (tx) => {
      const rows = await queryJson<{ graphId: string; status: string; committed: boolean }>(
        tx,
        `SELECT "graphId", status, "committedAt" IS NOT NULL AS committed FROM "NodeRun" WHERE id = $1 FOR UPDATE`,
        nodeRunId,
      );
      const row = rows[0];
      if (!row || (row.status !== "queued" && row.status !== "running")) return "done" as const;
      if (row.committed) {
        // Its final commit is saved, but its worker stopped before recording
        // the end: it succeeded, and must not run again.
        await tx.$executeRawUnsafe(
          `UPDATE "NodeRun" SET status = 'succeeded', "finishedAt" = coalesce("finishedAt", now()), error = NULL WHERE id = $1`,
          nodeRunId,
        );
        return "done" as const;
      }
      // The graph's own limit (settings.concurrency), read from the row this claim locks.
      const limits = await queryJson<{ limit: number | null }>(
        tx,
        `SELECT CASE WHEN jsonb_typeof(settings->'concurrency') = 'number' THEN (settings->>'concurrency')::numeric::int END AS "limit" FROM "Graph" WHERE id = $1 FOR UPDATE`,
        row.graphId,
      );
      const graphLimit = limits[0]?.limit ?? null;
      if (!options.ignoreGraphLimit && graphLimit !== null && graphLimit > 0) {
        const running = await queryJson<{ n: number }>(tx, `SELECT count(*)::int AS n FROM "NodeRun" WHERE "graphId" = $1 AND status = 'running' AND runtime = 'server' AND id <> $2`, row.graphId, nodeRunId);
        if ((running[0]?.n ?? 0) >= graphLimit) return "busy" as const;
      }
      const updated = await tx.$executeRawUnsafe(
        `UPDATE "NodeRun" SET status = 'running', lease = $2, "startedAt" = coalesce("startedAt", now()) WHERE id = $1 AND status IN ('queued', 'running')`,
        nodeRunId,
        lease,
      );
      if (updated === 0) return "done" as const;
      await tx.$executeRawUnsafe(`UPDATE "Run" SET status = 'running' WHERE id = (SELECT "runId" FROM "NodeRun" WHERE id = $1) AND status = 'queued'`, nodeRunId);
      return "claimed" as const;
    });
    if (outcome !== "claimed") return outcome;
    const nodeRun = await this.getNodeRun(nodeRunId);
    return nodeRun ? { nodeRun, lease } : "done";
  }

  async nodeRunsOfRun(runId: string): Promise<NodeRunRecord[]> {
    return queryJson<NodeRunRecord>(this.db.prisma, `SELECT ${NODE_RUN_COLUMNS} FROM "NodeRun" WHERE "runId" = $1 ORDER BY id`, runId);
  }

  /** The runtime of a node run in a workspace's graph; null for a missing one and for another workspace's alike. */
  async runtimeInWorkspace(nodeRunId: string, workspaceId: string): Promise<RuntimeKind | null> {
    const rows = await queryJson<{ runtime: RuntimeKind }>(
      this.db.prisma,
      `SELECT n.runtime FROM "NodeRun" n JOIN "Graph" g ON g.id = n."graphId" WHERE n.id = $1 AND g."workspaceId" = $2`,
      nodeRunId,
      workspaceId,
    );
    return rows[0]?.runtime ?? null;
  }

  /** Just a node run's status (cheap: polled while it runs). */
  async statusOf(id: string): Promise<RunStatus | null> {
    const rows = await queryJson<{ status: RunStatus }>(this.db.prisma, `SELECT status FROM "NodeRun" WHERE id = $1`, id);
    return rows[0]?.status ?? null;
  }

  async getNodeRun(id: string): Promise<NodeRunRecord | null> {
    const rows = await queryJson<NodeRunRecord>(this.db.prisma, `SELECT ${NODE_RUN_COLUMNS} FROM "NodeRun" WHERE id = $1`, id);
    return rows[0] ?? null;
  }

  /**
   * Records the end of a node run: logs, error and timings. A run its final
   * commit already marked succeeded stays succeeded; a cancelled one stays
   * cancelled. With a lease, only the worker holding it may finish the run.
   */
  async finish(nodeRunId: string, status: RunStatus, result: Partial<InvocationResult> & { error?: string | null }, lease?: string): Promise<NodeRunRecord | null> {
    await this.db.prisma.$executeRawUnsafe(
      `UPDATE "NodeRun" SET
          status = CASE WHEN status IN ('succeeded', 'cancelled') THEN status WHEN "committedAt" IS NOT NULL THEN 'succeeded' ELSE $2 END,
          "finishedAt" = now(),
          error = CASE WHEN status = 'cancelled' THEN coalesce(error, 'Cancelled') ELSE $3 END,
          logs = $4::jsonb,
          "recordsIn" = $5
        WHERE id = $1 AND ($6::text IS NULL OR lease = $6::text)`,
      nodeRunId,
      status,
      result.error ?? null,
      JSON.stringify(trimLogs(result.logs ?? [])),
      result.recordsRead ?? 0,
      lease ?? null,
    );
    return this.getNodeRun(nodeRunId);
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

  /** Records which code a node run runs. */
  async setCodeVersion(nodeRunId: string, code: string): Promise<void> {
    const version = createHash("sha256").update(code).digest("hex").slice(0, 16);
    await this.db.prisma.$executeRawUnsafe(`UPDATE "NodeRun" SET "codeVersion" = $2 WHERE id = $1`, nodeRunId, version);
  }

  /** Cancels what has not finished: queued and running node runs, and the run itself. */
  async cancelNodeRuns(tx: SqlRunner, runId: string): Promise<string[]> {
    const rows = await tx.$queryRawUnsafe<{ id: string }[]>(
      `UPDATE "NodeRun" SET status = 'cancelled', error = 'Cancelled', "finishedAt" = now() WHERE "runId" = $1 AND status IN ('queued', 'running') AND "committedAt" IS NULL RETURNING id`,
      runId,
    );
    return rows.map((r) => r.id);
  }
}
