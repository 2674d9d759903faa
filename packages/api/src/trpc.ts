// tRPC in three parts: this file holds the init (with the error mapping), the
// context type lives in context.ts, and routers/ holds one router per domain.
import { initTRPC, TRPCError } from "@trpc/server";
import { z } from "zod";
import { GraphError } from "@patchbay/graph";
import { NotFoundError, StoreError } from "@patchbay/db";
import type { ApiContext } from "./context.ts";

const t = initTRPC.context<ApiContext>().create({
  errorFormatter({ shape, error }) {
    const zodError = error.cause instanceof z.ZodError ? z.flattenError(error.cause) : null;
    const domainCode = error.cause && "code" in error.cause && typeof error.cause.code === "string" ? error.cause.code : null;
    return { ...shape, data: { ...shape.data, zodError, domainCode } };
  },
});

/** Maps domain errors to tRPC errors in one place, keeping their messages. */
const domainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (result.ok) return result;
  const cause = result.error.cause;
  if (cause instanceof NotFoundError) throw new TRPCError({ code: "NOT_FOUND", message: cause.message, cause });
  if (cause instanceof GraphError || cause instanceof StoreError) throw new TRPCError({ code: "BAD_REQUEST", message: cause.message, cause });
  return result;
});

export const router = t.router;
export const publicProcedure = t.procedure.use(domainErrors);
