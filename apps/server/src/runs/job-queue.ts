import { createHash } from "node:crypto";
import { PgBoss, fromPglite, fromPrisma, type Job } from "pg-boss";
import type { Database, SqlRunner } from "@patchbay/db";

export const NODE_RUN_QUEUE = "patchbay-node-run";
export const SCHEDULE_QUEUE = "patchbay-schedule";
export const MAINTENANCE_QUEUE = "patchbay-maintenance";

export interface NodeRunJob {
  nodeRunId: string;
  graphId: string;
  nodeId: string;
}

export interface ScheduleJob {
  graphId: string;
  nodeId: string;
}

/**
 * pg-boss schedule keys allow only [A-Za-z0-9_./-]; node ids may hold more, so
 * the key carries a hash of the node id (the schedule's data keeps the id).
 */
function scheduleKey(graphId: string, nodeId: string): string {
  return `${graphId.replace(/[^A-Za-z0-9_.-]/g, "_")}/${createHash("sha256").update(nodeId).digest("hex").slice(0, 24)}`;
}

export interface JobQueueOptions {
  /** Longest a node may run; a job active longer than this (plus slack) is retried elsewhere. */
  runTimeLimitMs: number;
}

// How soon a worker that died (no heartbeat) has its job handed to another worker.
const HEARTBEAT_SECONDS = 10;

/**
 * The run queue: pg-boss on the same PostgreSQL database as everything else
 * (PGlite in-process by default). Jobs are enqueued inside the transaction
 * that creates the node run, so a node run and its job exist together or not
 * at all; any number of processes may work the queue.
 */
export class JobQueue {
  private readonly boss: PgBoss;
  private readonly nodeRunWorkers: string[] = [];

  private constructor(boss: PgBoss) {
    this.boss = boss;
  }

  static async open(db: Database, options: JobQueueOptions): Promise<JobQueue> {
    // Supervising every 10 s (not pg-boss's 60 s) hands a dead worker's job on within about 20 s.
    const common = { schedule: true, supervise: true, migrate: true, application_name: "patchbay", superviseIntervalSeconds: 10, monitorIntervalSeconds: 10 };
    const boss =
      db.kind === "pglite"
        ? new PgBoss({ ...common, db: fromPglite(db.pglite), backend: "pglite" })
        : new PgBoss({ ...common, connectionString: db.url, max: 4 });
    boss.on("error", (error: unknown) => console.error(`Run queue: ${error instanceof Error ? error.message : String(error)}`));
    await boss.start();
    const expireInSeconds = Math.ceil(options.runTimeLimitMs / 1000) + 120;
    await boss.createQueue(NODE_RUN_QUEUE, { retryLimit: 5, retryDelay: 1, expireInSeconds, heartbeatSeconds: HEARTBEAT_SECONDS });
    await boss.createQueue(SCHEDULE_QUEUE, { retryLimit: 0, expireInSeconds: 60 });
    await boss.createQueue(MAINTENANCE_QUEUE, { retryLimit: 0, expireInSeconds: 3_600 });
    return new JobQueue(boss);
  }

  /**
   * Enqueues a node run inside `tx`. Jobs are grouped per node, and a group
   * runs one job at a time across all processes: a node never runs twice at
   * once, so a stream consumer's runs cannot read the same records.
   */
  async enqueueNodeRun(tx: SqlRunner, job: NodeRunJob, startAfter?: Date): Promise<void> {
    await this.boss.send(NODE_RUN_QUEUE, { ...job }, {
      db: fromPrisma(tx),
      group: { id: `${job.graphId}:${job.nodeId}` },
      ...(startAfter ? { startAfter } : {}),
    });
  }

  /** Takes node run jobs, `concurrency` at a time in this process. */
  async workNodeRuns(concurrency: number, handler: (job: NodeRunJob, signal: AbortSignal) => Promise<void>): Promise<void> {
    let workerId = "";
    workerId = await this.boss.work<NodeRunJob>(
      NODE_RUN_QUEUE,
      {
        localConcurrency: concurrency,
        batchSize: 1,
        pollingIntervalSeconds: 0.5,
        groupConcurrency: 1,
      },
      async (jobs: Job<NodeRunJob>[]) => {
        for (const job of jobs) await handler(job.data, job.signal);
        // pg-boss waits a polling interval after every fetch unless told
        // otherwise: look for the next job at once while there is work.
        if (workerId) this.boss.notifyWorker(workerId);
      },
    );
    this.nodeRunWorkers.push(workerId);
  }

  /** Has this process's workers look for jobs now (after this process enqueued some). */
  wake(): void {
    for (const id of this.nodeRunWorkers) this.boss.notifyWorker(id);
  }

  /** Keeps the cron schedule of one node: one job per tick, whatever the number of processes. */
  async setSchedule(graphId: string, nodeId: string, cron: string | null): Promise<void> {
    const key = scheduleKey(graphId, nodeId);
    if (cron === null) await this.boss.unschedule(SCHEDULE_QUEUE, key);
    else await this.boss.schedule(SCHEDULE_QUEUE, cron, { graphId, nodeId }, { key, tz: "UTC" });
  }

  /** The schedules of one graph: node id → cron expression. */
  async schedulesOf(graphId: string): Promise<Map<string, string>> {
    const result = new Map<string, string>();
    // getSchedules(name) matches only the empty key, so list all and filter.
    for (const schedule of await this.boss.getSchedules()) {
      if (schedule.name !== SCHEDULE_QUEUE) continue;
      const data = schedule.data;
      if (data && "graphId" in data && data.graphId === graphId && "nodeId" in data && typeof data.nodeId === "string") result.set(data.nodeId, schedule.cron);
    }
    return result;
  }

  async workSchedules(handler: (job: ScheduleJob) => Promise<void>): Promise<void> {
    await this.boss.work<ScheduleJob>(SCHEDULE_QUEUE, { pollingIntervalSeconds: 1 }, async (jobs: Job<ScheduleJob>[]) => {
      for (const job of jobs) await handler(job.data);
    });
  }

  /** Runs `task` once an hour in one of the processes that work the queue. */
  async workMaintenance(task: () => Promise<void>): Promise<void> {
    await this.boss.schedule(MAINTENANCE_QUEUE, "17 * * * *", {}, { key: "hourly", tz: "UTC" });
    await this.boss.work(MAINTENANCE_QUEUE, { pollingIntervalSeconds: 30 }, async () => {
      await task();
    });
  }

  async close(): Promise<void> {
    await this.boss.stop({ graceful: false, close: true, timeout: 2_000 });
  }
}
