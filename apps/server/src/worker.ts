// `patchbay worker`: a process that only runs nodes. Start any number of them,
// on any machines, against the same PostgreSQL server as the API servers.
import { readEnv } from "./env.ts";
import { openServices } from "./services.ts";

/** Starts a worker process; resolves once it is taking jobs. */
export async function startWorker(env = readEnv()): Promise<{ close(): Promise<void> }> {
  if (!env.databaseUrl) {
    throw new Error("A separate worker needs DATABASE_URL (a PostgreSQL server shared with the API servers). With the embedded database the server runs its own workers.");
  }
  const services = await openServices(env, { work: true, seed: false });
  console.log(`Patchbay worker ${process.pid} is taking jobs with ${env.workers} sandboxed workers`);
  return services;
}

if (import.meta.main) {
  const worker = await startWorker();
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      worker.close().then(() => process.exit(0), () => process.exit(1));
    });
  }
}
