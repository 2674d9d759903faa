/**
 * Entry of a sandbox worker process (started by WorkerPool with Node's
 * permission model and an empty environment): loads Pyodide and the patterns
 * runtime, then runs one invocation at a time for the pool over IPC.
 */

import { runNodeInvocation } from "../executor.ts";
import { BridgeError, type BridgeRequest, type BridgeResponse, type Invocation } from "../protocol.ts";
import { createPyodide } from "./create-pyodide.ts";
import type { PoolMessage, WorkerMessage } from "./worker-messages.ts";

// Pyodide's start-up calls process.binding("constants"), which the permission
// model refuses; it only needs these to exist. (Pyodide itself is imported
// later, inside createPyodide, so this runs first.)
const originalBinding: unknown = Reflect.get(process, "binding");
Reflect.set(process, "binding", (name: string): unknown => {
  if (name === "constants") return { os: { signals: {}, errno: {} }, fs: {}, crypto: {} };
  if (typeof originalBinding !== "function") throw new Error(`process.binding(${name}) is not available`);
  return Reflect.apply(originalBinding, process, [name]);
});

const send = process.send?.bind(process);
if (!send) throw new Error("sandbox-worker.ts must be started by WorkerPool (it needs an IPC channel)");
const post = (message: WorkerMessage): void => {
  send(message);
};

const pyodideDir = process.argv[2];
if (!pyodideDir) throw new Error("sandbox-worker.ts: missing the Pyodide folder argument");

closeProcessEscapes();
const pyodide = await createPyodide({ indexURL: pyodideDir });

const pending = new Map<number, { resolve(response: BridgeResponse): void; reject(error: Error): void }>();
let lastRequestId = 0;
const bridge = {
  call(request: BridgeRequest): Promise<BridgeResponse> {
    lastRequestId += 1;
    const id = lastRequestId;
    return new Promise<BridgeResponse>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      post({ type: "bridge", id, request });
    });
  },
};

let running = false;
process.on("message", (message: PoolMessage) => {
  if (message.type === "bridgeResult") {
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (!waiter) return;
    if ("error" in message) waiter.reject(new BridgeError(message.error.code, message.error.message));
    else waiter.resolve(message.response);
  } else if (message.type === "run" && !running) {
    running = true;
    void run(message.invocation).finally(() => {
      running = false;
    });
  }
});
// The pool closing the channel means this worker is no longer wanted.
process.on("disconnect", () => process.exit(0));
post({ type: "ready" });

async function run(invocation: Invocation): Promise<void> {
  const result = await runNodeInvocation(pyodide, invocation, bridge, {
    onLog: (entry) => post({ type: "log", entry }),
  });
  post({ type: "done", result: { ...result, logs: [] } });
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
