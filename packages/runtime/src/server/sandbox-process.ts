import { type ChildProcess, fork } from "node:child_process";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { parseBridgeRequest } from "../bridge-request.ts";
import { MAX_LOG_ENTRIES } from "../log-entry.ts";
import type { NodeRunResult } from "../node-run-result.ts";
import { BridgeError, type HostBridge, type Invocation, type LogEntry } from "../protocol.ts";
import { sandboxExecArgv } from "./sandbox-exec-args.ts";
import { type PackageFile, type PoolMessage, parseWorkerMessage } from "./worker-messages.ts";

const WORKER_ENTRY = fileURLToPath(new URL("./sandbox-worker.ts", import.meta.url));
const MEMORY_POLL_MS = 200;
const STDERR_TAIL_CHARS = 4_000;

export interface SandboxProcessOptions {
  pyodideDir: string;
  /** Memory snapshot to start from (made by ensureRuntimeSnapshot); null: boot Python (slower). */
  snapshotPath: string | null;
  /** Folder of downloaded package files, which the worker may read. */
  packagesDir: string;
  /** Fetches the packages providing these import names into packagesDir; throws an Error for the node. */
  preparePackages(imports: string[]): Promise<PackageFile[]>;
  /** Caps the process: V8 heap flag, and its resident memory is watched during runs. */
  memoryLimitMb: number | null;
}

interface CurrentRun {
  bridge: HostBridge;
  onLog: ((entry: LogEntry) => void) | undefined;
  logs: LogEntry[];
  started: number;
  finish(result: NodeRunResult): void;
}

/**
 * One sandbox worker process: Node's permission model (reads only of the
 * Pyodide and runtime folders; no writes, child processes, network, workers or
 * addons), no JavaScript compiled from strings, an empty environment, and
 * SIGKILL for runs past their limits.
 */
export class SandboxProcess {
  readonly ready: Promise<void>;
  private readonly child: ChildProcess;
  private readonly memoryLimitMb: number | null;
  private readonly preparePackages: (imports: string[]) => Promise<PackageFile[]>;
  private current: CurrentRun | null = null;
  private readonly probes = new Map<number, (pythonMs: number) => void>();
  private lastProbeId = 0;
  /** The graph whose code this worker has run (null: none yet). */
  graphId: string | null = null;
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  private stopping = false;
  private stderrTail = "";
  private readonly exitListeners: (() => void)[] = [];

  constructor(options: SandboxProcessOptions) {
    this.memoryLimitMb = options.memoryLimitMb;
    this.preparePackages = options.preparePackages;
    const pyodideDir = withSlash(options.pyodideDir);
    const packagesDir = withSlash(options.packagesDir);
    const execArgv = sandboxExecArgv([pyodideDir, packagesDir, ...(options.snapshotPath ? [options.snapshotPath] : [])], options.memoryLimitMb);
    this.child = fork(WORKER_ENTRY, [pyodideDir, options.snapshotPath ?? "", packagesDir], {
      env: {},
      execArgv,
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      serialization: "json",
    });
    this.child.stdout?.resume();
    this.child.stderr?.setEncoding("utf8");
    this.child.stderr?.on("data", (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-STDERR_TAIL_CHARS);
    });

    let markReady: () => void = () => {};
    let markFailed: (error: Error) => void = () => {};
    this.ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      markFailed = reject;
    });
    this.child.on("message", (raw: unknown) => {
      const message = parseWorkerMessage(raw);
      if (message?.type === "ready") markReady();
      else this.handle(raw);
    });
    this.child.on("exit", (code, signal) => {
      this.exitInfo = { code, signal };
      const how = signal ? `signal ${signal}` : `exit code ${code}`;
      markFailed(new Error(`The sandbox worker failed to start (${how}): ${this.stderrTail.trim() || "no output"}`));
      this.current?.finish(this.failure(`The worker running this node stopped unexpectedly (${how})`));
      for (const listener of this.exitListeners) listener();
    });
    // Avoid an unhandled rejection when nobody waits for start-up.
    this.ready.catch(() => {});
  }

  get busy(): boolean {
    return this.current !== null;
  }

  /** False from the moment the worker is being killed. */
  get alive(): boolean {
    return this.exitInfo === null && !this.stopping;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  onExit(listener: () => void): void {
    if (this.exitInfo) listener();
    else this.exitListeners.push(listener);
  }

  /** Runs one invocation; the promise always resolves, failures are results. */
  run(invocation: Invocation, bridge: HostBridge, timeLimitMs: number, onLog?: (entry: LogEntry) => void): Promise<NodeRunResult> {
    if (this.current) throw new Error("SandboxProcess.run: the worker is busy");
    return new Promise<NodeRunResult>((resolve) => {
      const timer = setTimeout(() => {
        this.stop(`Run stopped: it exceeded its time limit of ${formatSeconds(timeLimitMs)} s`);
      }, timeLimitMs);
      const memoryWatch = this.memoryLimitMb === null ? null : setInterval(() => void this.checkMemory(), MEMORY_POLL_MS);
      this.current = {
        bridge,
        onLog,
        logs: [],
        started: Date.now(),
        finish: (result) => {
          clearTimeout(timer);
          if (memoryWatch) clearInterval(memoryWatch);
          this.current = null;
          resolve(result);
        },
      };
      this.send({ type: "run", invocation });
    });
  }

  /** Times a bare `runPython("None")` round trip on this idle worker (benchmarks). */
  probe(): Promise<{ roundTripMs: number; pythonMs: number }> {
    if (this.current) throw new Error("SandboxProcess.probe: the worker is busy");
    this.lastProbeId += 1;
    const id = this.lastProbeId;
    const started = performance.now();
    return new Promise((resolve) => {
      this.probes.set(id, (pythonMs) => resolve({ roundTripMs: performance.now() - started, pythonMs }));
      this.send({ type: "probe", id });
    });
  }

  /** Kills the worker; a run in progress fails with reason. */
  stop(reason: string): void {
    this.stopping = true;
    const current = this.current;
    if (current) current.finish(this.failure(reason));
    this.child.kill("SIGKILL");
  }

  /** Kills the worker and waits until it is gone. */
  async close(): Promise<void> {
    if (this.exitInfo) return;
    const exited = new Promise<void>((resolve) => this.onExit(resolve));
    this.stop("The worker pool was closed during the run");
    await exited;
  }

  private handle(raw: unknown): void {
    const message = parseWorkerMessage(raw);
    const current = this.current;
    if (!message || message.type === "ready") {
      this.stop("The worker running this node sent a malformed message and was stopped");
      return;
    }
    if (message.type === "probeResult") {
      this.probes.get(message.id)?.(message.pythonMs);
      this.probes.delete(message.id);
      return;
    }
    if (!current) return; // A late message of a run that already ended.
    switch (message.type) {
      case "log":
        this.addLog(current, message.entry);
        break;
      case "bridge":
        void this.answerBridge(current, message.id, message.request);
        break;
      case "packages":
        void this.answerPackages(current, message.id, message.imports);
        break;
      case "done":
        current.finish({ ...message.result, logs: current.logs });
        // An interpreter that loaded native modules cannot be reset: replace it.
        if (message.retire !== null) this.stop(`retired: ${message.retire}`);
        break;
    }
  }

  private addLog(run: CurrentRun, entry: LogEntry): void {
    if (run.logs.length > MAX_LOG_ENTRIES) return;
    const kept: LogEntry =
      run.logs.length === MAX_LOG_ENTRIES
        ? { level: "warn", message: `More than ${MAX_LOG_ENTRIES} log entries: the rest were dropped`, time: Date.now() }
        : entry;
    run.logs.push(kept);
    run.onLog?.(kept);
  }

  private async answerBridge(run: CurrentRun, id: number, request: unknown): Promise<void> {
    let reply: PoolMessage;
    try {
      const response = await run.bridge.call(parseBridgeRequest(typeof request === "string" ? parseJson(request) : request));
      reply = { type: "bridgeResult", id, response };
    } catch (error) {
      // Only a BridgeError's message is meant for node code; other errors may
      // carry host details.
      reply =
        error instanceof BridgeError
          ? { type: "bridgeResult", id, error: { code: error.code, message: error.message } }
          : { type: "bridgeResult", id, error: { code: "host_error", message: "The host failed to answer this request" } };
    }
    if (this.current === run) this.send(reply);
  }

  private async answerPackages(run: CurrentRun, id: number, imports: string[]): Promise<void> {
    let reply: PoolMessage;
    try {
      reply = { type: "packagesResult", id, packages: await this.preparePackages(imports) };
    } catch (error) {
      reply = { type: "packagesResult", id, error: error instanceof Error ? error.message : String(error) };
    }
    if (this.current === run) this.send(reply);
  }

  private async checkMemory(): Promise<void> {
    const limit = this.memoryLimitMb;
    const pid = this.child.pid;
    if (limit === null || pid === undefined || !this.current) return;
    const rssMb = await readResidentMb(pid);
    if (rssMb !== null && rssMb > limit && this.current) {
      this.stop(`Run stopped: it used more than its memory limit of ${limit} MB`);
    }
  }

  private failure(error: string): NodeRunResult {
    const run = this.current;
    return {
      status: "failed",
      logs: run?.logs ?? [],
      error,
      recordsRead: 0,
      recordsWritten: 0,
      durationMs: run ? Date.now() - run.started : 0,
      newRunRequest: null,
      responses: [],
    };
  }

  private send(message: PoolMessage): void {
    if (this.child.connected) this.child.send(message);
  }
}

/** JSON text from a worker; malformed text is the worker's fault, reported to its node. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new BridgeError("bad_request", "Bad bridge request: not valid JSON");
  }
}

function withSlash(dir: string): string {
  return dir.endsWith("/") ? dir : `${dir}/`;
}

function formatSeconds(ms: number): string {
  return String(Math.round(ms / 100) / 10);
}

/** Resident memory of a process in MB (Linux), or null when it cannot be read. */
async function readResidentMb(pid: number): Promise<number | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, "utf8");
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match?.[1] ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}
