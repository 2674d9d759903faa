/**
 * Entry of a sandbox worker process (started by WorkerPool with Node's
 * permission model and an empty environment): loads Pyodide with the patterns
 * runtime (from a memory snapshot when the pool made one), then runs one
 * invocation at a time for the pool over IPC.
 *
 * argv: <pyodide folder> <snapshot file or ""> <packages folder>
 */
import "./permission-shim.ts";
import { readFileSync } from "node:fs";
import { findMissingImports, interpreterRetireReason, runNodeInvocation } from "../executor.ts";
import type { NodeRunResult } from "../node-run-result.ts";
import { BridgeError, type BridgeRequest, type BridgeResponse, type Invocation, type LogEntry } from "../protocol.ts";
import { createPyodide } from "./create-pyodide.ts";
import type { PackageFile, PoolMessage, WorkerMessage } from "./worker-messages.ts";

const send = process.send?.bind(process);
if (!send) throw new Error("sandbox-worker.ts must be started by WorkerPool (it needs an IPC channel)");
const post = (message: WorkerMessage): void => {
  send(message);
};

const [pyodideDir, snapshotPath, packagesDir] = process.argv.slice(2);
if (!pyodideDir || snapshotPath === undefined || !packagesDir) throw new Error("sandbox-worker.ts: missing arguments");

closeProcessEscapes();
const timers = trackTimers();
const pyodide = await createPyodide({
  indexURL: pyodideDir,
  packageCacheDir: packagesDir,
  ...(snapshotPath ? { snapshot: readFileSync(snapshotPath) } : {}),
});

let lastRequestId = 0;
const pendingBridge = new Map<number, { resolve(response: BridgeResponse): void; reject(error: Error): void }>();
const pendingPackages = new Map<number, (result: { packages: PackageFile[] } | { error: string }) => void>();
// Requests go to the pool as the JSON text Python made; the pool parses and checks them.
const forwardRequest = (request: BridgeRequest | string): Promise<BridgeResponse> => {
  lastRequestId += 1;
  const id = lastRequestId;
  return new Promise<BridgeResponse>((resolve, reject) => {
    pendingBridge.set(id, { resolve, reject });
    post({ type: "bridge", id, request });
  });
};
const bridge = { call: forwardRequest };

let running = false;
process.on("message", (message: PoolMessage) => {
  switch (message.type) {
    case "bridgeResult": {
      const waiter = pendingBridge.get(message.id);
      pendingBridge.delete(message.id);
      if (!waiter) return;
      if ("error" in message) waiter.reject(new BridgeError(message.error.code, message.error.message));
      else waiter.resolve(message.response);
      break;
    }
    case "packagesResult": {
      const waiter = pendingPackages.get(message.id);
      pendingPackages.delete(message.id);
      waiter?.("error" in message ? { error: message.error } : { packages: message.packages });
      break;
    }
    case "run":
      if (running) return;
      running = true;
      void run(message.invocation).finally(() => {
        running = false;
      });
      break;
    case "probe": {
      const started = performance.now();
      pyodide.runPython("None");
      post({ type: "probeResult", id: message.id, pythonMs: performance.now() - started });
      break;
    }
  }
});
// The pool closing the channel means this worker is no longer wanted.
process.on("disconnect", () => process.exit(0));
post({ type: "ready" });

async function run(invocation: Invocation): Promise<void> {
  const onLog = (entry: LogEntry): void => post({ type: "log", entry });
  const started = Date.now();
  let result: NodeRunResult;
  const packageError = await loadPackages(invocation.code, onLog);
  if (packageError !== null) {
    result = {
      status: "failed",
      logs: [],
      error: packageError,
      recordsRead: 0,
      recordsWritten: 0,
      durationMs: Date.now() - started,
      newRunRequest: null,
      responses: [],
    };
  } else {
    timers.startRun();
    try {
      result = await runNodeInvocation(pyodide, invocation, bridge, { onLog, forwardRequest });
    } finally {
      // Callbacks the node scheduled (asyncio, setTimeout) must not fire during the next run.
      timers.endRun();
    }
  }
  post({ type: "done", result: { ...result, logs: [] }, retire: interpreterRetireReason(pyodide) });
}

/**
 * Loads the packages that provide the node's missing imports. The worker has
 * no network: the pool downloads the files into the packages folder, which
 * this process may read. Returns the error of the run, or null.
 */
async function loadPackages(code: string, onLog: (entry: LogEntry) => void): Promise<string | null> {
  const imports = findMissingImports(pyodide, code);
  if (imports.length === 0) return null;
  lastRequestId += 1;
  const id = lastRequestId;
  const answer = await new Promise<{ packages: PackageFile[] } | { error: string }>((resolve) => {
    pendingPackages.set(id, resolve);
    post({ type: "packages", id, imports });
  });
  if ("error" in answer) return answer.error;
  const errors: string[] = [];
  const loaded: string[] = [];
  for (const pkg of answer.packages) {
    // A path loads that wheel exactly; the pool ordered dependencies first.
    const found = await pyodide.loadPackage(`${packagesDir}${pkg.fileName}`, {
      checkIntegrity: false,
      messageCallback: () => {},
      errorCallback: (message) => errors.push(message),
    });
    loaded.push(...found.map((data) => `${data.name} ${data.version}`));
  }
  // loadPackage reports failures through the callback, not by throwing.
  if (errors.length > 0) return `Could not install the Python packages ${answer.packages.map((p) => p.name).join(", ")}: ${errors.join(" ")}`;
  if (loaded.length > 0) onLog({ level: "debug", message: `Loaded Python packages: ${loaded.join(", ")}`, time: Date.now() });
  return null;
}

/**
 * The permission model does not cover signals: make sure code that escapes
 * Python cannot signal other processes (such as the server) either.
 */
function closeProcessEscapes(): void {
  const refuse = (): never => {
    throw new Error("signalling processes is not allowed in a Patchbay sandbox");
  };
  for (const name of ["kill", "_kill"]) {
    Object.defineProperty(process, name, { value: refuse, writable: false, configurable: false });
  }
}

/** Remembers the timers set during a run, so they can be cleared when it ends. */
function trackTimers(): { startRun(): void; endRun(): void } {
  const originalSetTimeout = globalThis.setTimeout;
  const originalSetInterval = globalThis.setInterval;
  let duringRun: Set<NodeJS.Timeout> | null = null;
  const track = (timer: NodeJS.Timeout): NodeJS.Timeout => {
    duringRun?.add(timer);
    return timer;
  };
  globalThis.setTimeout = Object.assign(
    (...args: Parameters<typeof originalSetTimeout>) => track(originalSetTimeout(...args)),
    originalSetTimeout,
  );
  globalThis.setInterval = Object.assign(
    (...args: Parameters<typeof originalSetInterval>) => track(originalSetInterval(...args)),
    originalSetInterval,
  );
  return {
    startRun() {
      duringRun = new Set();
    },
    endRun() {
      for (const timer of duringRun ?? []) clearTimeout(timer);
      duringRun = null;
    },
  };
}
