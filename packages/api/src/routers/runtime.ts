import { z } from "zod";
import { GraphError } from "@patchbay/graph";
import { NotFoundError } from "@patchbay/db";
// Subpaths, not the package root: the web app type-checks this router, and the root exports Node-only code.
import { parseBridgeRequest } from "@patchbay/runtime/bridge-request";
import { BridgeError, type BridgeRequest } from "@patchbay/runtime/protocol";
import type { ApiContext } from "../context.ts";
import type { BrowserRunHost } from "../browser-run-host.ts";
import { editorProcedure, router } from "../trpc.ts";

const id = z.string().min(1).max(200);
// What the executor keeps of one message (16,000 characters and a "cut" note).
const logEntry = z.object({
  level: z.enum(["trace", "debug", "info", "warn", "error"]),
  message: z.string().max(16_100),
  time: z.number().finite(),
});
const result = z.object({
  status: z.enum(["succeeded", "failed"]),
  logs: z.array(logEntry).max(10_001),
  error: z.string().max(200_000).nullable(),
  recordsRead: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  recordsWritten: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  durationMs: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
});

function host(ctx: ApiContext): BrowserRunHost {
  if (!ctx.browserRuns) throw new GraphError("browser_runs_unavailable", "This server does not run nodes in the browser; run the node on the server.");
  return ctx.browserRuns;
}

/**
 * The caller may use this node run: it is a browser run of a graph in the
 * caller's workspace (checked as every router checks graph access).
 */
async function checkNodeRun(ctx: ApiContext & { workspaceId: string }, nodeRunId: string): Promise<void> {
  // One query: a node run of another workspace is answered exactly like a missing one.
  const runtime = await ctx.runs.runtimeInWorkspace(nodeRunId, ctx.workspaceId);
  if (runtime === null) throw new NotFoundError(`No node run "${nodeRunId}".`);
  if (runtime !== "browser") throw new GraphError("not_a_browser_run", "This node run runs on the server, not in a browser.");
}

/**
 * Runs in the user's browser: the tab runs the node's Python in a Web
 * Worker, and every store read and write comes through here, so the server
 * applies the same port checks, lease fencing and commit transactions as
 * for its own workers.
 */
export const runtimeRouter = router({
  /** Creates and claims a browser run of the node; returns what the tab runs and the lease it must present. */
  startBrowserRun: editorProcedure
    .input(z.object({ graphId: id, nodeId: id, scope: z.enum(["node", "downstream"]).default("node") }))
    .mutation(async ({ ctx, input }) => {
      const graph = await ctx.graphs.findInWorkspace(input.graphId, ctx.workspaceId);
      return host(ctx).start({ graphId: graph.id, nodeId: input.nodeId, scope: input.scope, startedBy: null });
    }),

  /** One store request of a running browser run. Refusals come back as `{ ok: false }` for the node's code to raise. */
  bridge: editorProcedure.input(z.object({ nodeRunId: id, lease: id, request: z.unknown() })).mutation(async ({ ctx, input }) => {
    await checkNodeRun(ctx, input.nodeRunId);
    let request: BridgeRequest;
    try {
      request = parseBridgeRequest(input.request);
    } catch (error) {
      if (error instanceof BridgeError) return { ok: false as const, code: error.code, message: error.message };
      throw error;
    }
    return host(ctx).bridge(input.nodeRunId, input.lease, request);
  }),

  /** Live log lines of a running browser run; answers the run's status (a tab stops when it was cancelled elsewhere). */
  appendLogs: editorProcedure.input(z.object({ nodeRunId: id, lease: id, logs: z.array(logEntry).max(2_000) })).mutation(async ({ ctx, input }) => {
    await checkNodeRun(ctx, input.nodeRunId);
    return host(ctx).appendLogs(input.nodeRunId, input.lease, input.logs);
  }),

  /** Records how a browser run ended (only with its lease) and moves its wave on. */
  finishBrowserRun: editorProcedure.input(z.object({ nodeRunId: id, lease: id, result })).mutation(async ({ ctx, input }) => {
    await checkNodeRun(ctx, input.nodeRunId);
    return host(ctx).finish(input.nodeRunId, input.lease, input.result);
  }),
});
