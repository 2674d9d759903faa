import type { Server } from "node:http";
import type { ServerEnv } from "./env.ts";
import { createHttpServer } from "./http/server.ts";
import { openServices, type Services } from "./services.ts";

export interface App {
  services: Services;
  server: Server;
  /** The address it listens on, e.g. http://127.0.0.1:3000 */
  url: string;
  close(): Promise<void>;
}

/** Starts the services (database, queue, workers) and the HTTP server. */
export async function startApp(env: ServerEnv): Promise<App> {
  const services = await openServices(env, { work: env.runWorkers, seed: true });
  const { db, workspaceId, graphs, runRepository, runs, events } = services;
  const server = createHttpServer({
    createContext: () => ({ db, workspaceId, graphs, runs: runRepository, launcher: runs, events, webhooks: services.webhooks, afterGraphChange: services.afterGraphChange }),
    webhook: { db, graphs, webhooks: services.webhooks, runs, responses: services.responses, limits: env.webhookLimits },
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(env.port, env.host, resolve);
    });
  } catch (error) {
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
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await services.close();
    },
  };
}
