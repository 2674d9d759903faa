import { z } from "zod";
import { AccessError } from "@patchbay/db";
import { ownerProcedure, router, signedInProcedure } from "../trpc.ts";

/** The caller's workspaces; the web app sends the chosen one's id in the x-patchbay-workspace header. */
export const workspacesRouter = router({
  list: signedInProcedure.query(async ({ ctx }) => {
    const memberships = await ctx.accounts.memberships.listForUser(ctx.caller.userId);
    const token = ctx.caller.token;
    return memberships.filter((m) => !token || m.workspaceId === token.workspaceId).map((m) => ({ id: m.workspaceId, name: m.workspaceName, role: m.role }));
  }),

  /** A new workspace with the caller as its owner. */
  create: signedInProcedure.input(z.object({ name: z.string().max(100) })).mutation(({ ctx, input }) => {
    if (ctx.caller.token) throw new AccessError("forbidden", "API tokens act in one workspace and cannot create others.");
    return ctx.accounts.workspaces.create(input.name, ctx.caller.userId);
  }),

  rename: ownerProcedure.input(z.object({ name: z.string().max(100) })).mutation(({ ctx, input }) => ctx.accounts.workspaces.rename(ctx.workspaceId, input.name)),
});
