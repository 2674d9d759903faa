import type { IncomingMessage } from "node:http";
import { requestHost, type ProxyOptions } from "./request-info.ts";

/** Sent by the web app on every API call; a plain HTML form cannot send it. */
export const CSRF_HEADER = "x-patchbay-csrf";

function hostOf(url: string): string | null {
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}

/**
 * Why a state-changing API request (a POST: every tRPC mutation) is refused
 * as possibly forged by another site, or null when it may go on:
 * 1. an Origin header, when present, must name this server's host (else a
 *    Referer, when present, must);
 * 2. the request must carry `x-patchbay-csrf: 1` or a JSON content type,
 *    which a cross-site form cannot send without the browser asking first (CORS).
 * Scripts with an API token pass both: they send no Origin and send JSON.
 */
export function csrfRefusal(req: IncomingMessage, options: ProxyOptions): string | null {
  if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return null;
  const host = requestHost(req, options);
  const origin = req.headers.origin;
  const referer = req.headers.referer;
  const from = origin !== undefined ? origin : referer;
  if (from !== undefined) {
    const fromHost = from === "null" ? null : hostOf(from);
    if (!host || fromHost !== host) {
      return `Refused: this request came from another site (${origin !== undefined ? "Origin" : "Referer"} ${from === "" ? "(empty)" : from}, but this server is ${host ?? "unknown"}). Use Patchbay from its own address.`;
    }
  }
  const contentType = req.headers["content-type"] ?? "";
  if (req.headers[CSRF_HEADER] !== "1" && !/^application\/json\b/i.test(contentType)) {
    return `Refused: API calls that change something must send the header "${CSRF_HEADER}: 1" or a JSON body (content-type application/json).`;
  }
  return null;
}
