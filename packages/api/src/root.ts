import { router } from "./trpc.ts";
import { graphsRouter } from "./routers/graphs.ts";
import { runsRouter } from "./routers/runs.ts";
import { storesRouter } from "./routers/stores.ts";
import { webhooksRouter } from "./routers/webhooks.ts";
import { versionsRouter } from "./routers/versions.ts";
import { authRouter } from "./routers/auth.ts";
import { membersRouter } from "./routers/members.ts";
import { tokensRouter } from "./routers/tokens.ts";
import { secretsRouter } from "./routers/secrets.ts";
import { workspacesRouter } from "./routers/workspaces.ts";
import { runtimeRouter } from "./routers/runtime.ts";

export const appRouter = router({
  graphs: graphsRouter,
  runs: runsRouter,
  stores: storesRouter,
  webhooks: webhooksRouter,
  versions: versionsRouter,
  runtime: runtimeRouter,
  auth: authRouter,
  workspaces: workspacesRouter,
  members: membersRouter,
  tokens: tokensRouter,
  secrets: secretsRouter,
});

/** The API's type; the web app imports it with `import type` only. */
export type AppRouter = typeof appRouter;
