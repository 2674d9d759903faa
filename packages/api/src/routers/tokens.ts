import { z } from "zod";
import { AccessError, ROLES } from "@patchbay/db";
import { ownerProcedure, router } from "../trpc.ts";

/** API tokens of the caller's workspace, for scripts and CI; owners only. */
export const tokensRouter = router({
  list: ownerProcedure.query(({ ctx }) => ctx.accounts.tokens.list(ctx.workspaceId)),

  /**
   * A new token acting with `role` (owners make tokens, so any role is at most the maker's).
   * The token is in this answer only; it is stored hashed.
   */
  create: ownerProcedure
    .input(z.object({ name: z.string().max(100), role: z.enum(ROLES) }))
    .mutation(async ({ ctx, input }) => {
      const name = input.name.trim();
      if (!name) throw new AccessError("invalid", "Give the token a name that says where it is used, e.g. \"CI nightly import\".");
      return ctx.accounts.tokens.create({ workspaceId: ctx.workspaceId, userId: ctx.caller.userId, name, role: input.role });
    }),

  revoke: ownerProcedure.input(z.object({ id: z.string().min(1).max(200) })).mutation(({ ctx, input }) => ctx.accounts.tokens.revoke(ctx.workspaceId, input.id)),
});
