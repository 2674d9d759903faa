import type { Server } from "node:http";
import type { ServerEnv } from "./env.ts";
import { createHttpServer } from "./http/server.ts";
import { openServices, type Services } from "./services.ts";
import { BrowserRuns } from "./runs/browser-runs.ts";
import { createAccountServices } from "@patchbay/api";

export interface App {
  services: Services;
  server: Server;
  /** The address it listens on, e.g. http://127.0.0.1:3000 */
  url: string;
  close(): Promise<void>;
}

/** Starts the services (database, queue, workers) and the HTTP server. */
export async function startApp(env: ServerEnv): Promise<App> {
  if (!env.runWorkers && !env.databaseUrl) {
    // No `patchbay worker` can reach an embedded database: runs would stay queued forever.
    throw new Error("RUN_WORKERS=false needs DATABASE_URL: with the embedded database only this process can run nodes. Remove RUN_WORKERS=false, or set DATABASE_URL to a PostgreSQL server the workers share.");
  }
  const services = await openServices(env, { work: env.runWorkers, seed: true });
  const { db, graphs, runRepository, runs, events } = services;
  const accounts = createAccountServices(db, services.secretBox, env.loginLimit);
  // Runs in users' browsers are served by the API process; it also gives up on those whose tab went away.
  const browserRuns = new BrowserRuns({ db, graphs, runs: runRepository, runService: runs, events, timeLimitMs: env.runTimeLimitMs });
  const stopSweeping = browserRuns.startSweeping();
  const server = createHttpServer({
    createContext: (request) => ({ db, graphs, runs: runRepository, launcher: runs, events, webhooks: services.webhooks, afterGraphChange: services.afterGraphChange, browserRuns, accounts, request }),
    proxy: { trustProxy: env.trustProxy },
    webhook: { db, graphs, webhooks: services.webhooks, runs, responses: services.responses, limits: env.webhookLimits },
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(env.port, env.host, resolve);
    });
  } catch (error) {
    stopSweeping();
    await services.close();
    throw error;
  }
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : env.port;
  return {
    services,
    server,
    url: `http://127.0.0.1:${port}`,
    async close() {
      stopSweeping();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await services.close();
    },
  };
}
