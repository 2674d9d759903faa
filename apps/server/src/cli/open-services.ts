import type { ServerEnv } from "../env.ts";
import { openServices, type Services } from "../services.ts";

export type { Services } from "../services.ts";

/**
 * The server's services for one command: the same database (DATABASE_URL,
 * else the embedded one in DATA_DIR, which this process then holds alone),
 * with sandboxed workers taking node runs only when `work` (`patchbay run`).
 */
export function openCliServices(env: ServerEnv, options: { work: boolean }): Promise<Services> {
  return openServices(env, { work: options.work, seed: true });
}
