import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from "@trpc/client";
import type { AppRouter } from "@patchbay/api";

const signedOutListeners = new Set<() => void>();

/** Calls `listener` whenever the server answers 401 (the session ended); returns the unsubscribe. */
export function onSignedOut(listener: () => void): () => void {
  signedOutListeners.add(listener);
  return () => signedOutListeners.delete(listener);
}

/**
 * The one tRPC client of the app: batched HTTP for queries and mutations, SSE
 * for subscriptions. Calls carry the session cookie (same origin) and the
 * CSRF header the server requires of every mutation (docs/security.md).
 */
export const api = createTRPCClient<AppRouter>({
  links: [
    splitLink({
      condition: (op) => op.type === "subscription",
      true: httpSubscriptionLink({ url: "/trpc", eventSourceOptions: { withCredentials: true } }),
      false: httpBatchLink({
        url: "/trpc",
        headers: { "x-patchbay-csrf": "1" },
        fetch: async (input, init) => {
          const response = await fetch(input, { ...init, credentials: "same-origin" });
          if (response.status === 401) for (const listener of signedOutListeners) listener();
          return response;
        },
      }),
    }),
  ],
});

export type GraphSummary = Awaited<ReturnType<typeof api.graphs.list.query>>[number];
export type NodeRunDto = Awaited<ReturnType<typeof api.runs.nodeRuns.query>>[number];
export type RunStatus = NodeRunDto["status"];
export type StorePreview = Awaited<ReturnType<typeof api.stores.preview.query>>;
export type AuthStatus = Awaited<ReturnType<typeof api.auth.status.query>>;
export type Role = AuthStatus["workspaces"][number]["role"];
