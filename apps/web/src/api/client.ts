import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from "@trpc/client";
import type { AppRouter } from "@patchbay/api";

/** The one tRPC client of the app: batched HTTP for queries and mutations, SSE for subscriptions. */
export const api = createTRPCClient<AppRouter>({
  links: [
    splitLink({
      condition: (op) => op.type === "subscription",
      true: httpSubscriptionLink({ url: "/trpc" }),
      false: httpBatchLink({ url: "/trpc" }),
    }),
  ],
});

export type GraphSummary = Awaited<ReturnType<typeof api.graphs.list.query>>[number];
export type GraphDetail = Awaited<ReturnType<typeof api.graphs.get.query>>;
export type NodeRunDto = Awaited<ReturnType<typeof api.runs.nodeRuns.query>>[number];
export type RunStatus = NodeRunDto["status"];
export type StorePreview = Awaited<ReturnType<typeof api.stores.preview.query>>;
