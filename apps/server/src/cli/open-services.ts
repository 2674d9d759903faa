import type { ServerEnv } from "../env.ts";
import { openServices, type Services } from "../services.ts";
import { acquireDataDirLock } from "./data-dir-lock.ts";

export type { Services } from "../services.ts";

/**
 * The server's services for one command: the same database (DATABASE_URL,
 * else the embedded one in DATA_DIR, which this process then holds alone),
 * with sandboxed workers taking node runs only when `work` (`patchbay run`).
 */
export async function openCliServices(env: ServerEnv, options: { work: boolean }): Promise<Services> {
  const release = env.databaseUrl ? () => {} : acquireDataDirLock(env.dataDir, `${env.dataDir}/pglite`);
  try {
    const services = await openServices(env, { work: options.work, seed: true });
    return {
      ...services,
      async close() {
        await services.close();
        release();
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}
