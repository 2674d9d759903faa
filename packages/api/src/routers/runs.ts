import { z } from "zod";
import { NotFoundError } from "@patchbay/db";
import { editorProcedure, viewerProcedure, router } from "../trpc.ts";

const graphId = z.string().min(1).max(200);

export const runsRouter = router({
  start: editorProcedure
    .input(z.object({ graphId, nodeId: z.string().max(200).nullable(), scope: z.enum(["node", "downstream", "graph"]) }))
    .mutation(async ({ ctx, input }) => {
      await ctx.graphs.get(input.graphId, ctx.workspaceId);
      return ctx.launcher.start({ graphId: input.graphId, nodeId: input.nodeId, scope: input.scope, startedBy: ctx.caller.email });
    }),

  cancel: editorProcedure.input(z.object({ graphId, runId: z.string().min(1).max(200) })).mutation(async ({ ctx, input }) => {
    await ctx.graphs.get(input.graphId, ctx.workspaceId);
    const run = await ctx.db.prisma.run.findFirst({ where: { id: input.runId, graphId: input.graphId }, select: { id: true } });
    if (!run) throw new NotFoundError(`No run "${input.runId}" in this graph.`);
    await ctx.launcher.cancel(run.id);
  }),

  latestByNode: viewerProcedure.input(z.object({ graphId })).query(async ({ ctx, input }) => {
    await ctx.graphs.get(input.graphId, ctx.workspaceId);
    return ctx.runs.latestByNode(input.graphId);
  }),

  nodeRuns: viewerProcedure
    .input(z.object({ graphId, nodeId: z.string().max(200), limit: z.number().int().min(1).max(200).optional() }))
    .query(async ({ ctx, input }) => {
      await ctx.graphs.get(input.graphId, ctx.workspaceId);
      return ctx.runs.listNodeRuns(input.graphId, input.nodeId, input.limit);
    }),

  /** A node's runs, newest first, each with what triggered its wave (for the run history). */
  history: viewerProcedure
    .input(z.object({ graphId, nodeId: z.string().max(200), limit: z.number().int().min(1).max(200).optional() }))
    .query(async ({ ctx, input }) => {
      await ctx.graphs.get(input.graphId, ctx.workspaceId);
      const nodeRuns = await ctx.runs.listNodeRuns(input.graphId, input.nodeId, input.limit ?? 50);
      const waves = await ctx.db.prisma.run.findMany({ where: { id: { in: [...new Set(nodeRuns.map((r) => r.runId))] } }, select: { id: true, trigger: true } });
      const triggers = new Map(waves.map((w) => [w.id, w.trigger]));
      return nodeRuns.map((run) => ({ ...run, trigger: triggers.get(run.runId) ?? "manual" }));
    }),

  /** Node run changes of one graph, pushed as they happen (server-sent events). */
  events: viewerProcedure.input(z.object({ graphId })).subscription(async function* ({ ctx, input, signal }) {
    await ctx.graphs.get(input.graphId, ctx.workspaceId);
    yield* ctx.events.subscribe(input.graphId, signal);
  }),
});
