import type { PyodideAPI } from "pyodide";
import { parseBridgeRequest } from "./bridge-request.ts";
import { isNonNegativeInteger, isObject } from "./json-guards.ts";
import { type NodeRunResult, parseNewRunRequest, parseWebhookResponses } from "./node-run-result.ts";
import { isLogLevel, MAX_LOG_ENTRIES, truncateLogMessage } from "./log-entry.ts";
import { BridgeError, type BridgeResponse, type HostBridge, type Invocation, type LogEntry } from "./protocol.ts";

/** Where the `patterns` package lives inside Pyodide's file system. */
export const PATTERNS_SITE_DIR = "/lib/patchbay";


export interface RunOptions {
  /** Called for each log entry as it happens (the result has them all too). */
  onLog?(entry: LogEntry): void;
  /**
   * Sends each bridge request as the JSON text Python made, unparsed, instead
   * of calling `bridge` (a sandbox worker forwards it to the pool, which
   * checks it): large commits are then parsed once, by the host.
   */
  forwardRequest?(requestJson: string): Promise<BridgeResponse>;
}

/**
 * Installs the Python `patterns` module into a Pyodide instance and imports
 * it. `sources` maps file names (e.g. "table.py") to their text, so the same
 * function serves Node (files read from disk) and the browser (bundled strings).
 */
export function loadPatternsRuntime(pyodide: PyodideAPI, sources: Record<string, string>): void {
  const packageDir = `${PATTERNS_SITE_DIR}/patterns`;
  pyodide.FS.mkdirTree(packageDir);
  for (const [fileName, source] of Object.entries(sources)) {
    if (!/^[a-z_][a-z0-9_]*\.py$/.test(fileName)) throw new Error(`Not a Python module file name: ${fileName}`);
    pyodide.FS.writeFile(`${packageDir}/${fileName}`, source);
  }
  pyodide.runPython(`
import sys
if ${JSON.stringify(PATTERNS_SITE_DIR)} not in sys.path:
    sys.path.insert(0, ${JSON.stringify(PATTERNS_SITE_DIR)})
import patterns, patterns._runner
patterns._runner.capture_baseline()
`);
}

/**
 * Top-level modules the code imports that this interpreter cannot import yet:
 * candidates to load from the Pyodide package index before the run.
 */
export function findMissingImports(pyodide: PyodideAPI, code: string): string[] {
  const text = callRunner(pyodide, "missing_imports_json", code);
  const names: unknown = typeof text === "string" ? JSON.parse(text) : [];
  return Array.isArray(names) ? names.filter((name): name is string => typeof name === "string") : [];
}

/**
 * Why this interpreter must not run another node (it loaded native modules,
 * which cannot be unloaded), or null when it may be reused.
 */
export function interpreterRetireReason(pyodide: PyodideAPI): string | null {
  const reason = callRunner(pyodide, "retire_reason");
  return typeof reason === "string" ? reason : null;
}

/** Calls a function of patterns._runner that takes and returns plain values. */
function callRunner(pyodide: PyodideAPI, name: string, ...args: string[]): unknown {
  const fn: unknown = pyodide.pyimport(`patterns._runner.${name}`);
  if (typeof fn !== "function") throw new Error(`patterns._runner.${name} is not a function`);
  try {
    return Reflect.apply(fn, undefined, args);
  } finally {
    if ("destroy" in fn && typeof fn.destroy === "function") fn.destroy();
  }
}

/** The Python entry point, looked up once per interpreter. */
interface PythonEntry {
  callPromising(...args: unknown[]): Promise<unknown>;
}
const entries = new WeakMap<PyodideAPI, PythonEntry>();

function pythonEntry(pyodide: PyodideAPI): PythonEntry | null {
  const cached = entries.get(pyodide);
  if (cached) return cached;
  const entry: unknown = pyodide.pyimport("patterns._runner.run_invocation");
  if (!isObject(entry) && typeof entry !== "function") return null;
  if (!("callPromising" in entry) || typeof entry.callPromising !== "function") return null;
  const callPromising = entry.callPromising;
  const python: PythonEntry = {
    callPromising: (...args) => Promise.resolve(callPromising.apply(entry, args)),
  };
  entries.set(pyodide, python);
  return python;
}

// One invocation at a time per interpreter: the patterns module keeps the
// current invocation in a module global.
const queues = new WeakMap<PyodideAPI, Promise<unknown>>();

/**
 * Runs one node invocation in a Pyodide instance that has the patterns
 * runtime loaded: fresh globals, the code top to bottom, then one commit.
 */
export async function runNodeInvocation(
  pyodide: PyodideAPI,
  invocation: Invocation,
  bridge: HostBridge,
  options: RunOptions = {},
): Promise<NodeRunResult> {
  const previous = queues.get(pyodide) ?? Promise.resolve();
  const run = previous.then(
    () => runExclusively(pyodide, invocation, bridge, options),
    () => runExclusively(pyodide, invocation, bridge, options),
  );
  queues.set(pyodide, run);
  return run;
}

async function runExclusively(
  pyodide: PyodideAPI,
  invocation: Invocation,
  bridge: HostBridge,
  options: RunOptions,
): Promise<NodeRunResult> {
  const started = Date.now();
  const logs: LogEntry[] = [];
  const logSink = (level: unknown, message: unknown): void => {
    if (logs.length > MAX_LOG_ENTRIES) return;
    if (logs.length === MAX_LOG_ENTRIES) {
      level = "warn";
      message = `More than ${MAX_LOG_ENTRIES} log entries: the rest were dropped`;
    }
    const entry: LogEntry = {
      level: isLogLevel(level) ? level : "info",
      message: truncateLogMessage(String(message)),
      time: Date.now(),
    };
    logs.push(entry);
    options.onLog?.(entry);
  };
  // Python sends JSON text and gets JSON text back, so no proxies cross over.
  const bridgeCall = async (requestJson: unknown): Promise<string> => {
    try {
      if (typeof requestJson !== "string") throw new BridgeError("bad_request", "Bad bridge request: not JSON text");
      const response = options.forwardRequest
        ? await options.forwardRequest(requestJson)
        : await bridge.call(parseBridgeRequest(JSON.parse(requestJson)));
      return JSON.stringify({ ok: true, response });
    } catch (error) {
      const code = error instanceof BridgeError ? error.code : "host_error";
      const message = error instanceof Error ? error.message : String(error);
      return JSON.stringify({ ok: false, code, message });
    }
  };

  const failed = (error: string): NodeRunResult => ({
    status: "failed",
    logs,
    error,
    recordsRead: 0,
    recordsWritten: 0,
    durationMs: Date.now() - started,
    newRunRequest: null,
    responses: [],
  });

  let outcome: unknown;
  try {
    const entry = pythonEntry(pyodide);
    if (!entry) return failed("The patterns runtime is not loaded: call loadPatternsRuntime first");
    const text = await entry.callPromising(JSON.stringify(invocation), bridgeCall, logSink);
    outcome = typeof text === "string" ? JSON.parse(text) : null;
  } catch (error) {
    return failed(`The Python runtime failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!isObject(outcome)) return failed("The Python runtime returned no result");
  return {
    status: outcome.status === "succeeded" ? "succeeded" : "failed",
    logs,
    error: typeof outcome.error === "string" ? outcome.error : null,
    recordsRead: isNonNegativeInteger(outcome.recordsRead) ? outcome.recordsRead : 0,
    recordsWritten: isNonNegativeInteger(outcome.recordsWritten) ? outcome.recordsWritten : 0,
    durationMs: Date.now() - started,
    newRunRequest: parseNewRunRequest(outcome.newRunRequest),
    responses: parseWebhookResponses(outcome.responses),
  };
}


