import { z } from "zod";
import { graphChangeSchema } from "@patchbay/graph";
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

  rename: editorProcedure.input(z.object({ id: graphId, title: z.string().max(200) })).mutation(async ({ ctx, input }) => {
    await ctx.graphs.get(input.id, ctx.workspaceId);
    await ctx.graphs.rename(input.id, input.title);
  }),

  delete: editorProcedure.input(z.object({ id: graphId })).mutation(async ({ ctx, input }) => {
    await ctx.graphs.get(input.id, ctx.workspaceId);
    await ctx.graphs.delete(input.id);
    await ctx.afterGraphChange(input.id);
  }),

  applyChanges: editorProcedure
    .input(z.object({ id: graphId, changes: z.array(graphChangeSchema).min(1).max(5_000) }))
    .mutation(async ({ ctx, input }) => {
      await ctx.graphs.get(input.id, ctx.workspaceId);
      const { revision } = await ctx.graphs.applyChanges(input.id, input.changes);
      if (input.changes.some((c) => c.type !== "moveNode")) await ctx.afterGraphChange(input.id);
      return { revision };
    }),
});
