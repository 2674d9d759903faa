import { GraphRepository, migrate, openDatabase, RunRepository, WorkspaceRepository, type Database } from "@patchbay/db";
import { WorkerPool } from "@patchbay/runtime";
import type { ServerEnv } from "./env.ts";
import { JobQueue } from "./runs/job-queue.ts";
import { RunEventHub } from "./runs/run-events.ts";
import { RunService } from "./runs/run-service.ts";
import { ScheduleService } from "./runs/schedule-service.ts";
import { exampleGraph } from "./seed/example-graph.ts";

/** Everything a Patchbay process works with, opened in order and closed in reverse. */
export interface Services {
  env: ServerEnv;
  db: Database;
  workspaceId: string;
  graphs: GraphRepository;
  runRepository: RunRepository;
  queue: JobQueue;
  events: RunEventHub;
  runs: RunService;
  schedules: ScheduleService;
  /** Present when this process runs nodes. */
  pool: WorkerPool | null;
  close(): Promise<void>;
}

/**
 * Opens the database (migrating it), the run queue and the event hub; with
 * `work: true` also starts the sandboxed worker pool and takes node run and
 * schedule jobs. The server, `patchbay worker` and the CLI all start here.
 */
export async function openServices(env: ServerEnv, options: { work: boolean; seed: boolean }): Promise<Services> {
  const db = await openDatabase(env.databaseUrl ? { url: env.databaseUrl } : { dataDir: `${env.dataDir}/pglite` });
  const opened: (() => Promise<void>)[] = [() => db.close()];
  const close = async () => {
    for (const step of opened.reverse()) await step().catch(() => {});
  };
  try {
    const applied = await migrate(db);
    if (applied.length) console.log(`Applied migrations: ${applied.join(", ")}`);
    const graphs = new GraphRepository(db);
    const runRepository = new RunRepository(db);
    const workspace = await new WorkspaceRepository(db).ensureDefault();
    if (workspace.created && options.seed && env.seedExample) {
      const example = exampleGraph();
      await graphs.create(workspace.id, example.title, example.document);
    }
    const queue = await JobQueue.open(db, { runTimeLimitMs: env.runTimeLimitMs });
    opened.push(() => queue.close());
    const events = new RunEventHub(db, (id) => runRepository.getNodeRun(id));
    await events.start();
    opened.push(() => events.close());
    const runs = new RunService({ db, graphs, runs: runRepository, queue, events, timeLimitMs: env.runTimeLimitMs });
    const schedules = new ScheduleService({ graphs, queue, runs });
    let pool: WorkerPool | null = null;
    if (options.work) {
      pool = new WorkerPool({ size: env.workers, defaultTimeLimitMs: env.runTimeLimitMs, ...(env.packageIndexUrl ? { packageIndexUrl: env.packageIndexUrl } : {}) });
      const started = pool;
      opened.push(() => started.close());
      await pool.start();
      // Node runs left behind by a stopped process are still queued jobs, and
      // are taken over here (RunService.handleNodeRunJob).
      await queue.workNodeRuns(env.workers, (job) => runs.handleNodeRunJob(started, job));
      await queue.workSchedules((job) => schedules.fire(job));
    }
    return { env, db, workspaceId: workspace.id, graphs, runRepository, queue, events, runs, schedules, pool, close };
  } catch (error) {
    await close();
    throw error;
  }
}
