import { GraphRepository, migrate, pruneHistory, openDatabase, RunRepository, SecretRepository, WebhookRepository, WorkspaceRepository, type Database, type SecretBox } from "@patchbay/db";
import { WorkerPool } from "@patchbay/runtime";
import { acquireDataDirLock } from "./data-dir-lock.ts";
import type { ServerEnv } from "./env.ts";
import { JobQueue } from "./runs/job-queue.ts";
import { Broadcast } from "./broadcast.ts";
import { RUN_EVENTS_CHANNEL, RunEventHub } from "./runs/run-events.ts";
import { WEBHOOK_RESPONSES_CHANNEL, WebhookResponses } from "./webhooks/webhook-responses.ts";
import { RunService } from "./runs/run-service.ts";
import { ScheduleService } from "./runs/schedule-service.ts";
import { exampleGraph } from "./seed/example-graph.ts";
import { loadSecretBox } from "./secret-key.ts";

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
  webhooks: WebhookRepository;
  responses: WebhookResponses;
  /** Encrypts workspace secrets (PATCHBAY_SECRET_KEY). */
  secretBox: SecretBox;
  secrets: SecretRepository;
  /** Keeps schedules and webhook tokens in step with a graph after it changed. */
  afterGraphChange(graphId: string): Promise<void>;
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
  // First, so a production server without its key refuses to start before touching anything.
  const secretBox = loadSecretBox(env);
  // The embedded database allows one process at a time; claim it before opening it.
  const release = env.databaseUrl ? () => {} : acquireDataDirLock(env.dataDir, `${env.dataDir}/pglite`);
  let db: Database;
  try {
    db = await openDatabase(env.databaseUrl ? { url: env.databaseUrl } : { dataDir: `${env.dataDir}/pglite` });
  } catch (error) {
    release();
    throw error;
  }
  const opened: (() => Promise<void>)[] = [async () => release(), () => db.close()];
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
    const broadcast = new Broadcast(db);
    const events = new RunEventHub(broadcast, (id) => runRepository.getNodeRun(id));
    const responses = new WebhookResponses(broadcast);
    await broadcast.start([RUN_EVENTS_CHANNEL, WEBHOOK_RESPONSES_CHANNEL]);
    opened.push(() => broadcast.close());
    const secrets = new SecretRepository(db, secretBox);
    const runs = new RunService({
      db,
      graphs,
      secrets,
      runs: runRepository,
      queue,
      events,
      timeLimitMs: env.runTimeLimitMs,
      onResponses: async (answers) => {
        for (const answer of answers) await responses.respond(answer.requestKey, answer.payload);
      },
    });
    const schedules = new ScheduleService({ queue, runs });
    const webhooks = new WebhookRepository(db);
    const afterGraphChange = async (graphId: string) => {
      // A deleted graph keeps no schedules and no webhook tokens.
      const document = (await graphs.get(graphId).catch(() => null))?.document ?? null;
      await schedules.sync(graphId, document);
      await webhooks.sync(graphId, (document?.nodes ?? []).filter((n) => n.kind === "webhook").map((n) => n.id));
    };
    let pool: WorkerPool | null = null;
    if (options.work) {
      pool = new WorkerPool({
        size: env.workers,
        defaultTimeLimitMs: env.runTimeLimitMs,
        // Keeps the Pyodide memory snapshot and downloaded packages between starts.
        cacheDir: env.runtimeCacheDir,
        ...(env.packageIndexUrl ? { packageIndexUrl: env.packageIndexUrl } : {}),
      });
      const started = pool;
      opened.push(() => started.close());
      await pool.start();
      // Node runs left behind by a stopped process are still queued jobs, and
      // are taken over here (RunService.handleNodeRunJob).
      await queue.workNodeRuns(env.workers, (job) => runs.handleNodeRunJob(started, job));
      await queue.workSchedules((job) => schedules.fire(job));
      await queue.workMaintenance(async () => {
        const pruned = await pruneHistory(db, env.retention);
        if (pruned.runs || pruned.versions) console.log(`Retention: deleted ${pruned.runs} old runs and ${pruned.versions} old table versions`);
      });
    }
    return { env, db, workspaceId: workspace.id, graphs, runRepository, queue, events, runs, schedules, webhooks, responses, secretBox, secrets, afterGraphChange, pool, close };
  } catch (error) {
    await close();
    throw error;
  }
}
