import type { BridgeResponse, Invocation, InvocationResult, LogEntry } from "@patchbay/runtime/protocol";
import { parseLogEntry } from "@patchbay/runtime/log-entry";

/**
 * The contract between the page and the Python Web Worker (python-worker.ts).
 * The page starts the worker and sends `initialize`; the worker reports its
 * start-up stages, then `ready` (or `initializeFailed`). A `run` streams `log`
 * and `bridge` messages and ends with `done`. Disposing is terminating the
 * worker: that also stops a node stuck in `while True`.
 */

/** Start-up stages, in order; a cold start takes a few seconds. */
export type WorkerStage = "loading-pyodide" | "loading-patterns" | "ready";

/** Page → worker. */
export type PageMessage =
  /** `interruptBuffer`: shared with the page (when it is cross-origin isolated); writing 2 to it raises KeyboardInterrupt in Python. */
  | { type: "initialize"; indexURL: string; interruptBuffer: SharedArrayBuffer | null }
  | { type: "run"; invocation: Invocation }
  | { type: "bridgeResult"; id: number; response: BridgeResponse }
  | { type: "bridgeResult"; id: number; error: { code: string; message: string } };

/** Worker → page. */
export type WorkerMessage =
  | { type: "stage"; stage: WorkerStage }
  | { type: "ready"; startupMs: number }
  | { type: "initializeFailed"; error: string }
  | { type: "log"; entry: LogEntry }
  /** A store request as the JSON text Python made; the server parses and checks it. */
  | { type: "bridge"; id: number; requestJson: string }
  | { type: "done"; result: InvocationResult };

const STAGES: readonly string[] = ["loading-pyodide", "loading-patterns", "ready"];

function isRecord(value: unknown): value is { [key: string]: unknown } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isStage(value: unknown): value is WorkerStage {
  return typeof value === "string" && STAGES.includes(value);
}

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

/**
 * The worker message in value, or null. Node code in the worker can reach
 * `postMessage` (the Python guard is not a boundary), so nothing it sends is
 * trusted: the page checks the shape here and the server checks the rest.
 */
export function parseWorkerMessage(value: unknown): WorkerMessage | null {
  if (!isRecord(value)) return null;
  switch (value.type) {
    case "stage":
      return isStage(value.stage) ? { type: "stage", stage: value.stage } : null;
    case "ready":
      return typeof value.startupMs === "number" ? { type: "ready", startupMs: value.startupMs } : null;
    case "initializeFailed":
      return typeof value.error === "string" ? { type: "initializeFailed", error: value.error } : null;
    case "log": {
      // Cut as the server cuts (16,000 characters): it refuses longer messages.
      const entry = parseLogEntry(value.entry);
      return entry ? { type: "log", entry } : null;
    }
    case "bridge":
      return isCount(value.id) && typeof value.requestJson === "string" ? { type: "bridge", id: value.id, requestJson: value.requestJson } : null;
    case "done": {
      const result = value.result;
      if (!isRecord(result) || (result.status !== "succeeded" && result.status !== "failed")) return null;
      if (result.error !== null && typeof result.error !== "string") return null;
      const { recordsRead, recordsWritten, durationMs } = result;
      if (!isCount(recordsRead) || !isCount(recordsWritten) || !isCount(durationMs)) return null;
      // Logs were streamed one by one, as they happened.
      return { type: "done", result: { status: result.status, logs: [], error: result.error, recordsRead, recordsWritten, durationMs } };
    }
  }
  return null;
}
