import { createRunPlan, GraphError, inferPorts, type GraphNode, type RunPlan } from "@patchbay/graph";
import { createStoreBridge, LeaseLostError, trimLogs, usesSecrets, type Database, type GraphRepository, type NodeRunRecord, type RunRepository, type RunStatus } from "@patchbay/db";
import type { BridgeAnswer, BrowserRunHost, BrowserRunStart } from "@patchbay/api";
import { BridgeError, sqlNodeProgram, type BridgeRequest, type HostBridge, type InvocationResult, type LogEntry } from "@patchbay/runtime";
import { jsonParameters, portBindings } from "./node-executor.ts";
import type { RunEventHub } from "./run-events.ts";
import type { RunService } from "./run-service.ts";

export interface BrowserRunsOptions {
  db: Database;
  graphs: GraphRepository;
  runs: RunRepository;
  runService: RunService;
  events: RunEventHub;
  /** The default wall-clock limit of a run (a node may set its own); the tab stops its worker then, the sweep gives up a little later. */
  timeLimitMs: number;
}

// Live log lines kept on a running node run (as for server runs); the finish replaces them all.
const MAX_LIVE_LOG_ENTRIES = 2_000;
// All log text of one finished run, in characters: a tab cannot make the server store more.
const MAX_LOG_CHARS = 4_000_000;
// A tab stops its run at the time limit; this long after it, the server stops waiting for the tab.
const STALE_GRACE_MS = 60_000;
const SWEEP_EVERY_MS = 30_000;
const MAX_CACHED_BRIDGES = 200;

/**
 * The server side of node runs in the user's browser. A browser run is a
 * normal Run with a NodeRun whose runtime is "browser": the server creates
 * and claims it (so it has a lease, like a server worker), answers its store
 * requests through the same store bridge as the sandbox (port checks; commits
 * fenced by the lease and applied in one transaction; the final commit sets
 * its committedAt, so it is never run twice), records the result and moves the wave on, so nodes fed
 * by new data run next, on the server.
 *
 * A tab that closes mid-run never commits again; `sweepStale` marks its node
 * run failed once the time limit (plus a grace period) has passed.
 */
export class BrowserRuns implements BrowserRunHost {
  private readonly options: BrowserRunsOptions;
  // Each request needs the node's ports; computing them anew means reading
  // the whole graph document, so they are kept per node run, as the sandbox
  // keeps the ports its invocation started with.
  private readonly bridges = new Map<string, { lease: string; bridge: HostBridge }>();

  constructor(options: BrowserRunsOptions) {
    this.options = options;
  }

  async start(request: { graphId: string; nodeId: string; scope: "node" | "downstream"; startedBy: string | null }): Promise<BrowserRunStart> {
    const { db, graphs, runs } = this.options;
    const graph = await graphs.get(request.graphId);
    const node = graph.document.nodes.find((n) => n.id === request.nodeId);
    if (!node) throw new GraphError("unknown_node", `No node "${request.nodeId}" in this graph.`);
    if (node.kind !== "python" && node.kind !== "sql") throw new GraphError("kind_not_runnable", `"${node.title}" is a ${node.kind} node; only Python and SQL nodes run.`);
    refuseSecrets(node);
    // As RunService.start plans it, but the first step is taken by this tab, not queued for a server worker.
    const mode = request.scope === "node" ? "reactive" : "all";
    const planned = createRunPlan(graph.document, node.id, true, mode);
    const plan: RunPlan = { ...planned, steps: planned.steps.map((s) => (s.nodeId === node.id ? { ...s, state: "queued" } : s)) };
    const trigger = request.scope === "node" ? "manual" : "downstream";
    const nodeRunId = await db.prisma.$transaction(async (tx) => {
      const runId = await runs.createRun(tx, graph.id, trigger, plan, request.startedBy);
      return runs.createNodeRun(tx, runId, graph.id, node.id, "browser");
    });
    // The browser uses the user's machine, not a server worker: the graph's concurrency limit does not apply.
    const claimed = await runs.claim(nodeRunId, { ignoreGraphLimit: true });
    if (claimed === "done" || claimed === "busy") throw new GraphError("not_started", `The browser run of "${node.title}" could not be started; try again.`);
    const ports = portBindings(graph.document, node);
    this.remember(nodeRunId, claimed.lease, createStoreBridge(db, { graphId: graph.id, nodeId: node.id, nodeTitle: node.title, ports, run: { nodeRunId, lease: claimed.lease } }));
    this.publish(claimed.nodeRun);
    return {
      nodeRun: claimed.nodeRun,
      lease: claimed.lease,
      invocation: {
        graphId: graph.id,
        nodeId: node.id,
        nodeTitle: node.title,
        nodeRunId,
        code: node.kind === "sql" ? sqlNodeProgram(node.code) : node.code,
        ports,
        parameters: jsonParameters(node.parameterValues),
        timeLimitMs: this.timeLimitOf(node),
      },
    };
  }

  async bridge(nodeRunId: string, lease: string, request: BridgeRequest): Promise<BridgeAnswer> {
    try {
      const held = await this.heldRun(nodeRunId, lease);
      const bridge = await this.bridgeOf(held, lease);
      const response = await bridge.call(request);
      // A commit changed what the node run shows (records out, stores written, maybe succeeded).
      if (request.op === "commit") this.options.events.publish(held.graphId, nodeRunId);
      return { ok: true, response };
    } catch (error) {
      if (error instanceof BridgeError) return { ok: false, code: error.code, message: error.message };
      throw error;
    }
  }

  async appendLogs(nodeRunId: string, lease: string, logs: LogEntry[]): Promise<{ status: RunStatus }> {
    const { db, runs } = this.options;
    const updated = await db.prisma.$executeRawUnsafe(
      `UPDATE "NodeRun" SET logs = (
          SELECT coalesce(jsonb_agg(t.e ORDER BY t.i), '[]'::jsonb)
            FROM jsonb_array_elements(logs || $3::jsonb) WITH ORDINALITY AS t(e, i)
           WHERE t.i > jsonb_array_length(logs || $3::jsonb) - $4)
        WHERE id = $1 AND lease = $2 AND runtime = 'browser' AND status = 'running'`,
      nodeRunId,
      lease,
      JSON.stringify(logs),
      MAX_LIVE_LOG_ENTRIES,
    );
    const nodeRun = await runs.getNodeRun(nodeRunId);
    if (!nodeRun) throw new GraphError("unknown_run", `No node run "${nodeRunId}".`);
    if (updated > 0 && logs.length > 0) this.publish(nodeRun);
    return { status: nodeRun.status };
  }

  async finish(nodeRunId: string, lease: string, result: InvocationResult): Promise<NodeRunRecord> {
    const { db, runs, runService } = this.options;
    const row = await db.prisma.nodeRun.findUnique({ where: { id: nodeRunId }, select: { lease: true, runtime: true } });
    if (!row || row.runtime !== "browser") throw new GraphError("unknown_run", `No browser run "${nodeRunId}".`);
    if (row.lease !== lease) throw new GraphError("lease_lost", "This browser run is held by another tab; its result was not recorded.");
    const logs = limitLogChars(trimLogs(result.logs), MAX_LOG_CHARS);
    // With the lease, as a server worker finishes: a run cancelled meanwhile stays cancelled.
    const finished = await runs.finish(nodeRunId, result.status, { logs, error: result.error, recordsRead: result.recordsRead }, lease);
    if (!finished) throw new GraphError("unknown_run", `No node run "${nodeRunId}".`);
    this.bridges.delete(nodeRunId);
    this.publish(finished);
    await runService.afterNodeRun(finished);
    return finished;
  }

  /**
   * Marks browser runs failed whose tab went away: still queued or running
   * well after their node's time limit. Returns how many it marked.
   */
  async sweepStale(now = new Date()): Promise<number> {
    const { db, graphs, runs, runService, timeLimitMs } = this.options;
    // Node time limits may be shorter or longer than the default: look closer at runs older than the shortest.
    const candidates = await db.prisma.nodeRun.findMany({
      where: { runtime: "browser", status: { in: ["queued", "running"] }, createdAt: { lt: new Date(now.getTime() - STALE_GRACE_MS) } },
      select: { id: true, graphId: true, nodeId: true, createdAt: true, startedAt: true },
    });
    let swept = 0;
    for (const candidate of candidates) {
      const node = (await graphs.get(candidate.graphId).catch(() => null))?.document.nodes.find((n) => n.id === candidate.nodeId);
      const limitMs = node ? this.timeLimitOf(node) : timeLimitMs;
      const since = candidate.startedAt ?? candidate.createdAt;
      if (since.getTime() + limitMs + STALE_GRACE_MS > now.getTime()) continue;
      const marked = await db.prisma.nodeRun.updateMany({
        where: { id: candidate.id, status: { in: ["queued", "running"] } },
        data: {
          status: "failed",
          finishedAt: now,
          error: `The browser tab running this node closed or stopped answering before the run ended (time limit ${Math.round(limitMs / 1000)} s). Nothing it had not saved with checkpoint() was kept. Run it again.`,
        },
      });
      if (marked.count === 0) continue;
      swept += 1;
      this.bridges.delete(candidate.id);
      const nodeRun = await runs.getNodeRun(candidate.id);
      if (!nodeRun) continue;
      this.publish(nodeRun);
      await runService.afterNodeRun(nodeRun);
    }
    return swept;
  }

  /** Sweeps now and every 30 s; returns the function that stops it. */
  startSweeping(): () => void {
    const sweep = () => {
      this.sweepStale().catch((error: unknown) => console.error(`Browser runs: the stale-run sweep failed: ${error instanceof Error ? error.message : String(error)}`));
    };
    sweep();
    const timer = setInterval(sweep, SWEEP_EVERY_MS);
    timer.unref();
    return () => clearInterval(timer);
  }

  private timeLimitOf(node: GraphNode): number {
    return node.timeLimitSeconds !== undefined ? node.timeLimitSeconds * 1000 : this.options.timeLimitMs;
  }

  /** The node run, if it is a browser run still running under this lease; otherwise the refusal the node sees. */
  private async heldRun(nodeRunId: string, lease: string): Promise<{ id: string; graphId: string; nodeId: string }> {
    const row = await this.options.db.prisma.nodeRun.findUnique({ where: { id: nodeRunId }, select: { id: true, graphId: true, nodeId: true, status: true, lease: true, runtime: true } });
    if (!row || row.runtime !== "browser") throw new BridgeError("unknown_run", `No browser run "${nodeRunId}".`);
    if (row.status === "cancelled") throw new LeaseLostError("The run was cancelled; its writes were not saved.");
    if (row.status !== "running" || row.lease !== lease) throw new LeaseLostError("This run is no longer held by this browser tab; its writes were not saved.");
    return row;
  }

  private async bridgeOf(run: { id: string; graphId: string; nodeId: string }, lease: string): Promise<HostBridge> {
    const cached = this.bridges.get(run.id);
    if (cached && cached.lease === lease) return cached.bridge;
    // Another API process started this run: rebuild the scope from the saved graph.
    const graph = await this.options.graphs.get(run.graphId);
    const node = graph.document.nodes.find((n) => n.id === run.nodeId);
    if (!node) throw new BridgeError("node_deleted", "The node was deleted while it ran; its writes were not saved.");
    const bridge = createStoreBridge(this.options.db, { graphId: graph.id, nodeId: node.id, nodeTitle: node.title, ports: portBindings(graph.document, node), run: { nodeRunId: run.id, lease } });
    this.remember(run.id, lease, bridge);
    return bridge;
  }

  private remember(nodeRunId: string, lease: string, bridge: HostBridge): void {
    // Runs whose tab vanished are never finished here: drop the oldest entries.
    while (this.bridges.size >= MAX_CACHED_BRIDGES) {
      const oldest = this.bridges.keys().next();
      if (oldest.done) break;
      this.bridges.delete(oldest.value);
    }
    this.bridges.set(nodeRunId, { lease, bridge });
  }

  private publish(nodeRun: NodeRunRecord): void {
    this.options.events.publish(nodeRun.graphId, nodeRun.id);
  }

}

/**
 * Secrets are only ever substituted on the server, so a node that uses one
 * cannot run in the browser: refuse before anything is created.
 */
function refuseSecrets(node: GraphNode): void {
  const reference = Object.entries(node.parameterValues).find(([, value]) => usesSecrets(value));
  const connection = node.kind === "python" ? inferPorts("python", node.code).parameters.find((p) => p.type === "connection") : undefined;
  const which = reference ? `parameter "${reference[0]}" refers to a secret` : connection ? `parameter "${connection.name}" is a Connection` : null;
  if (which) {
    throw new GraphError("secrets_stay_on_server", `Node "${node.title}" uses secrets (${which}); secrets never leave the server: run it on the server.`);
  }
}

/** Keeps the log text of a run under about `maxChars` by cutting long messages to an equal share each. */
export function limitLogChars(logs: LogEntry[], maxChars: number): LogEntry[] {
  const total = logs.reduce((n, entry) => n + entry.message.length, 0);
  if (total <= maxChars) return logs;
  const share = Math.max(200, Math.floor(maxChars / Math.max(1, logs.length)));
  return logs.map((entry) => (entry.message.length > share ? { ...entry, message: `${entry.message.slice(0, share)}… (cut)` } : entry));
}
