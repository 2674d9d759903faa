import { lesserRole, NotFoundError, roleAtLeast, type ApiTokenGrant, type Role } from "@patchbay/db";
import { TRPCError } from "@trpc/server";
import type { ApiContext, RequestInfo } from "./context.ts";

/** Who is calling: a signed-in browser (session) or a script (API token). */
export interface Caller {
  userId: string;
  email: string;
  /** The id (hash) of the browser session, when signed in through the web app. */
  sessionId: string | null;
  /** The API token, when the call carries `Authorization: Bearer …`. */
  token: ApiTokenGrant | null;
}

export type CallerResult =
  | { kind: "caller"; caller: Caller }
  | { kind: "anonymous"; reason: "none" | "session_ended" | "token_invalid" };

// One resolution per HTTP request: a batch of calls shares it.
const resolved = new WeakMap<RequestInfo, Promise<CallerResult>>();

/** The caller of the request behind `ctx`, from its API token or session cookie. */
export function resolveCaller(ctx: Pick<ApiContext, "accounts" | "request">): Promise<CallerResult> {
  let result = resolved.get(ctx.request);
  if (!result) {
    result = lookUpCaller(ctx);
    resolved.set(ctx.request, result);
  }
  return result;
}

async function lookUpCaller({ accounts, request }: Pick<ApiContext, "accounts" | "request">): Promise<CallerResult> {
  if (request.bearerToken !== null) {
    const grant = await accounts.tokens.verify(request.bearerToken);
    const user = grant ? await accounts.users.get(grant.userId) : null;
    if (!grant || !user) return { kind: "anonymous", reason: "token_invalid" };
    return { kind: "caller", caller: { userId: user.id, email: user.email, sessionId: null, token: grant } };
  }
  if (request.sessionToken === null) return { kind: "anonymous", reason: "none" };
  const session = await accounts.sessions.find(request.sessionToken);
  const user = session ? await accounts.users.get(session.userId) : null;
  if (!session || !user) {
    request.clearSessionCookie();
    return { kind: "anonymous", reason: "session_ended" };
  }
  const extended = await accounts.sessions.extend(session);
  if (extended) request.setSessionCookie(request.sessionToken, extended);
  return { kind: "caller", caller: { userId: user.id, email: user.email, sessionId: session.id, token: null } };
}

/** The signed-in caller, or UNAUTHORIZED with a message saying what to do. */
export async function requireCaller(ctx: Pick<ApiContext, "accounts" | "request">): Promise<Caller> {
  const result = await resolveCaller(ctx);
  if (result.kind === "caller") return result.caller;
  const message =
    result.reason === "token_invalid"
      ? "This API token is not valid: it was revoked, its maker left the workspace, or it was mistyped. Create a new one under Settings → API tokens."
      : result.reason === "session_ended"
        ? "Your session has ended: sign in again."
        : "Sign in to use Patchbay.";
  throw new TRPCError({ code: "UNAUTHORIZED", message });
}

export interface Membership {
  workspaceId: string;
  role: Role;
}

const ROLE_NEEDS: Record<Role, string> = {
  viewer: "viewer, editor or owner",
  editor: "editor or owner",
  owner: "owner",
};

/**
 * The workspace the call acts in and the caller's role there. A token acts
 * in its own workspace, with the lesser of its role and its maker's current
 * one; a session acts in the workspace the client picked, else its first.
 */
export async function requireMembership(ctx: Pick<ApiContext, "accounts" | "request">, caller: Caller, needed: Role): Promise<Membership> {
  const { memberships } = ctx.accounts;
  let membership: Membership;
  if (caller.token) {
    const current = await memberships.roleOf(caller.userId, caller.token.workspaceId);
    if (!current) throw new TRPCError({ code: "UNAUTHORIZED", message: "This API token's maker is no longer a member of its workspace, so the token no longer works." });
    if (ctx.request.workspaceId !== null && ctx.request.workspaceId !== caller.token.workspaceId) {
      throw new TRPCError({ code: "FORBIDDEN", message: "This API token belongs to another workspace than the one asked for." });
    }
    membership = { workspaceId: caller.token.workspaceId, role: lesserRole(caller.token.role, current) };
  } else if (ctx.request.workspaceId !== null) {
    const role = await memberships.roleOf(caller.userId, ctx.request.workspaceId);
    // The same answer as for a workspace that does not exist.
    if (!role) throw new NotFoundError(`No workspace "${ctx.request.workspaceId}".`);
    membership = { workspaceId: ctx.request.workspaceId, role };
  } else {
    const first = (await memberships.listForUser(caller.userId))[0];
    if (!first) throw new TRPCError({ code: "FORBIDDEN", message: "You are not a member of any workspace yet: ask a workspace owner for an invite." });
    membership = { workspaceId: first.workspaceId, role: first.role };
  }
  if (!roleAtLeast(membership.role, needed)) {
    throw new TRPCError({ code: "FORBIDDEN", message: `This needs the ${ROLE_NEEDS[needed]} role; you are ${membership.role === "editor" ? "an" : "a"} ${membership.role} in this workspace.` });
  }
  return membership;
}
