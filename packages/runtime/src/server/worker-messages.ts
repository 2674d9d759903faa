import { isNonNegativeInteger, isObject } from "../json-guards.ts";
import { parseLogEntry } from "../log-entry.ts";
import { type NodeRunResult, parseNewRunRequest, parseWebhookResponses } from "../node-run-result.ts";
import type { BridgeResponse, Invocation, LogEntry } from "../protocol.ts";

/**
 * The IPC contract between the WorkerPool and a sandbox worker process.
 * Messages from the worker are untrusted (node code can reach `process.send`),
 * so the pool parses each one with parseWorkerMessage.
 */

/** A package file the pool put in the packages folder, for the worker to load. */
export interface PackageFile {
  name: string;
  fileName: string;
}

/** Pool → worker. */
export type PoolMessage =
  | { type: "run"; invocation: Invocation }
  | { type: "packagesResult"; id: number; packages: PackageFile[] }
  | { type: "packagesResult"; id: number; error: string }
  /** Times a bare `runPython` on the worker (benchmarks): no node, no bridge. */
  | { type: "probe"; id: number }
  | { type: "bridgeResult"; id: number; response: BridgeResponse }
  | { type: "bridgeResult"; id: number; error: { code: string; message: string } };

/** Worker → pool. `request` (an object, or its JSON text) is checked by parseBridgeRequest when it is handled. */
export type WorkerMessage =
  | { type: "ready" }
  | { type: "log"; entry: LogEntry }
  | { type: "bridge"; id: number; request: unknown }
  /** Import names the node needs that the worker cannot import: the pool fetches their packages. */
  | { type: "packages"; id: number; imports: string[] }
  /** `retire`: why this worker must not run another node (null: it may). */
  | { type: "done"; result: NodeRunResult; retire: string | null }
  | { type: "probeResult"; id: number; pythonMs: number };

const MAX_IMPORTS = 64;
const IMPORT_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,99}$/;

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
    case "packages": {
      const { id, imports } = value;
      if (!isNonNegativeInteger(id) || !Array.isArray(imports) || imports.length > MAX_IMPORTS) return null;
      const names = imports.filter((name): name is string => typeof name === "string" && IMPORT_NAME.test(name));
      return names.length === imports.length ? { type: "packages", id, imports: names } : null;
    }
    case "done": {
      const result = parseRunResult(value.result);
      const retire = typeof value.retire === "string" ? value.retire.slice(0, 500) : null;
      return result ? { type: "done", result, retire } : null;
    }
    case "probeResult":
      return isNonNegativeInteger(value.id) && typeof value.pythonMs === "number" && Number.isFinite(value.pythonMs)
        ? { type: "probeResult", id: value.id, pythonMs: value.pythonMs }
        : null;
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
