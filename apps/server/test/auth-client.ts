import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from "@trpc/client";
import type { AppRouter } from "@patchbay/api";
import type { Dispatcher } from "undici-types";

// Test helpers: tRPC clients that carry a session cookie (like a browser) or
// an API token (like a script), for the server's integration tests.

export type ApiClient = ReturnType<typeof createTRPCClient<AppRouter>>;

/** The cookies one "browser" holds, updated from every Set-Cookie it gets. */
export class CookieJar {
  readonly cookies = new Map<string, string>();
  /** Every Set-Cookie header received, newest last. */
  readonly received: string[] = [];

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      this.received.push(line);
      const [pair = "", ...attributes] = line.split(";");
      const index = pair.indexOf("=");
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a));
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

export interface ClientOptions {
  jar?: CookieJar;
  bearer?: string;
  workspaceId?: string;
  /** Sent as the Origin header (a browser sends its page's origin). */
  origin?: string;
  /** Extra headers, e.g. X-Forwarded-For for rate-limit tests (the test app trusts a proxy). */
  headers?: Record<string, string>;
}

function requestHeaders(options: ClientOptions): Record<string, string> {
  return {
    ...(options.jar && options.jar.cookies.size > 0 ? { cookie: options.jar.header() } : {}),
    ...(options.bearer ? { authorization: `Bearer ${options.bearer}` } : {}),
    ...(options.workspaceId ? { "x-patchbay-workspace": options.workspaceId } : {}),
    ...(options.origin ? { origin: options.origin } : {}),
    ...options.headers,
  };
}

function isDispatcher(value: unknown): value is Dispatcher {
  return typeof value === "object" && value !== null && "dispatch" in value && typeof value.dispatch === "function" && "compose" in value && typeof value.compose === "function";
}

/**
 * Node's EventSource (undici) cannot be given headers, but takes a
 * dispatcher: this one is undici's global dispatcher (found under the symbol
 * undici documents for it) with an interceptor that adds ours.
 */
function headerDispatcher(headers: () => Record<string, string>): Dispatcher {
  const global: unknown = Reflect.get(globalThis, Symbol.for("undici.globalDispatcher.1"));
  if (!isDispatcher(global)) throw new Error("undici's global dispatcher was not found");
  return global.compose((dispatch) => (opts, handler) => {
    const existing = opts.headers;
    const extra = headers();
    const merged = Array.isArray(existing) ? [...existing, ...Object.entries(extra).flat()] : { ...(existing && typeof existing === "object" && !(Symbol.iterator in existing) ? existing : {}), ...extra };
    return dispatch({ ...opts, headers: merged }, handler);
  });
}

/** A tRPC client of the server at `baseUrl`: batched HTTP, and SSE for subscriptions. */
export function apiClient(baseUrl: string, options: ClientOptions = {}): ApiClient {
  const url = `${baseUrl}/trpc`;
  const init: EventSourceInit = { dispatcher: headerDispatcher(() => requestHeaders(options)) };
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === "subscription",
        true: httpSubscriptionLink({ url, eventSourceOptions: () => init }),
        false: httpBatchLink({
          url,
          headers: () => requestHeaders(options),
          fetch: async (input, request) => {
            const response = await fetch(input, request);
            options.jar?.store(response);
            return response;
          },
        }),
      }),
    ],
  });
}

export const OWNER_EMAIL = "owner@example.test";
export const OWNER_PASSWORD = "correct horse battery staple";

/** Creates the owner account of a fresh server and returns a client signed in as the owner. */
export async function signUpOwner(baseUrl: string): Promise<{ client: ApiClient; jar: CookieJar }> {
  const jar = new CookieJar();
  const client = apiClient(baseUrl, { jar });
  await client.auth.setup.mutate({ email: OWNER_EMAIL, password: OWNER_PASSWORD });
  return { client, jar };
}
