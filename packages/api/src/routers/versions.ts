import { z } from "zod";
import { GraphVersionRepository } from "@patchbay/db";
import { editorProcedure, viewerProcedure, router } from "../trpc.ts";

const graphId = z.string().min(1).max(200);
const versionId = z.string().min(1).max(200);

/**
 * Named snapshots of a graph. Restoring is not here on purpose: the editor restores by
 * sending the changes from the current document to the version's through
 * `graphs.applyChanges`, so the server validates it like any edit and it is undoable.
 */
export const versionsRouter = router({
  list: viewerProcedure.input(z.object({ graphId })).query(async ({ ctx, input }) => {
    const graph = await ctx.graphs.findInWorkspace(input.graphId, ctx.workspaceId);
    return new GraphVersionRepository(ctx.db).list(graph.id);
  }),

  create: editorProcedure.input(z.object({ graphId, message: z.string().max(500) })).mutation(async ({ ctx, input }) => {
    const graph = await ctx.graphs.findInWorkspace(input.graphId, ctx.workspaceId);
    return new GraphVersionRepository(ctx.db).create(graph.id, input.message);
  }),

  get: viewerProcedure.input(z.object({ graphId, versionId })).query(async ({ ctx, input }) => {
    const graph = await ctx.graphs.findInWorkspace(input.graphId, ctx.workspaceId);
    return new GraphVersionRepository(ctx.db).get(graph.id, input.versionId);
  }),
});
