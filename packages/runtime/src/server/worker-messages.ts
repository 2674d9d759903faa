import { isNonNegativeInteger, isObject } from "../json-guards.ts";
import { parseLogEntry } from "../log-entry.ts";
import { type NodeRunResult, parseNewRunRequest, parseWebhookResponses } from "../node-run-result.ts";
import type { BridgeResponse, Invocation, LogEntry } from "../protocol.ts";

/**
 * The IPC contract between the WorkerPool and a sandbox worker process.
 * Messages from the worker are untrusted (node code can reach `process.send`),
 * so the pool parses each one with parseWorkerMessage.
 */

/** Pool → worker. */
export type PoolMessage =
  | { type: "run"; invocation: Invocation }
  | { type: "bridgeResult"; id: number; response: BridgeResponse }
  | { type: "bridgeResult"; id: number; error: { code: string; message: string } };

/** Worker → pool. `request` is checked by parseBridgeRequest when it is handled. */
export type WorkerMessage =
  | { type: "ready" }
  | { type: "log"; entry: LogEntry }
  | { type: "bridge"; id: number; request: unknown }
  | { type: "done"; result: NodeRunResult };

/** The worker message in value, or null when it is not one. */
export function parseWorkerMessage(value: unknown): WorkerMessage | null {
  if (!isObject(value)) return null;
  switch (value.type) {
    case "ready":
      return { type: "ready" };
    case "log": {
      const entry = parseLogEntry(value.entry);
      return entry ? { type: "log", entry } : null;
    }
    case "bridge":
      return isNonNegativeInteger(value.id) ? { type: "bridge", id: value.id, request: value.request } : null;
    case "done": {
      const result = parseRunResult(value.result);
      return result ? { type: "done", result } : null;
    }
  }
  return null;
}

/** Logs are streamed separately, so a result from a worker carries none. */
function parseRunResult(value: unknown): NodeRunResult | null {
  if (!isObject(value)) return null;
  const { status, error, recordsRead, recordsWritten, durationMs } = value;
  if (status !== "succeeded" && status !== "failed") return null;
  if (error !== null && typeof error !== "string") return null;
  if (!isNonNegativeInteger(recordsRead) || !isNonNegativeInteger(recordsWritten) || !isNonNegativeInteger(durationMs)) {
    return null;
  }
  return {
    status,
    logs: [],
    error,
    recordsRead,
    recordsWritten,
    durationMs,
    newRunRequest: parseNewRunRequest(value.newRunRequest),
    responses: parseWebhookResponses(value.responses),
  };
}
