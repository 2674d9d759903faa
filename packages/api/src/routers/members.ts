import { z } from "zod";
import { AccessError, normalizeEmail, ROLES } from "@patchbay/db";
import { ownerProcedure, router } from "../trpc.ts";

const role = z.enum(ROLES);
const userId = z.string().min(1).max(200);

/** Members of the caller's workspace and invitations to it; owners only. */
export const membersRouter = router({
  list: ownerProcedure.query(async ({ ctx }) => ({
    members: await ctx.accounts.memberships.listMembers(ctx.workspaceId),
    invites: await ctx.accounts.invites.list(ctx.workspaceId),
  })),

  /**
   * Invites someone by email. Patchbay sends no email: the answer holds the
   * invite link (its token is shown this once) for the owner to pass on.
   */
  invite: ownerProcedure.input(z.object({ email: z.string().max(320), role })).mutation(async ({ ctx, input }) => {
    const email = normalizeEmail(input.email);
    if (!/^[^\s@]+@[^\s@]+$/.test(email) || email.length > 254) throw new AccessError("invalid", "Enter an email address, e.g. ada@example.com.");
    const members = await ctx.accounts.memberships.listMembers(ctx.workspaceId);
    if (members.some((m) => m.email === email)) throw new AccessError("conflict", `${email} is a member already; change their role in the list instead.`);
    const { token, invite } = await ctx.accounts.invites.create({ workspaceId: ctx.workspaceId, email, role: input.role, invitedBy: ctx.caller.userId });
    return { invite, path: `/#/invite/${token}` };
  }),

  revokeInvite: ownerProcedure.input(z.object({ id: z.string().min(1).max(200) })).mutation(({ ctx, input }) => ctx.accounts.invites.revoke(ctx.workspaceId, input.id)),

  setRole: ownerProcedure.input(z.object({ userId, role })).mutation(({ ctx, input }) => ctx.accounts.memberships.setRole(input.userId, ctx.workspaceId, input.role)),

  /** Removes a member; their API tokens for this workspace stop working. */
  remove: ownerProcedure.input(z.object({ userId })).mutation(({ ctx, input }) => ctx.accounts.memberships.remove(input.userId, ctx.workspaceId)),
});
