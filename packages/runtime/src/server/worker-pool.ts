import { mkdir, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { NodeRunResult } from "../node-run-result.ts";
import type { HostBridge, Invocation, LogEntry } from "../protocol.ts";
import { defaultPackageIndexUrl, findPyodideDir } from "./create-pyodide.ts";
import { PackageIndex } from "./package-index.ts";
import { ensureRuntimeSnapshot, removeCacheDir } from "./runtime-snapshot.ts";
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
  /**
   * Folder for the memory snapshot and downloaded packages, kept between
   * server starts (e.g. `${DATA_DIR}/runtime-cache`). Default: a temporary
   * folder made at start and removed at close.
   */
  cacheDir?: string;
  /** Start workers from a memory snapshot (default true; false boots Python in each worker, ~10× slower). */
  snapshot?: boolean;
  /**
   * Pyodide package index that `import somepkg` loads packages from
   * (default: the official CDN for the bundled Pyodide version).
   */
  packageIndexUrl?: string;
  /** Deadline of fetching a run's packages (default 9 s, so the run fails within 10 s). */
  packageTimeoutMs?: number;
}

interface QueuedRun {
  invocation: Invocation;
  bridge: HostBridge;
  onLog: ((entry: LogEntry) => void) | undefined;
  signal: AbortSignal | undefined;
  resolve(result: NodeRunResult): void;
}

const CANCELLED = "The run was cancelled";

/** After this many workers in a row die before they are ready, queued runs fail. */
const MAX_START_FAILURES = 3;

/**
 * A pool of sandboxed Pyodide worker processes that run node invocations,
 * one per worker at a time. Runs queue while every worker is busy; a worker
 * that dies (crash, time limit, memory cap) is replaced.
 *
 * Isolation: each run gets fresh globals and the interpreter is reset after
 * it (modules, sys settings), but a reset cannot stop code that attacks it on
 * purpose. So a worker only ever runs nodes of one graph: a worker that ran
 * another graph's code is replaced (from the snapshot, ~0.3 s) first.
 */
export class WorkerPool {
  private readonly size: number;
  private readonly defaultTimeLimitMs: number;
  private readonly memoryLimitMb: number | null;
  private readonly pyodideDir: string;
  private readonly useSnapshot: boolean;
  private readonly packageIndexUrl: string;
  private readonly packageTimeoutMs: number;
  private readonly givenCacheDir: string | undefined;
  private readonly workers = new Set<SandboxProcess>();
  private readonly readyWorkers = new Set<SandboxProcess>();
  private readonly queue: QueuedRun[] = [];
  private setup: Promise<void> | null = null;
  private cacheDir: string | null = null;
  private snapshotPath: string | null = null;
  private packages: PackageIndex | null = null;
  private closed = false;
  private startFailures = 0;
  private lastStartError = "";

  constructor(options: WorkerPoolOptions = {}) {
    this.size = Math.max(1, options.size ?? 2);
    this.defaultTimeLimitMs = options.defaultTimeLimitMs ?? 600_000;
    this.memoryLimitMb = options.memoryLimitMb === undefined ? 1024 : options.memoryLimitMb;
    this.pyodideDir = options.pyodideDir ?? findPyodideDir();
    this.useSnapshot = options.snapshot ?? true;
    this.packageIndexUrl = options.packageIndexUrl ?? defaultPackageIndexUrl(this.pyodideDir);
    this.packageTimeoutMs = options.packageTimeoutMs ?? 9_000;
    this.givenCacheDir = options.cacheDir;
  }

  /** Makes (or finds) the snapshot, starts the workers and waits until each is ready. */
  async start(): Promise<void> {
    if (this.closed) throw new Error("WorkerPool.start: the pool is closed");
    this.setup ??= this.prepare();
    await this.setup;
    if (!this.closed && this.workers.size === 0) for (let i = 0; i < this.size; i += 1) this.spawn();
    await Promise.all([...this.workers].map((worker) => worker.ready));
  }

  /** Once per pool: the cache folder, the package index and the snapshot. */
  private async prepare(): Promise<void> {
    const cacheDir = this.givenCacheDir ?? (await mkdtemp(join(tmpdir(), "patchbay-runtime-")));
    await mkdir(cacheDir, { recursive: true, mode: 0o700 });
    this.cacheDir = cacheDir;
    const packagesDir = join(cacheDir, "packages");
    await mkdir(packagesDir, { recursive: true, mode: 0o700 });
    this.packages = new PackageIndex({
      indexUrl: this.packageIndexUrl,
      packagesDir,
      bundledLockPath: join(this.pyodideDir, "pyodide-lock.json"),
      timeoutMs: this.packageTimeoutMs,
    });
    if (this.useSnapshot) {
      try {
        this.snapshotPath = await ensureRuntimeSnapshot(cacheDir, this.pyodideDir);
      } catch (error) {
        // Workers still start without it, only slower.
        console.warn(`Patchbay runtime: no memory snapshot, workers boot Python instead: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  /** Runs an invocation on the next free worker; failures come back as failed results. */
  run(invocation: Invocation, bridge: HostBridge, onLog?: (entry: LogEntry) => void, signal?: AbortSignal): Promise<NodeRunResult> {
    if (this.closed) return Promise.resolve(failedResult("The worker pool is closed"));
    if (signal?.aborted) return Promise.resolve(failedResult(CANCELLED));
    if (this.workers.size === 0) void this.start().catch(() => {});
    return new Promise<NodeRunResult>((resolve) => {
      const queued: QueuedRun = { invocation, bridge, onLog, signal, resolve };
      // Cancelled while waiting for a worker: leave the queue at once.
      signal?.addEventListener(
        "abort",
        () => {
          const index = this.queue.indexOf(queued);
          if (index >= 0) {
            this.queue.splice(index, 1);
            resolve(failedResult(CANCELLED));
          }
        },
        { once: true },
      );
      this.queue.push(queued);
      this.dispatch();
    });
  }

  /** The live workers: their process ids and whether each is running a node. */
  status(): { pid: number | undefined; busy: boolean; ready: boolean }[] {
    return [...this.workers].map((worker) => ({ pid: worker.pid, busy: worker.busy, ready: this.readyWorkers.has(worker) }));
  }

  /**
   * Times a bare `runPython("None")` on an idle ready worker, round trip over
   * IPC and inside the worker (benchmarks compare node runs with it).
   */
  async probe(): Promise<{ roundTripMs: number; pythonMs: number }> {
    const worker = [...this.readyWorkers].find((candidate) => !candidate.busy && candidate.alive);
    if (!worker) throw new Error("WorkerPool.probe: no idle worker");
    return worker.probe();
  }

  /** Stops every worker; queued runs fail. */
  async close(): Promise<void> {
    this.closed = true;
    for (const queued of this.queue.splice(0)) queued.resolve(failedResult("The worker pool was closed"));
    await this.setup?.catch(() => {});
    await Promise.all([...this.workers].map((worker) => worker.close()));
    if (this.cacheDir && this.givenCacheDir === undefined) await removeCacheDir(this.cacheDir);
  }

  private spawn(): void {
    const packages = this.packages;
    if (!packages || !this.cacheDir) return;
    const worker = new SandboxProcess({
      pyodideDir: this.pyodideDir,
      snapshotPath: this.snapshotPath,
      packagesDir: join(this.cacheDir, "packages"),
      preparePackages: (imports) => packages.prepare(imports),
      memoryLimitMb: this.memoryLimitMb,
    });
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
        return;
      }
      this.spawn();
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const idle = [...this.readyWorkers].filter((worker) => !worker.busy && worker.alive);
      if (idle.length === 0) return;
      // The first queued run that an idle worker may take: one that already
      // ran this graph, or a fresh one.
      let picked: { index: number; worker: SandboxProcess } | null = null;
      for (const [index, queued] of this.queue.entries()) {
        const graphId = queued.invocation.graphId;
        const worker = idle.find((w) => w.graphId === graphId) ?? idle.find((w) => w.graphId === null);
        if (worker) {
          picked = { index, worker };
          break;
        }
      }
      if (!picked) {
        // Every idle worker has run another graph's code: replace one with a
        // fresh worker for the run that waits longest.
        idle[0]?.stop("replaced: the next run belongs to another graph");
        return;
      }
      const [next] = this.queue.splice(picked.index, 1);
      if (!next) return;
      this.startOn(picked.worker, next);
    }
  }

  private startOn(worker: SandboxProcess, next: QueuedRun): void {
    worker.graphId = next.invocation.graphId;
    const limit = next.invocation.timeLimitMs > 0 ? next.invocation.timeLimitMs : this.defaultTimeLimitMs;
    // Cancelled while running: the worker is killed (and replaced), like a run past its time limit.
    const cancel = () => worker.stop(CANCELLED);
    next.signal?.addEventListener("abort", cancel, { once: true });
    void worker.run(next.invocation, next.bridge, limit, next.onLog).then((result) => {
      next.signal?.removeEventListener("abort", cancel);
      next.resolve(result);
      this.dispatch();
    });
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
