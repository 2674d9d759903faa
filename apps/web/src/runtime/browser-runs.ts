import type { InvocationResult, LogEntry } from "@patchbay/runtime/protocol";
import { api, type NodeRunDto } from "../api/client.ts";
import { PythonRuntime, RuntimeDisposedError } from "./python-runtime.ts";

/**
 * Runs nodes whose runtime is "browser" in this tab. The server creates and
 * claims the node run (a normal NodeRun with runtime "browser") and answers
 * every store request, so port checks, lease fencing and commit
 * transactions are the server's; this tab only runs the code, shows its
 * logs as they come, sends them to the server now and then, and reports
 * the result, after which the server runs what is downstream.
 */

// How often live logs go to the server (which stores and pushes them to other tabs),
// and how often this tab redraws them itself.
const LOG_UPLOAD_MS = 1_000;
const LOCAL_REDRAW_MS = 150;
// The server keeps at most this many lines per run; the first and last half are kept.
const MAX_SENT_LOG_ENTRIES = 5_000;
// A run that neither finishes nor answers stops this long after its time limit.
const TIME_LIMIT_GRACE_MS = 2_000;

export interface BrowserRunRequest {
  graphId: string;
  nodeId: string;
  scope: "node" | "downstream";
  /** Receives the node run whenever this tab learns something new about it (status, live logs, result). */
  onRun(run: NodeRunDto): void;
}

interface ActiveRun {
  cancel(): void;
}

// One warm worker is kept between runs (Python takes seconds to start);
// runs at the same time each get their own, as a node may run for long.
let idle: PythonRuntime | null = null;
const active = new Map<string, ActiveRun>();

/** Starts Python in the background so that the first browser run starts at once. */
export function prewarmBrowserRuntime(): void {
  idle ??= new PythonRuntime();
}

function takeRuntime(): PythonRuntime {
  const runtime = idle && idle.stage !== "failed" && idle.stage !== "disposed" ? idle : new PythonRuntime();
  idle = null;
  return runtime;
}

function giveBack(runtime: PythonRuntime): void {
  if (idle === null && runtime.stage === "ready") idle = runtime;
  else runtime.dispose();
}

/**
 * Asks the server for a browser run of the node and starts it in a worker.
 * Resolves once the run exists (the run goes on in the background); rejects
 * when the server refuses it (e.g. the node uses secrets).
 */
export async function runNodeInBrowser(request: BrowserRunRequest): Promise<void> {
  const started = await api.runtime.startBrowserRun.mutate({ graphId: request.graphId, nodeId: request.nodeId, scope: request.scope });
  request.onRun(started.nodeRun);
  void execute(request, started);
}

/**
 * Stops a browser run of this tab: terminates its worker at once (a node
 * stuck in `while True` included). The caller marks it cancelled on the
 * server (runs.cancel); nothing the run had not committed is kept.
 */
export function stopBrowserRun(nodeRunId: string): boolean {
  const run = active.get(nodeRunId);
  run?.cancel();
  return run !== undefined;
}

async function execute(request: BrowserRunRequest, started: Awaited<ReturnType<typeof api.runtime.startBrowserRun.mutate>>): Promise<void> {
  const { nodeRun, lease, invocation } = started;
  const nodeRunId = nodeRun.id;
  const logs: LogEntry[] = [];
  let uploaded = 0;
  let stopped: "cancelled" | "time limit" | "cancelled elsewhere" | null = null;
  const runtime = takeRuntime();
  const coldStart = runtime.stage !== "ready";

  const stop = (why: NonNullable<typeof stopped>) => {
    if (stopped) return;
    stopped = why;
    runtime.dispose();
  };
  active.set(nodeRunId, { cancel: () => stop("cancelled") });

  // Live logs: redrawn here from the worker, uploaded to the server now and then.
  let redrawTimer: ReturnType<typeof setTimeout> | null = null;
  const redraw = () => {
    redrawTimer ??= setTimeout(() => {
      redrawTimer = null;
      if (!stopped) request.onRun({ ...nodeRun, logs: [...logs] });
    }, LOCAL_REDRAW_MS);
  };
  const upload = async () => {
    const batch = logs.slice(uploaded, uploaded + 2_000);
    uploaded += batch.length;
    try {
      const { status } = await api.runtime.appendLogs.mutate({ nodeRunId, lease, logs: batch });
      // Cancelled from another tab, or given up on by the server: stop working for nothing.
      if (status === "cancelled" || status === "failed") stop("cancelled elsewhere");
    } catch {
      // The server will have the logs at the finish; a missed upload only delays other tabs.
    }
  };
  const uploadTimer = setInterval(() => void upload(), LOG_UPLOAD_MS);
  const limitTimer = setTimeout(() => stop("time limit"), invocation.timeLimitMs + TIME_LIMIT_GRACE_MS);

  let result: InvocationResult;
  try {
    const startupMs = await runtime.ready;
    if (coldStart) logs.push({ level: "debug", message: `Started Python in this browser tab in ${(startupMs / 1000).toFixed(1)} s`, time: Date.now() });
    result = await runtime.run(invocation, {
      bridge: (requestJson) => api.runtime.bridge.mutate({ nodeRunId, lease, request: parseJson(requestJson) }),
      onLog: (entry) => {
        logs.push(entry);
        redraw();
      },
    });
  } catch (error) {
    // Widened on purpose: TypeScript cannot see that the callbacks above assign `stopped`.
    const why: string | null = stopped;
    if (why === "time limit") {
      result = failedResult(`The run took longer than its time limit of ${Math.round(invocation.timeLimitMs / 1000)} s and was stopped. Nothing it had not saved with checkpoint() was kept.`);
    } else if (why !== null || !(error instanceof Error) || error instanceof RuntimeDisposedError) {
      result = failedResult("The run was stopped.");
    } else {
      result = failedResult(error.message);
    }
  } finally {
    clearInterval(uploadTimer);
    clearTimeout(limitTimer);
    if (redrawTimer) clearTimeout(redrawTimer);
    active.delete(nodeRunId);
  }
  const stoppedFor: string | null = stopped;
  if (stoppedFor === null) giveBack(runtime);
  if (stoppedFor === "cancelled" || stoppedFor === "cancelled elsewhere") {
    // A cancelled run is recorded by runs.cancel (finishing it here could only race with that).
    // Its worker is gone: start the next one now, as the person will likely run again soon.
    prewarmBrowserRuntime();
    return;
  }
  try {
    const finished = await api.runtime.finishBrowserRun.mutate({ nodeRunId, lease, result: { ...result, logs: logsForServer(logs) } });
    request.onRun(finished);
  } catch (error) {
    // The server did not take the result (e.g. it gave up on this run): show what it has.
    const [latest] = await api.runs.nodeRuns.query({ graphId: request.graphId, nodeId: request.nodeId, limit: 1 }).catch(() => []);
    if (latest) request.onRun(latest);
    console.warn(`The result of browser run ${nodeRunId} was not recorded: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function failedResult(error: string): InvocationResult {
  return { status: "failed", logs: [], error, recordsRead: 0, recordsWritten: 0, durationMs: 0 };
}

function parseJson(text: string): unknown {
  try {
    const value: unknown = JSON.parse(text);
    return value;
  } catch {
    return null;
  }
}

/** The lines the server keeps (it trims the same way), so a chatty node does not send megabytes for nothing. */
function logsForServer(logs: LogEntry[]): LogEntry[] {
  if (logs.length <= MAX_SENT_LOG_ENTRIES) return logs;
  const half = MAX_SENT_LOG_ENTRIES / 2;
  const marker: LogEntry = { level: "warn", message: `… ${logs.length - MAX_SENT_LOG_ENTRIES} log lines left out …`, time: logs[half]?.time ?? Date.now() };
  return [...logs.slice(0, half), marker, ...logs.slice(-half)];
}
