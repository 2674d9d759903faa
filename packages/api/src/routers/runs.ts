import { z } from "zod";
import { NotFoundError } from "@patchbay/db";
import { editorProcedure, viewerProcedure, router } from "../trpc.ts";

const graphId = z.string().min(1).max(200);

export const runsRouter = router({
  start: editorProcedure
    .input(z.object({ graphId, nodeId: z.string().max(200).nullable(), scope: z.enum(["node", "downstream", "graph"]) }))
    .mutation(async ({ ctx, input }) => {
      // `graphId` may be a slug, unique only within a workspace: the launcher gets the id it resolved to.
      const graph = await ctx.graphs.findInWorkspace(input.graphId, ctx.workspaceId);
      return ctx.launcher.start({ graphId: graph.id, nodeId: input.nodeId, scope: input.scope, startedBy: ctx.caller.email });
    }),

  cancel: editorProcedure.input(z.object({ graphId, runId: z.string().min(1).max(200) })).mutation(async ({ ctx, input }) => {
    const graph = await ctx.graphs.findInWorkspace(input.graphId, ctx.workspaceId);
    const run = await ctx.db.prisma.run.findFirst({ where: { id: input.runId, graphId: graph.id }, select: { id: true } });
    if (!run) throw new NotFoundError(`No run "${input.runId}" in this graph.`);
    await ctx.launcher.cancel(run.id);
  }),

  /** One run (a wave): its status and its node runs, for scripts that wait for it. */
  get: viewerProcedure.input(z.object({ graphId, runId: z.string().min(1).max(200) })).query(async ({ ctx, input }) => {
    const graph = await ctx.graphs.findInWorkspace(input.graphId, ctx.workspaceId);
    const run = await ctx.db.prisma.run.findFirst({ where: { id: input.runId, graphId: graph.id }, select: { id: true, status: true } });
    if (!run) throw new NotFoundError(`No run "${input.runId}" in this graph.`);
    return { id: run.id, status: run.status, nodeRuns: await ctx.runs.nodeRunsOfRun(run.id) };
  }),

  latestByNode: viewerProcedure.input(z.object({ graphId })).query(async ({ ctx, input }) => {
    const graph = await ctx.graphs.findInWorkspace(input.graphId, ctx.workspaceId);
    return ctx.runs.latestByNode(graph.id);
  }),

  nodeRuns: viewerProcedure
    .input(z.object({ graphId, nodeId: z.string().max(200), limit: z.number().int().min(1).max(200).optional() }))
    .query(async ({ ctx, input }) => {
      const graph = await ctx.graphs.findInWorkspace(input.graphId, ctx.workspaceId);
      return ctx.runs.listNodeRuns(graph.id, input.nodeId, input.limit);
    }),

  /** A node's runs, newest first, each with what triggered its wave (for the run history). */
  history: viewerProcedure
    .input(z.object({ graphId, nodeId: z.string().max(200), limit: z.number().int().min(1).max(200).optional() }))
    .query(async ({ ctx, input }) => {
      const graph = await ctx.graphs.findInWorkspace(input.graphId, ctx.workspaceId);
      const nodeRuns = await ctx.runs.listNodeRuns(graph.id, input.nodeId, input.limit ?? 50);
      const waves = await ctx.db.prisma.run.findMany({ where: { id: { in: [...new Set(nodeRuns.map((r) => r.runId))] } }, select: { id: true, trigger: true } });
      const triggers = new Map(waves.map((w) => [w.id, w.trigger]));
      return nodeRuns.map((run) => ({ ...run, trigger: triggers.get(run.runId) ?? "manual" }));
    }),

  /** Node run changes of one graph, pushed as they happen (server-sent events). */
  events: viewerProcedure.input(z.object({ graphId })).subscription(async function* ({ ctx, input, signal }) {
    const graph = await ctx.graphs.findInWorkspace(input.graphId, ctx.workspaceId);
    yield* ctx.events.subscribe(graph.id, signal);
  }),
});
