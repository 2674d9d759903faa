import { z } from "zod";
import { changeAffectsTriggers, graphChangeSchema } from "@patchbay/graph";
import { editorProcedure, viewerProcedure, router } from "../trpc.ts";

const graphId = z.string().min(1).max(200);

export const graphsRouter = router({
  list: viewerProcedure.query(({ ctx }) => ctx.graphs.list(ctx.workspaceId)),

  create: editorProcedure
    .input(z.object({ title: z.string().max(200) }))
    .mutation(({ ctx, input }) => ctx.graphs.create(ctx.workspaceId, input.title)),

  get: viewerProcedure.input(z.object({ id: graphId })).query(async ({ ctx, input }) => {
    const graph = await ctx.graphs.get(input.id, ctx.workspaceId);
    return { id: graph.id, title: graph.title, slug: graph.slug, revision: graph.revision, document: graph.document };
  }),

  // `id` may be a slug, unique only within a workspace: every call below uses the id it resolved to.
  rename: editorProcedure.input(z.object({ id: graphId, title: z.string().max(200) })).mutation(async ({ ctx, input }) => {
    const graph = await ctx.graphs.findInWorkspace(input.id, ctx.workspaceId);
    await ctx.graphs.rename(graph.id, input.title);
  }),

  /** How many of the graph's nodes may run at once; null lifts the limit. */
  concurrency: viewerProcedure.input(z.object({ id: graphId })).query(async ({ ctx, input }) => {
    const graph = await ctx.graphs.findInWorkspace(input.id, ctx.workspaceId);
    return { concurrency: await ctx.graphs.concurrencyOf(graph.id) };
  }),

  setConcurrency: editorProcedure
    .input(z.object({ id: graphId, concurrency: z.number().int().min(1).max(64).nullable() }))
    .mutation(async ({ ctx, input }) => {
      const graph = await ctx.graphs.findInWorkspace(input.id, ctx.workspaceId);
      await ctx.graphs.setConcurrency(graph.id, input.concurrency);
    }),

  delete: editorProcedure.input(z.object({ id: graphId })).mutation(async ({ ctx, input }) => {
    const graph = await ctx.graphs.findInWorkspace(input.id, ctx.workspaceId);
    await ctx.graphs.delete(graph.id);
    await ctx.afterGraphChange(graph.id);
  }),

  applyChanges: editorProcedure
    .input(z.object({ id: graphId, changes: z.array(graphChangeSchema).min(1).max(5_000) }))
    .mutation(async ({ ctx, input }) => {
      const graph = await ctx.graphs.findInWorkspace(input.id, ctx.workspaceId);
      const { revision } = await ctx.graphs.applyChanges(graph.id, input.changes);
      if (input.changes.some(changeAffectsTriggers)) await ctx.afterGraphChange(graph.id);
      return { revision };
    }),
});
