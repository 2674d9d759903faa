import { z } from "zod";
import { AccessError, normalizeEmail, type Role } from "@patchbay/db";
import { TRPCError } from "@trpc/server";
import { publicProcedure, router, signedInProcedure } from "../trpc.ts";
import { resolveCaller } from "../caller.ts";
import { checkNewPassword, hashPassword, verifyNothing, verifyPassword } from "../passwords.ts";
import type { ApiContext } from "../context.ts";

const email = z.string().max(320);
// Long enough for any passphrase; the rules themselves are in passwords.ts.
const password = z.string().max(1024);
const inviteToken = z.string().min(10).max(200);

const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+$/;

function cleanEmail(raw: string): string {
  const clean = normalizeEmail(raw);
  if (!EMAIL_SHAPE.test(clean) || clean.length > 254) throw new AccessError("invalid", "Enter an email address, e.g. ada@example.com.");
  return clean;
}

function limitKeys(ctx: ApiContext, emailAddress: string): string[] {
  return [`ip:${ctx.request.ip}`, `email:${emailAddress}`];
}

/**
 * Starts a brand-new session and sets its cookie. A session the browser
 * already had is ended, never promoted: a planted id stays worthless.
 */
async function startSession(ctx: ApiContext, userId: string): Promise<void> {
  const { sessions } = ctx.accounts;
  if (ctx.request.sessionToken) {
    const previous = await sessions.find(ctx.request.sessionToken);
    if (previous) await sessions.delete(previous.id);
  }
  const { token, expiresAt } = await sessions.create(userId);
  ctx.request.setSessionCookie(token, expiresAt);
}

/** Checks a password with the sign-in rate limit (per address and per email). */
async function checkPassword(ctx: ApiContext, emailAddress: string, candidate: string): Promise<{ id: string; email: string }> {
  const keys = limitKeys(ctx, emailAddress);
  await ctx.accounts.loginLimiter.check(keys);
  const user = await ctx.accounts.users.findByEmail(emailAddress);
  const ok = user ? await verifyPassword(user.passwordHash, candidate) : await verifyNothing(candidate);
  if (!user || !ok) {
    await ctx.accounts.loginLimiter.recordFailure(keys);
    throw new AccessError("unauthorized", "Wrong email or password.");
  }
  await ctx.accounts.loginLimiter.reset(`email:${emailAddress}`);
  return { id: user.id, email: user.email };
}

export interface AuthStatus {
  /** No account exists yet: the app shows "Create the owner account". */
  setupNeeded: boolean;
  user: { id: string; email: string } | null;
  /** How the caller is signed in. */
  via: "session" | "token" | null;
  workspaces: { id: string; name: string; role: Role }[];
}

export const authRouter = router({
  /** Whether setup is needed, and who is signed in with which workspaces; never fails for a visitor. */
  status: publicProcedure.query(async ({ ctx }): Promise<AuthStatus> => {
    const setupNeeded = !(await ctx.accounts.users.hasAny());
    const result = await resolveCaller(ctx);
    if (result.kind !== "caller") return { setupNeeded, user: null, via: null, workspaces: [] };
    const { caller } = result;
    const memberships = await ctx.accounts.memberships.listForUser(caller.userId);
    const visible = caller.token ? memberships.filter((m) => m.workspaceId === caller.token?.workspaceId) : memberships;
    return {
      setupNeeded,
      user: { id: caller.userId, email: caller.email },
      via: caller.token ? "token" : "session",
      workspaces: visible.map((m) => ({ id: m.workspaceId, name: m.workspaceName, role: m.role })),
    };
  }),

  /** Creates the owner account on first start (refused once any account exists) and signs it in. */
  setup: publicProcedure.input(z.object({ email, password })).mutation(async ({ ctx, input }) => {
    const address = cleanEmail(input.email);
    if (await ctx.accounts.users.hasAny()) throw new AccessError("conflict", "The owner account exists already: sign in instead.");
    checkNewPassword(input.password, address);
    const user = await ctx.accounts.users.createOwner(address, await hashPassword(input.password));
    await startSession(ctx, user.id);
    return { email: user.email };
  }),

  signIn: publicProcedure.input(z.object({ email, password })).mutation(async ({ ctx, input }) => {
    const user = await checkPassword(ctx, normalizeEmail(input.email), input.password);
    await startSession(ctx, user.id);
    return { email: user.email };
  }),

  /** Ends this browser's session. */
  signOut: signedInProcedure.mutation(async ({ ctx }) => {
    if (!ctx.caller.sessionId) throw new AccessError("invalid", "An API token cannot sign out; revoke it under Settings → API tokens instead.");
    await ctx.accounts.sessions.delete(ctx.caller.sessionId);
    ctx.request.clearSessionCookie();
  }),

  /** Ends every session of the caller, in every browser, this one included. */
  signOutEverywhere: signedInProcedure.mutation(async ({ ctx }) => {
    const ended = await ctx.accounts.sessions.deleteAllForUser(ctx.caller.userId);
    if (ctx.caller.sessionId) ctx.request.clearSessionCookie();
    return { ended };
  }),

  /** Changes the caller's password; their other sessions end. */
  changePassword: signedInProcedure.input(z.object({ currentPassword: password, newPassword: password })).mutation(async ({ ctx, input }) => {
    if (!ctx.caller.sessionId) throw new AccessError("invalid", "Change your password in the web app, not with an API token.");
    await checkPassword(ctx, ctx.caller.email, input.currentPassword);
    checkNewPassword(input.newPassword, ctx.caller.email);
    await ctx.accounts.users.setPasswordHash(ctx.caller.userId, await hashPassword(input.newPassword));
    await ctx.accounts.sessions.deleteAllForUser(ctx.caller.userId, ctx.caller.sessionId);
  }),

  /** What an invite link offers, for its page; public because the link's token is the credential. */
  inviteInfo: publicProcedure.input(z.object({ token: inviteToken })).query(async ({ ctx, input }) => {
    const invite = await ctx.accounts.invites.find(input.token);
    if (!invite) throw new TRPCError({ code: "NOT_FOUND", message: "This invite link is not valid: it was used, revoked or has expired. Ask the workspace owner for a new one." });
    const accountExists = (await ctx.accounts.users.findByEmail(invite.email)) !== null;
    return { email: invite.email, workspaceName: invite.workspaceName, role: invite.role, expiresAt: invite.expiresAt, accountExists };
  }),

  /**
   * Accepts an invite: a new account sets its password here; an existing one
   * proves it with its password. Either way the browser is signed in after.
   */
  acceptInvite: publicProcedure.input(z.object({ token: inviteToken, password })).mutation(async ({ ctx, input }) => {
    const invite = await ctx.accounts.invites.find(input.token);
    if (!invite) throw new TRPCError({ code: "NOT_FOUND", message: "This invite link is not valid: it was used, revoked or has expired. Ask the workspace owner for a new one." });
    const existing = await ctx.accounts.users.findByEmail(invite.email);
    let userId: string;
    if (existing) {
      userId = (await checkPassword(ctx, invite.email, input.password)).id;
    } else {
      checkNewPassword(input.password, invite.email);
      userId = (await ctx.accounts.users.create(invite.email, await hashPassword(input.password))).id;
    }
    if (!(await ctx.accounts.invites.consume(invite.id))) throw new AccessError("conflict", "This invite was used or revoked a moment ago.");
    await ctx.accounts.memberships.add(userId, invite.workspaceId, invite.role);
    await startSession(ctx, userId);
    return { email: invite.email, workspaceId: invite.workspaceId };
  }),
});
