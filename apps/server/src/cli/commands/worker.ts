import type { ServerEnv } from "../../env.ts";
import { startWorker } from "../../worker.ts";
import type { CliOutput } from "../output.ts";

/** `patchbay worker`: takes node run jobs from the shared PostgreSQL server until stopped (Ctrl-C). */
export async function workerCommand(env: ServerEnv, output: CliOutput): Promise<number> {
  const worker = await startWorker(env);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  output.info("Stopping: finishing the nodes under way…");
  await worker.close();
  return 0;
}
