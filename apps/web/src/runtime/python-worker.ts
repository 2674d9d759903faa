/**
 * The browser runtime: a module Web Worker running Pyodide with the same
 * `patterns` module and executor as the server's sandbox workers. Only the
 * host differs: store requests go to the page, which sends them to the API.
 * See worker-protocol.ts for the messages.
 */
import type { PyodideAPI } from "pyodide";
import { findMissingImports, loadPatternsRuntime, runNodeInvocation } from "@patchbay/runtime/executor";
import { BridgeError, type BridgeResponse, type Invocation, type InvocationResult, type LogEntry } from "@patchbay/runtime/protocol";
import { patternsSources } from "./patterns-sources.ts";
import type { PageMessage, WorkerMessage } from "./worker-protocol.ts";

type LoadPyodide = typeof import("pyodide").loadPyodide;

function post(message: WorkerMessage): void {
  postMessage(message);
}

let pyodide: Promise<PyodideAPI> | null = null;
let interrupt: Uint8Array | null = null;
let running = false;
let lastBridgeId = 0;
const pendingBridge = new Map<number, { resolve(response: BridgeResponse): void; reject(error: Error): void }>();

// Only the page that started this worker can post to it: its messages are trusted.
addEventListener("message", (event: MessageEvent<PageMessage>) => {
  const message = event.data;
  switch (message.type) {
    case "initialize":
      pyodide ??= initialize(message.indexURL, message.interruptBuffer);
      break;
    case "run":
      if (running || !pyodide) return;
      running = true;
      void run(pyodide, message.invocation).finally(() => {
        running = false;
      });
      break;
    case "bridgeResult": {
      const waiter = pendingBridge.get(message.id);
      pendingBridge.delete(message.id);
      if (!waiter) return;
      if ("error" in message) waiter.reject(new BridgeError(message.error.code, message.error.message));
      else waiter.resolve(message.response);
      break;
    }
  }
});

async function initialize(indexURL: string, interruptBuffer: SharedArrayBuffer | null): Promise<PyodideAPI> {
  const started = performance.now();
  try {
    // Python waits for the asynchronous bridge with run_sync, which needs
    // JavaScript Promise Integration (Chromium 137+); say so up front.
    if (!("Suspending" in WebAssembly)) {
      throw new Error("this browser lacks WebAssembly JavaScript Promise Integration (JSPI), which Python nodes need here; use Chrome or Edge 137 or newer, or run the node on the server");
    }
    post({ type: "stage", stage: "loading-pyodide" });
    // Import Pyodide from indexURL itself, so its JavaScript and its wasm always match.
    const module: unknown = await import(/* @vite-ignore */ `${indexURL}pyodide.mjs`);
    const loadPyodide = isPyodideModule(module) ? module.loadPyodide : null;
    if (!loadPyodide) throw new Error(`no Pyodide found at ${indexURL}`);
    const instance = await loadPyodide({ indexURL, env: { HOME: "/home/pyodide" }, stdout: () => {}, stderr: () => {} });
    if (interruptBuffer) {
      interrupt = new Uint8Array(interruptBuffer);
      instance.setInterruptBuffer(interrupt);
    }
    post({ type: "stage", stage: "loading-patterns" });
    loadPatternsRuntime(instance, patternsSources());
    post({ type: "stage", stage: "ready" });
    post({ type: "ready", startupMs: Math.round(performance.now() - started) });
    return instance;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    post({ type: "initializeFailed", error: `Python could not start in this browser tab: ${message}` });
    throw error;
  }
}

async function run(ready: Promise<PyodideAPI>, invocation: Invocation): Promise<void> {
  const started = Date.now();
  const failed = (error: string): InvocationResult => ({ status: "failed", logs: [], error, recordsRead: 0, recordsWritten: 0, durationMs: Date.now() - started });
  let result: InvocationResult;
  try {
    const instance = await ready;
    // A Cancel of an earlier run may have left its signal behind.
    if (interrupt) Atomics.store(interrupt, 0, 0);
    const missing = findMissingImports(instance, invocation.code);
    if (missing.length > 0) {
      result = failed(
        `Node "${invocation.nodeTitle}" imports ${missing.map((name) => `"${name}"`).join(", ")}, which Python in the browser does not have: it has the standard library only. Run the node on the server, where packages load from the package index.`,
      );
    } else {
      const onLog = (entry: LogEntry): void => post({ type: "log", entry });
      result = await runNodeInvocation(instance, invocation, { call: forwardRequest }, { onLog, forwardRequest });
    }
  } catch (error) {
    result = failed(`Python could not run in this browser tab: ${error instanceof Error ? error.message : String(error)}`);
  }
  post({ type: "done", result: { ...result, logs: [] } });
}

/** Sends a store request, as Python's JSON text, to the page (which asks the API). */
function forwardRequest(request: unknown): Promise<BridgeResponse> {
  lastBridgeId += 1;
  const id = lastBridgeId;
  const requestJson = typeof request === "string" ? request : JSON.stringify(request);
  return new Promise<BridgeResponse>((resolve, reject) => {
    pendingBridge.set(id, { resolve, reject });
    post({ type: "bridge", id, requestJson });
  });
}

function isPyodideModule(value: unknown): value is { loadPyodide: LoadPyodide } {
  return typeof value === "object" && value !== null && "loadPyodide" in value && typeof value.loadPyodide === "function";
}
