export { appRouter, type AppRouter } from "./root.ts";
export type { ApiContext, RunLauncher, RunEvent, RunEventSource, RunScope } from "./context.ts";
