import type { BridgeResponse, Invocation, InvocationResult, LogEntry } from "@patchbay/runtime/protocol";
import { parseWorkerMessage, type PageMessage, type WorkerMessage, type WorkerStage } from "./worker-protocol.ts";

/** How the page answers the worker's store requests (the API, in practice). */
export interface RunHost {
  /** Answers one request (Python's JSON text); a refusal is `{ ok: false }` and becomes a Python exception. */
  bridge(requestJson: string): Promise<{ ok: true; response: BridgeResponse } | { ok: false; code: string; message: string }>;
  onLog(entry: LogEntry): void;
}

/** Thrown by `run` when the worker was disposed (cancelled, timed out, or the page closed it). */
export class RuntimeDisposedError extends Error {
  constructor() {
    super("The Python worker was stopped.");
    this.name = "RuntimeDisposedError";
  }
}

/** Where the server (or the dev server's proxy) serves Pyodide's files. */
export function pyodideIndexUrl(): string {
  return `${location.origin}/pyodide/`;
}

/**
 * The page's handle on one Python Web Worker: created and initialized at
 * once (staged, with a `ready` promise), then runs one invocation at a
 * time; `dispose` interrupts and terminates it, which stops even a `while True`.
 */
export class PythonRuntime {
  /** Resolves with the start-up time when Python is ready; rejects when it cannot start. */
  readonly ready: Promise<number>;
  private readonly worker: Worker;
  private stageValue: WorkerStage | "starting" | "failed" | "disposed" = "starting";
  private current: { host: RunHost; resolve(result: InvocationResult): void; reject(error: Error): void } | null = null;
  private readonly onStage: ((stage: WorkerStage) => void) | undefined;
  private failReady: (error: Error) => void = () => {};
  // Shared with the worker when the page is cross-origin isolated (the server sends the headers).
  private readonly interrupt: Uint8Array | null = globalThis.crossOriginIsolated ? new Uint8Array(new SharedArrayBuffer(1)) : null;

  constructor(options: { indexURL?: string; onStage?(stage: WorkerStage): void } = {}) {
    this.onStage = options.onStage;
    this.worker = new Worker(new URL("./python-worker.ts", import.meta.url), { type: "module", name: "patchbay-python" });
    this.ready = new Promise<number>((resolve, reject) => {
      this.failReady = reject;
      this.worker.addEventListener("message", (event: MessageEvent<unknown>) => {
        const message = parseWorkerMessage(event.data);
        if (message) this.receive(message, resolve, reject);
      });
      this.worker.addEventListener("error", (event) => {
        this.fail(new Error(`The Python worker failed: ${event.message || "it could not be loaded"}`));
      });
    });
    // Callers that never await `ready` must not see an unhandled rejection.
    this.ready.catch(() => {});
    const interruptBuffer = this.interrupt?.buffer;
    this.send({ type: "initialize", indexURL: options.indexURL ?? pyodideIndexUrl(), interruptBuffer: interruptBuffer instanceof SharedArrayBuffer ? interruptBuffer : null });
  }

  get stage(): WorkerStage | "starting" | "failed" | "disposed" {
    return this.stageValue;
  }

  get busy(): boolean {
    return this.current !== null;
  }

  /** Runs one invocation; logs and store requests go through `host` while it runs. */
  async run(invocation: Invocation, host: RunHost): Promise<InvocationResult> {
    await this.ready;
    if (this.stageValue === "disposed") throw new RuntimeDisposedError();
    if (this.current) throw new Error("This Python worker is already running a node.");
    return new Promise<InvocationResult>((resolve, reject) => {
      this.current = { host, resolve, reject };
      this.send({ type: "run", invocation });
    });
  }

  /**
   * Stops the worker: interrupts Python (SIGINT, as Ctrl+C does) so a busy
   * worker returns to its event loop, then terminates it. A run in progress
   * rejects with RuntimeDisposedError.
   */
  dispose(): void {
    if (this.stageValue === "disposed") return;
    this.stageValue = "disposed";
    if (this.interrupt) Atomics.store(this.interrupt, 0, 2);
    this.worker.terminate();
    const error = new RuntimeDisposedError();
    this.failReady(error);
    this.current?.reject(error);
    this.current = null;
  }

  private receive(message: WorkerMessage, resolveReady: (ms: number) => void, rejectReady: (error: Error) => void): void {
    if (this.stageValue === "disposed") return;
    switch (message.type) {
      case "stage":
        this.stageValue = message.stage;
        this.onStage?.(message.stage);
        break;
      case "ready":
        resolveReady(message.startupMs);
        break;
      case "initializeFailed":
        this.stageValue = "failed";
        rejectReady(new Error(message.error));
        break;
      case "log":
        this.current?.host.onLog(message.entry);
        break;
      case "bridge":
        void this.answer(message.id, message.requestJson);
        break;
      case "done": {
        const current = this.current;
        this.current = null;
        current?.resolve(message.result);
        break;
      }
    }
  }

  private async answer(id: number, requestJson: string): Promise<void> {
    const host = this.current?.host;
    if (!host) return;
    try {
      const answer = await host.bridge(requestJson);
      this.send(answer.ok ? { type: "bridgeResult", id, response: answer.response } : { type: "bridgeResult", id, error: { code: answer.code, message: answer.message } });
    } catch (error) {
      // The API could not be reached or refused the call: the node sees it as a failed store request.
      this.send({ type: "bridgeResult", id, error: { code: "host_error", message: error instanceof Error ? error.message : String(error) } });
    }
  }

  private fail(error: Error): void {
    if (this.stageValue === "disposed") return;
    this.stageValue = "failed";
    this.failReady(error);
    this.current?.reject(error);
    this.current = null;
  }

  private send(message: PageMessage): void {
    if (this.stageValue !== "disposed") this.worker.postMessage(message);
  }
}
