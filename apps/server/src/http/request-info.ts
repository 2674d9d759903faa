import type { IncomingMessage, ServerResponse } from "node:http";
import type { RequestInfo } from "@patchbay/api";
import { clearedSessionCookie, parseCookies, SESSION_COOKIE, sessionCookie } from "./cookies.ts";

/** The header a client sends to pick one of the caller's workspaces. */
export const WORKSPACE_HEADER = "x-patchbay-workspace";
/** The same choice as a cookie, which the web app sets: EventSource (live events) cannot send headers. */
export const WORKSPACE_COOKIE = "patchbay_workspace";

export interface ProxyOptions {
  /** Trust X-Forwarded-For and X-Forwarded-Host (set only behind a reverse proxy that sets them). */
  trustProxy: boolean;
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  return text?.split(",")[0]?.trim() || undefined;
}

/**
 * Whether the browser reached us over https: directly, or through a proxy
 * that says so. Trusting X-Forwarded-Proto needs no opt-in: at worst it makes
 * the cookie Secure, which only ever restricts it.
 */
export function isSecureRequest(req: IncomingMessage): boolean {
  if ("encrypted" in req.socket && req.socket.encrypted === true) return true;
  return firstHeader(req.headers["x-forwarded-proto"])?.toLowerCase() === "https";
}

/** The client's address, for rate limits. */
export function clientAddress(req: IncomingMessage, options: ProxyOptions): string {
  const forwarded = options.trustProxy ? firstHeader(req.headers["x-forwarded-for"]) : undefined;
  return forwarded ?? req.socket.remoteAddress ?? "unknown";
}

/** The host the browser addressed, as in an Origin header (host[:port]). */
export function requestHost(req: IncomingMessage, options: ProxyOptions): string | undefined {
  return (options.trustProxy ? firstHeader(req.headers["x-forwarded-host"]) : undefined) ?? req.headers.host;
}

/** What the API needs to know about a request, and the cookie operations it may do on the response. */
export function requestInfo(req: IncomingMessage, res: ServerResponse, options: ProxyOptions): RequestInfo {
  const secure = isSecureRequest(req);
  const authorization = req.headers.authorization;
  const bearer = authorization ? /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1] ?? null : null;
  const cookies = parseCookies(req.headers.cookie);
  const workspace = firstHeader(req.headers[WORKSPACE_HEADER]) ?? (cookies.get(WORKSPACE_COOKIE) || undefined);
  const sessionToken = cookies.get(SESSION_COOKIE) || null;
  // A subscription may already be streaming; then the cookie stays as it is.
  const setCookie = (value: string) => {
    if (!res.headersSent) res.appendHeader("set-cookie", value);
  };
  return {
    sessionToken: sessionToken && sessionToken.length <= 200 ? sessionToken : null,
    bearerToken: bearer && bearer.length <= 200 ? bearer : null,
    workspaceId: workspace && workspace.length <= 200 ? workspace : null,
    ip: clientAddress(req, options),
    setSessionCookie: (token, expiresAt) => setCookie(sessionCookie(token, expiresAt, secure)),
    clearSessionCookie: () => setCookie(clearedSessionCookie(secure)),
  };
}
