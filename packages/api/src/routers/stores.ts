import { z } from "zod";
import { previewStore } from "@patchbay/db";
import { publicProcedure, router } from "../trpc.ts";

export const storesRouter = router({
  preview: publicProcedure
    .input(
      z.object({
        graphId: z.string().min(1).max(200),
        storeName: z.string().min(1).max(200),
        offset: z.number().int().min(0).max(1_000_000_000).default(0),
        limit: z.number().int().min(1).max(500).default(50),
        orderBy: z.object({ column: z.string().max(200), descending: z.boolean() }).optional(),
      }),
    )
    .query(async ({ ctx, input }) => {
      const graph = await ctx.graphs.get(input.graphId, ctx.workspaceId);
      return previewStore(ctx.db, graph.id, input.storeName, input);
    }),
});
