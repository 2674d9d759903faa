import type { IncomingMessage, ServerResponse } from "node:http";
import { WEBHOOK_OUTPUT_PORT, isFunctionKind, isStoreKind, resolvePorts } from "@patchbay/graph";
import { appendToStore, findUnstorableText, type Database, type GraphRepository, type WebhookRepository } from "@patchbay/db";
import type { JsonRecord, JsonValue } from "@patchbay/runtime";
import type { RunService } from "../runs/run-service.ts";
import { BodyError, jsonDepth, readBody } from "./read-json-body.ts";
import type { WebhookResponses } from "./webhook-responses.ts";

export interface WebhookLimits {
  maxBytes: number;
  maxRecords: number;
  maxDepth: number;
  responseTimeoutMs: number;
}

export const DEFAULT_WEBHOOK_LIMITS: WebhookLimits = { maxBytes: 1_048_576, maxRecords: 10_000, maxDepth: 64, responseTimeoutMs: 30_000 };

interface Deps {
  db: Database;
  graphs: GraphRepository;
  webhooks: WebhookRepository;
  runs: RunService;
  responses: WebhookResponses;
  limits: WebhookLimits;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" }).end(JSON.stringify(body));
}

function isJsonObject(value: unknown): value is Record<string, JsonValue> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * POST /webhooks/<token>: each JSON object of the body (an object, or an
 * array of objects) becomes one row {record: …} of the table bound to the
 * webhook node, then the nodes reading that table run. In "respond" mode the
 * rows also carry a request_key, and the request waits until a node calls
 * respond_to_request(request_key, payload) or the timeout passes.
 */
export async function handleWebhook(deps: Deps, token: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== "POST") {
    res.setHeader("allow", "POST");
    send(res, 405, { error: "Webhooks take POST requests with a JSON body." });
    return;
  }
  const webhook = await deps.webhooks.find(token);
  if (!webhook) {
    req.resume();
    send(res, 404, { error: "No webhook at this address. Check the URL shown on the Webhook node." });
    return;
  }
  const contentType = String(req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (contentType !== "application/json" && !contentType.endsWith("+json")) {
    req.resume();
    send(res, 415, { error: `The body must be JSON (Content-Type: application/json), not "${contentType || "none"}".` });
    return;
  }
  let body: unknown;
  try {
    const raw = await readBody(req, deps.limits.maxBytes);
    try {
      body = JSON.parse(raw.toString("utf8"));
    } catch (error) {
      throw new BodyError(400, `The body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
  } catch (error) {
    send(res, error instanceof BodyError ? error.status : 400, { error: error instanceof Error ? error.message : String(error) });
    return;
  }
  const items = Array.isArray(body) ? body : [body];
  if (items.length === 0 || items.length > deps.limits.maxRecords) {
    send(res, 400, { error: `Send one JSON object or an array of 1 to ${deps.limits.maxRecords} objects.` });
    return;
  }
  const notObject = items.findIndex((item) => !isJsonObject(item));
  if (notObject >= 0) {
    send(res, 400, { error: Array.isArray(body) ? `Item ${notObject} of the array is not a JSON object.` : "The body must be a JSON object (or an array of objects)." });
    return;
  }
  if (jsonDepth(body) > deps.limits.maxDepth) {
    send(res, 400, { error: `The JSON is nested more than ${deps.limits.maxDepth} levels deep.` });
    return;
  }
  // PostgreSQL's jsonb cannot hold U+0000 or a lone surrogate: refused here, not as a failed insert (a 500).
  const unstorable = findUnstorableText(body);
  if (unstorable) {
    send(res, 400, { error: `The JSON holds ${unstorable.what} at ${unstorable.path}, which cannot be stored. Remove it and send again.` });
    return;
  }

  const graph = await deps.graphs.get(webhook.graphId);
  const node = graph.document.nodes.find((n) => n.id === webhook.nodeId && n.kind === "webhook");
  const port = node ? resolvePorts(graph.document, node).find((p) => p.name === WEBHOOK_OUTPUT_PORT) : undefined;
  const store = port?.storeId ? graph.document.nodes.find((n) => n.id === port.storeId && isStoreKind(n.kind)) : undefined;
  if (!node || !store || !isStoreKind(store.kind)) {
    send(res, 409, { error: "This webhook's node is not connected to a table, so the request was not stored. Connect it on the canvas." });
    return;
  }
  const respond = node.webhookMode === "respond";
  const requestKey = respond ? deps.responses.newRequestKey() : null;
  const records = items.filter(isJsonObject).map((record): JsonRecord => (requestKey ? { record, request_key: requestKey } : { record }));
  // Listen before anything runs, so a fast node's answer cannot be missed.
  const answer = requestKey ? deps.responses.wait(requestKey, deps.limits.responseTimeoutMs) : null;
  const stored = await appendToStore(deps.db, graph.id, store.title, store.kind, records);
  // Only Python and SQL nodes run; a Chart reading the table just redraws.
  const readers = graph.document.nodes
    .filter((n) => isFunctionKind(n.kind) && resolvePorts(graph.document, n).some((p) => p.direction === "input" && p.storeId === store.id))
    .map((n) => n.id);
  let runId: string | null = null;
  let runError: string | null = null;
  if (readers.length > 0) {
    // The rows are stored whatever happens next: a run that cannot start is reported, not a 5xx that invites a retry.
    try {
      runId = (await deps.runs.start({ graphId: graph.id, nodeId: readers, scope: "node", startedBy: `webhook:${node.title}`, trigger: "webhook" })).runId;
    } catch (error) {
      runError = `The request was stored, but the nodes reading "${store.title}" could not start: ${error instanceof Error ? error.message : String(error)}`;
      console.error(`Webhook ${node.title}: ${runError}`);
    }
  }
  if (!answer || runError !== null) {
    send(res, 202, { stored, runId, ...(runError !== null ? { runError } : {}) });
    return;
  }
  const result = await answer;
  if (result === "timeout") {
    send(res, 504, { error: `No node answered within ${Math.round(deps.limits.responseTimeoutMs / 1000)} s (respond_to_request was not called). The request was stored.`, stored, runId });
    return;
  }
  if ("error" in result) {
    send(res, 502, { error: result.error, stored, runId });
    return;
  }
  send(res, 200, result.payload);
}
