import { router } from "./trpc.ts";
import { graphsRouter } from "./routers/graphs.ts";
import { runsRouter } from "./routers/runs.ts";
import { storesRouter } from "./routers/stores.ts";

export const appRouter = router({
  graphs: graphsRouter,
  runs: runsRouter,
  stores: storesRouter,
});

/** The API's type; the web app imports it with `import type` only. */
export type AppRouter = typeof appRouter;
