import { router } from "./trpc.ts";
import { graphsRouter } from "./routers/graphs.ts";
import { runsRouter } from "./routers/runs.ts";
import { storesRouter } from "./routers/stores.ts";
import { webhooksRouter } from "./routers/webhooks.ts";
import { versionsRouter } from "./routers/versions.ts";

export const appRouter = router({
  graphs: graphsRouter,
  runs: runsRouter,
  stores: storesRouter,
  webhooks: webhooksRouter,
  versions: versionsRouter,
});

/** The API's type; the web app imports it with `import type` only. */
export type AppRouter = typeof appRouter;
