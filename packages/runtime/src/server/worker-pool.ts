import type { NodeRunResult } from "../node-run-result.ts";
import type { HostBridge, Invocation, LogEntry } from "../protocol.ts";
import { findPyodideDir } from "./create-pyodide.ts";
import { SandboxProcess } from "./sandbox-process.ts";

export interface WorkerPoolOptions {
  /** Number of worker processes (default 2). */
  size?: number;
  /** Time limit of an invocation that gives none (default 10 minutes). */
  defaultTimeLimitMs?: number;
  /** Memory cap of each worker in MB (default 1024; null: no cap). */
  memoryLimitMb?: number | null;
  /** Folder of the Pyodide distribution (default: the installed `pyodide` package). */
  pyodideDir?: string;
}

interface QueuedRun {
  invocation: Invocation;
  bridge: HostBridge;
  onLog: ((entry: LogEntry) => void) | undefined;
  resolve(result: NodeRunResult): void;
}

/** After this many workers in a row die before they are ready, queued runs fail. */
const MAX_START_FAILURES = 3;

/**
 * A pool of sandboxed Pyodide worker processes that run node invocations,
 * one per worker at a time. Runs queue while every worker is busy; a worker
 * that dies (crash, time limit, memory cap) is replaced.
 */
export class WorkerPool {
  private readonly size: number;
  private readonly defaultTimeLimitMs: number;
  private readonly memoryLimitMb: number | null;
  private readonly pyodideDir: string;
  private readonly workers = new Set<SandboxProcess>();
  private readonly readyWorkers = new Set<SandboxProcess>();
  private readonly queue: QueuedRun[] = [];
  private started = false;
  private closed = false;
  private startFailures = 0;
  private lastStartError = "";

  constructor(options: WorkerPoolOptions = {}) {
    this.size = Math.max(1, options.size ?? 2);
    this.defaultTimeLimitMs = options.defaultTimeLimitMs ?? 600_000;
    this.memoryLimitMb = options.memoryLimitMb === undefined ? 1024 : options.memoryLimitMb;
    this.pyodideDir = options.pyodideDir ?? findPyodideDir();
  }

  /** Starts the workers and waits until each has loaded Pyodide. */
  async start(): Promise<void> {
    if (this.closed) throw new Error("WorkerPool.start: the pool is closed");
    if (!this.started) {
      this.started = true;
      for (let i = 0; i < this.size; i += 1) this.spawn();
    }
    await Promise.all([...this.workers].map((worker) => worker.ready));
  }

  /** Runs an invocation on the next free worker; failures come back as failed results. */
  run(invocation: Invocation, bridge: HostBridge, onLog?: (entry: LogEntry) => void): Promise<NodeRunResult> {
    if (this.closed) return Promise.resolve(failedResult("The worker pool is closed"));
    if (!this.started) void this.start().catch(() => {});
    return new Promise<NodeRunResult>((resolve) => {
      this.queue.push({ invocation, bridge, onLog, resolve });
      this.dispatch();
    });
  }

  /** The live workers: their process ids and whether each is running a node. */
  status(): { pid: number | undefined; busy: boolean; ready: boolean }[] {
    return [...this.workers].map((worker) => ({ pid: worker.pid, busy: worker.busy, ready: this.readyWorkers.has(worker) }));
  }

  /** Stops every worker; queued runs fail. */
  async close(): Promise<void> {
    this.closed = true;
    for (const queued of this.queue.splice(0)) queued.resolve(failedResult("The worker pool was closed"));
    await Promise.all([...this.workers].map((worker) => worker.close()));
  }

  private spawn(): void {
    const worker = new SandboxProcess({ pyodideDir: this.pyodideDir, memoryLimitMb: this.memoryLimitMb });
    this.workers.add(worker);
    worker.ready.then(
      () => {
        this.startFailures = 0;
        this.readyWorkers.add(worker);
        this.dispatch();
      },
      (error: unknown) => {
        this.startFailures += 1;
        this.lastStartError = error instanceof Error ? error.message : String(error);
      },
    );
    worker.onExit(() => {
      this.workers.delete(worker);
      this.readyWorkers.delete(worker);
      if (this.closed) return;
      if (this.startFailures >= MAX_START_FAILURES) {
        // Workers cannot start (e.g. Pyodide is missing): fail what waits
        // instead of retrying forever; the next run() tries again.
        for (const queued of this.queue.splice(0)) queued.resolve(failedResult(this.lastStartError));
        this.startFailures = 0;
        this.started = this.workers.size > 0;
        return;
      }
      this.spawn();
    });
  }

  private dispatch(): void {
    for (const worker of this.readyWorkers) {
      if (this.queue.length === 0) return;
      if (worker.busy || !worker.alive) continue;
      const next = this.queue.shift();
      if (!next) return;
      const limit = next.invocation.timeLimitMs > 0 ? next.invocation.timeLimitMs : this.defaultTimeLimitMs;
      void worker.run(next.invocation, next.bridge, limit, next.onLog).then((result) => {
        next.resolve(result);
        this.dispatch();
      });
    }
  }
}

function failedResult(error: string): NodeRunResult {
  return {
    status: "failed",
    logs: [],
    error,
    recordsRead: 0,
    recordsWritten: 0,
    durationMs: 0,
    newRunRequest: null,
    responses: [],
  };
}
