// tRPC in three parts: this file holds the init (with the error mapping) and
// the procedures every router builds on, the context type lives in
// context.ts, and routers/ holds one router per domain.
import { initTRPC, TRPCError } from "@trpc/server";
import { TRPC_ERROR_CODES_BY_KEY } from "@trpc/server/rpc";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { z } from "zod";
import { GraphError } from "@patchbay/graph";
import { AccessError, findUnstorableText, NotFoundError, SecretKeyError, StoreError } from "@patchbay/db";
import type { ApiContext } from "./context.ts";
import { requireCaller, requireMembership } from "./caller.ts";
import { RateLimitedError } from "./login-rate-limiter.ts";
import { bodyTooLargeMessage } from "./limits.ts";

const ACCESS_CODES = { unauthorized: "UNAUTHORIZED", forbidden: "FORBIDDEN", conflict: "CONFLICT", invalid: "BAD_REQUEST" } as const;

/** The tRPC error for a domain error, keeping its message; null for anything else. The one mapping of domain errors. */
function domainError(cause: unknown): TRPCError | null {
  if (cause instanceof NotFoundError) return new TRPCError({ code: "NOT_FOUND", message: cause.message, cause });
  if (cause instanceof GraphError || cause instanceof StoreError) return new TRPCError({ code: "BAD_REQUEST", message: cause.message, cause });
  if (cause instanceof AccessError) return new TRPCError({ code: ACCESS_CODES[cause.code], message: cause.message, cause });
  if (cause instanceof RateLimitedError) return new TRPCError({ code: "TOO_MANY_REQUESTS", message: cause.message, cause });
  if (cause instanceof SecretKeyError) return new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: cause.message, cause });
  return null;
}

const t = initTRPC.context<ApiContext>().create({
  errorFormatter({ shape, error }) {
    const zodError = error.cause instanceof z.ZodError ? z.flattenError(error.cause) : null;
    const domainCode = error.cause && "code" in error.cause && typeof error.cause.code === "string" ? error.cause.code : null;
    // A subscription's stream throws after its middleware returned, so its
    // domain errors (a graph of another workspace…) are mapped here instead.
    const mapped = error.code === "INTERNAL_SERVER_ERROR" ? domainError(error.cause) : null;
    if (mapped && mapped.code !== "INTERNAL_SERVER_ERROR") {
      const { stack: _stack, ...data } = shape.data;
      return { ...shape, code: TRPC_ERROR_CODES_BY_KEY[mapped.code], message: mapped.message, data: { ...data, code: mapped.code, httpStatus: getHTTPStatusCodeFromError(mapped), zodError, domainCode } };
    }
    // tRPC's own refusal of a body over the limit says only "PAYLOAD_TOO_LARGE".
    const message = error.code === "PAYLOAD_TOO_LARGE" ? bodyTooLargeMessage() : shape.message;
    return { ...shape, message, data: { ...shape.data, zodError, domainCode } };
  },
});

/** Maps domain errors to tRPC errors in one place (domainError), keeping their messages. */
const domainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (result.ok) return result;
  const mapped = domainError(result.error.cause);
  if (mapped) throw mapped;
  return result;
});

export const router = t.router;

/**
 * PostgreSQL stores no NUL character and no unpaired surrogate in text or
 * jsonb: input holding one is refused here, naming where it is, rather than
 * failing as a server error in whichever query meets it first.
 */
const refuseUnstorableText = t.middleware(async ({ getRawInput, next }) => {
  const found = findUnstorableText(await getRawInput());
  if (found) throw new TRPCError({ code: "BAD_REQUEST", message: `The input holds ${found.what} at ${found.path}, which Patchbay cannot store. Remove it and try again.` });
  return next();
});

/** No caller needed: only auth.status, auth.setup, auth.signIn and the invite link's two calls. */
export const publicProcedure = t.procedure.use(refuseUnstorableText).use(domainErrors);

/** Any signed-in caller (session or API token), in no particular workspace. */
export const signedInProcedure = publicProcedure.use(async ({ ctx, next }) => next({ ctx: { caller: await requireCaller(ctx) } }));

/** A member of the caller's workspace with at least `needed`; adds `workspaceId` and `role` to the context. */
function memberProcedure(needed: "viewer" | "editor" | "owner") {
  return signedInProcedure.use(async ({ ctx, next }) => {
    const membership = await requireMembership(ctx, ctx.caller, needed);
    return next({ ctx: { workspaceId: membership.workspaceId, role: membership.role } });
  });
}

/** Reads graphs, data and runs. */
export const viewerProcedure = memberProcedure("viewer");
/** Edits and runs graphs. */
export const editorProcedure = memberProcedure("editor");
/** Manages members, API tokens and secrets. */
export const ownerProcedure = memberProcedure("owner");
