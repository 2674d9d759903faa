import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import { API_MAX_BATCH_CALLS, API_MAX_BODY_BYTES, appRouter, bodyTooLargeMessage, RateLimitedError, type ApiContext, type RequestInfo } from "@patchbay/api";
import { csrfRefusal } from "./csrf.ts";
import { requestInfo, type ProxyOptions } from "./request-info.ts";
import { resolveFile, sendFile } from "./static-files.ts";
import { handleWebhook } from "../webhooks/webhook-handler.ts";

export const WEB_DIST = fileURLToPath(new URL("../../../web/dist/", import.meta.url));
export const PYODIDE_DIR = dirname(fileURLToPath(import.meta.resolve("pyodide")));

// Hashed build assets never change under the same name.
const IMMUTABLE_SECONDS = 31_536_000;

/**
 * The HTTP front: `/trpc` for the API, `/pyodide/` for the Python runtime's
 * files (browser runs), `/healthz`, and the web app for every other path.
 */
export function createHttpServer(options: {
  createContext: (request: RequestInfo) => ApiContext;
  webhook: Parameters<typeof handleWebhook>[0];
  proxy: ProxyOptions;
}): Server {
  const trpc = createHTTPHandler({
    router: appRouter,
    basePath: "/trpc/",
    createContext: ({ req, res }) => options.createContext(requestInfo(req, res, options.proxy)),
    // Without these tRPC buffers a body of any size and runs a batch of any length at once.
    maxBodySize: API_MAX_BODY_BYTES,
    maxBatchSize: API_MAX_BATCH_CALLS,
    responseMeta: ({ errors }) => {
      const limited = errors.map((e) => e.cause).find((cause) => cause instanceof RateLimitedError);
      return limited ? { headers: { "retry-after": String(limited.retryAfterSeconds) } } : {};
    },
  });
  const indexHtml = join(WEB_DIST, "index.html");

  // Idle keep-alive connections stay open longer than clients (and load balancers) keep
  // them: otherwise the server may close one just as a client sends on it, and that
  // request fails with a connection reset. More likely when the embedded database keeps
  // the event loop busy.
  return createServer({ keepAliveTimeout: 65_000, headersTimeout: 66_000 }, (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const path = url.pathname;
    // Cross-origin isolation gives the page SharedArrayBuffer, which lets Cancel interrupt
    // Python in a browser run at once (Chromium gives a busy worker 2 s before terminate() bites).
    // "credentialless" still lets the page show images from other sites (e.g. in Markdown nodes).
    res.setHeader("cross-origin-opener-policy", "same-origin");
    res.setHeader("cross-origin-embedder-policy", "credentialless");
    if (path.startsWith("/trpc/")) {
      // Mutations from another site are refused before tRPC reads them (docs/security.md, "CSRF").
      const refusal = csrfRefusal(req, options.proxy);
      if (refusal) {
        res.writeHead(403, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: refusal, code: -32003, data: { code: "FORBIDDEN", httpStatus: 403 } } }));
        return;
      }
      // A body declared too large is refused before a byte of it is read; a streamed one
      // is cut off by tRPC's maxBodySize. Node then discards the rest unread.
      const declared = Number(req.headers["content-length"] ?? "0");
      if (declared > API_MAX_BODY_BYTES) {
        const message = bodyTooLargeMessage(declared);
        res.writeHead(413, { "content-type": "application/json" }).end(JSON.stringify({ error: { message, code: -32013, data: { code: "PAYLOAD_TOO_LARGE", httpStatus: 413 } } }));
        return;
      }
      trpc(req, res);
      return;
    }
    if (path.startsWith("/webhooks/")) {
      handleWebhook(options.webhook, path.slice("/webhooks/".length), req, res).catch((error: unknown) => {
        console.error(`Webhook ${req.url}: ${error instanceof Error ? error.stack : String(error)}`);
        if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: "The webhook could not be handled; nothing was lost that was acknowledged." }));
      });
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { "content-type": "text/plain", allow: "GET, HEAD" }).end("Method not allowed");
      return;
    }
    if (path === "/healthz") {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ok: true }));
      return;
    }
    if (path.startsWith("/pyodide/")) {
      const file = resolveFile(PYODIDE_DIR, path.slice("/pyodide/".length));
      if (file) sendFile(req, res, file, 3600);
      else res.writeHead(404, { "content-type": "text/plain" }).end(`No Pyodide file ${path}`);
      return;
    }
    const asset = path !== "/" ? resolveFile(WEB_DIST, path) : null;
    if (asset) {
      sendFile(req, res, asset, path.startsWith("/assets/") ? IMMUTABLE_SECONDS : 0);
      return;
    }
    if (path.startsWith("/assets/")) {
      res.writeHead(404, { "content-type": "text/plain" }).end(`No asset ${path}`);
      return;
    }
    const html = resolveFile(WEB_DIST, "index.html");
    if (html) sendFile(req, res, indexHtml, 0);
    else res.writeHead(503, { "content-type": "text/plain" }).end("The web app is not built yet: run `npm run build -w @patchbay/web` (npm start does it).");
  });
}
