import { z } from "zod";
import { listStoreVersions, previewStore, readStoreCell } from "@patchbay/db";
import { viewerProcedure, router } from "../trpc.ts";

const graphId = z.string().min(1).max(200);
const storeName = z.string().min(1).max(200);
const versionId = z.string().min(1).max(200).optional();

export const storesRouter = router({
  /** A page of a store's rows, long values cut short; `versionId` picks a version other than the active one. */
  preview: viewerProcedure
    .input(
      z.object({
        graphId,
        storeName,
        offset: z.number().int().min(0).max(1_000_000_000).default(0),
        limit: z.number().int().min(1).max(500).default(50),
        orderBy: z.object({ column: z.string().max(200), descending: z.boolean() }).optional(),
        versionId,
        countTotal: z.boolean().default(true),
      }),
    )
    .query(async ({ ctx, input }) => {
      const graph = await ctx.graphs.findInWorkspace(input.graphId, ctx.workspaceId);
      return previewStore(ctx.db, graph.id, input.storeName, input);
    }),

  /** The versions of a store, newest first, with their row counts. */
  versions: viewerProcedure.input(z.object({ graphId, storeName })).query(async ({ ctx, input }) => {
    const graph = await ctx.graphs.findInWorkspace(input.graphId, ctx.workspaceId);
    return listStoreVersions(ctx.db, graph.id, input.storeName);
  }),

  /** The whole value of one cell the preview cut short. */
  cell: viewerProcedure
    .input(z.object({ graphId, storeName, versionId, patternsId: z.string().min(1).max(200), column: z.string().min(1).max(200) }))
    .query(async ({ ctx, input }) => {
      const graph = await ctx.graphs.findInWorkspace(input.graphId, ctx.workspaceId);
      return readStoreCell(ctx.db, graph.id, input.storeName, input);
    }),
});
