import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import { appRouter, type ApiContext } from "@patchbay/api";
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
export function createHttpServer(options: { createContext: () => ApiContext; webhook: Parameters<typeof handleWebhook>[0] }): Server {
  const trpc = createHTTPHandler({ router: appRouter, basePath: "/trpc/", createContext: options.createContext });
  const indexHtml = join(WEB_DIST, "index.html");

  return createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const path = url.pathname;
    if (path.startsWith("/trpc/")) {
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
