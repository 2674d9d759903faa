import type { Server } from "node:http";
import { GraphRepository, migrate, openDatabase, RunRepository, WorkspaceRepository, type Database } from "@patchbay/db";
import { WorkerPool } from "@patchbay/runtime";
import type { ServerEnv } from "./env.ts";
import { createHttpServer } from "./http/server.ts";
import { RunEventHub } from "./runs/run-events.ts";
import { JobQueue } from "./runs/job-queue.ts";
import { RunService } from "./runs/run-service.ts";
import { exampleGraph } from "./seed/example-graph.ts";

export interface App {
  db: Database;
  server: Server;
  runs: RunService;
  /** The address it listens on, e.g. http://127.0.0.1:3000 */
  url: string;
  close(): Promise<void>;
}

/** Opens the database, applies migrations, starts the workers and the HTTP server. */
export async function startApp(env: ServerEnv): Promise<App> {
  const db = await openDatabase(env.databaseUrl ? { url: env.databaseUrl } : { dataDir: `${env.dataDir}/pglite` });
  const applied = await migrate(db);
  if (applied.length) console.log(`Applied migrations: ${applied.join(", ")}`);

  const graphs = new GraphRepository(db);
  const runRepository = new RunRepository(db);
  const workspace = await new WorkspaceRepository(db).ensureDefault();
  if (workspace.created && env.seedExample) {
    const example = exampleGraph();
    await graphs.create(workspace.id, example.title, example.document);
  }

  // Node runs left behind by a stopped process are still queued jobs: a
  // worker takes them over (see RunService.handleNodeRunJob).
  const queue = await JobQueue.open(db, { runTimeLimitMs: env.runTimeLimitMs });
  const pool = new WorkerPool({ size: env.workers, defaultTimeLimitMs: env.runTimeLimitMs });
  await pool.start();
  const events = new RunEventHub();
  const runs = new RunService({ db, graphs, runs: runRepository, queue, events, timeLimitMs: env.runTimeLimitMs });
  await queue.workNodeRuns(env.workers, (job) => runs.handleNodeRunJob(pool, job.nodeRunId));

  const server = createHttpServer(() => ({ db, workspaceId: workspace.id, graphs, runs: runRepository, launcher: runs, events }));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(env.port, env.host, resolve);
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : env.port;
  return {
    db,
    server,
    runs,
    url: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await queue.close();
      await pool.close();
      await db.close();
    },
  };
}
