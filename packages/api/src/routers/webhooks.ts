import { z } from "zod";
import { editorProcedure, router } from "../trpc.ts";

export const webhooksRouter = router({
  /** The URL path of each Webhook node of a graph: POST JSON to it. */
  list: editorProcedure.input(z.object({ graphId: z.string().min(1).max(200) })).query(async ({ ctx, input }) => {
    const graph = await ctx.graphs.findInWorkspace(input.graphId, ctx.workspaceId);
    return (await ctx.webhooks.list(graph.id)).map((w) => ({ nodeId: w.nodeId, path: `/webhooks/${w.token}` }));
  }),
});
