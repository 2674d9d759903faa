import { z } from "zod";
import { ownerProcedure, router, viewerProcedure } from "../trpc.ts";

const name = z.string().min(1).max(64);

/**
 * Workspace secrets. Values go in and never come out: the list has names,
 * kinds and times only, and runs on the server read the values themselves.
 */
export const secretsRouter = router({
  /** Names for the parameter form's secret and connection pickers. */
  list: viewerProcedure.query(({ ctx }) => ctx.accounts.secrets.list(ctx.workspaceId)),

  /** Creates a secret or replaces its value. A connection's value is a JSON object of fields. */
  set: ownerProcedure
    .input(
      z.object({
        name,
        kind: z.enum(["value", "connection"]),
        connectionType: z.string().max(100).nullable().optional(),
        value: z.string().max(70_000),
      }),
    )
    .mutation(({ ctx, input }) => ctx.accounts.secrets.set(ctx.workspaceId, input)),

  delete: ownerProcedure.input(z.object({ name })).mutation(({ ctx, input }) => ctx.accounts.secrets.delete(ctx.workspaceId, input.name)),
});
