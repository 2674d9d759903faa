import { createRunPlan, finishStep, GraphError, isPlanFinished, nextSteps, parseRunPlan, type PlanMode, type RunPlan, type StepState } from "@patchbay/graph";
import type { Database, GraphRepository, NodeRunRecord, RunRepository, RunStatus, RunTrigger, SecretRepository, SqlRunner } from "@patchbay/db";
import type { RunLauncher, RunScope } from "@patchbay/api";
import type { LogEntry, NodeRunResult, WorkerPool } from "@patchbay/runtime";
import { executeNodeRun } from "./node-executor.ts";
import type { JobQueue, NodeRunJob } from "./job-queue.ts";
import type { RunEventHub } from "./run-events.ts";

export interface RunServiceOptions {
  db: Database;
  graphs: GraphRepository;
  runs: RunRepository;
  /** Resolves `${{ secret }}` parameter values at run time (absent: a node using one fails). */
  secrets?: SecretRepository;
  queue: JobQueue;
  events: RunEventHub;
  timeLimitMs: number;
  /** Passes on what successful runs sent with respond_to_request. */
  onResponses?: (responses: { requestKey: string; payload: unknown }[]) => Promise<void>;
}

export interface StartRequest {
  graphId: string;
  /** The node (or nodes) where the wave starts; null with scope "graph". */
  nodeId: string | string[] | null;
  scope: RunScope;
  startedBy: string | null;
  trigger?: RunTrigger;
  /** The first nodes wait until then (State.request_new_run(wait_atleast_seconds=…)). */
  notBefore?: Date;
  /** With scope "node": whether downstream nodes fed new data run too (default true). */
  includeDownstream?: boolean;
}

// How often the logs of a running node are saved and pushed to browsers.
const LOG_FLUSH_MS = 500;
// How often a running node checks whether it was cancelled.
const CANCEL_POLL_MS = 1_000;
// Longest wait before a retry, however many attempts came before.
const MAX_RETRY_DELAY_MS = 3_600_000;
// How long a node waits before trying again when its graph runs as many nodes as it may.
const BUSY_RETRY_MS = 1_000;
const TERMINAL_STATUSES: readonly string[] = ["succeeded", "failed", "cancelled"];

/**
 * Waves of node runs. Starting a run plans it (packages/graph run-plan.ts),
 * creates the node runs whose turn it is and enqueues them in one
 * transaction; whichever process works the queue runs each node in its
 * sandboxed pool, then, again in one transaction, records the step and
 * enqueues the next ones. A worker that dies leaves its job to be retried
 * elsewhere; the lease on the node run keeps the dead worker from committing.
 *
 * Scopes: "node" runs the node and then, reactively, each downstream node
 * whose inputs received new data; "downstream" and "graph" run every node
 * of the selection.
 */
export class RunService implements RunLauncher {
  private readonly options: RunServiceOptions;

  constructor(options: RunServiceOptions) {
    this.options = options;
  }

  async start(request: StartRequest): Promise<{ runId: string }> {
    const { db, graphs, runs, queue } = this.options;
    const graph = await graphs.get(request.graphId);
    if (request.scope !== "graph" && request.nodeId === null) throw new GraphError("node_required", "Say which node to run.");
    const mode: PlanMode = request.scope === "node" ? "reactive" : "all";
    const plan = createRunPlan(graph.document, request.scope === "graph" ? null : request.nodeId, request.includeDownstream ?? true, mode);
    if (plan.steps.length === 0) throw new GraphError("nothing_to_run", "This graph has no Python or SQL nodes to run.");
    const trigger: RunTrigger = request.trigger ?? (request.scope === "node" ? "manual" : request.scope === "downstream" ? "downstream" : "graph");
    const { runId, created } = await db.prisma.$transaction(async (tx) => {
      const runId = await runs.createRun(tx, graph.id, trigger, plan, request.startedBy);
      const created = await this.advance(tx, runId, graph.id, plan, request.notBefore);
      return { runId, created };
    });
    queue.wake();
    this.publishAll(graph.id, created);
    return { runId };
  }

  /** Cancels a run: steps not started never start; running nodes lose their lease and nothing they write is kept. */
  async cancel(runId: string): Promise<void> {
    const { db, runs } = this.options;
    const cancelled = await db.prisma.$transaction(async (tx) => {
      const run = await runs.lockRun(tx, runId);
      if (!run) throw new GraphError("unknown_run", `No run "${runId}".`);
      if (TERMINAL_STATUSES.includes(run.status)) return { graphId: run.graphId, ids: [] };
      const plan = parseRunPlan(run.plan);
      const steps = plan.steps.map((s) => (s.state === "pending" || s.state === "queued" ? { ...s, state: "cancelled" as StepState, reason: "cancelled" } : s));
      const ids = await runs.cancelNodeRuns(tx, runId);
      await runs.saveRun(tx, runId, { ...plan, steps }, "cancelled");
      return { graphId: run.graphId, ids };
    });
    this.publishAll(cancelled.graphId, cancelled.ids);
  }

  /**
   * Runs one node run job in this process's pool. Safe to call more than once
   * for the same node run: a finished one only moves its wave on.
   */
  async handleNodeRunJob(pool: WorkerPool, job: NodeRunJob): Promise<void> {
    const { runs, db, queue } = this.options;
    const claimed = await runs.claim(job.nodeRunId);
    if (claimed === "busy") {
      // The graph is at its concurrency limit: try again shortly, as a new job.
      await db.prisma.$transaction((tx) => queue.enqueueNodeRun(tx, job, new Date(Date.now() + BUSY_RETRY_MS)));
      return;
    }
    if (claimed === "done") {
      const nodeRun = await runs.getNodeRun(job.nodeRunId);
      if (nodeRun) await this.afterNodeRun(nodeRun);
      return;
    }
    const { nodeRun, lease } = claimed;
    this.publish(nodeRun);
    let status: RunStatus;
    let finished: NodeRunRecord | null;
    // Cancelling in any process marks the node run; this one notices and kills the sandbox.
    const cancelled = new AbortController();
    const watch = setInterval(() => {
      runs.statusOf(nodeRun.id).then(
        (status) => {
          if (status === "cancelled") cancelled.abort();
        },
        // A passing database error: the next tick asks again; the lease still fences commits.
        (error: unknown) => console.error(`Could not check node run ${nodeRun.id} for a cancel: ${String(error)}`),
      );
    }, CANCEL_POLL_MS);
    try {
      let lastFlush = 0;
      const { result } = await executeNodeRun(
        { db: this.options.db, graphs: this.options.graphs, runs: this.options.runs, pool, timeLimitMs: this.options.timeLimitMs, ...(this.options.secrets ? { secrets: this.options.secrets } : {}) },
        nodeRun,
        lease,
        (logs: LogEntry[]) => {
          const now = Date.now();
          if (now - lastFlush < LOG_FLUSH_MS) return;
          lastFlush = now;
          this.pushLiveLogs(nodeRun, logs).catch((error: unknown) => console.error(`Live logs of node run ${nodeRun.id} were not saved: ${String(error)}`));
        },
        cancelled.signal,
      );
      status = result.status;
      finished = await runs.finish(nodeRun.id, status, result, lease);
      if (finished?.status === "succeeded") await this.afterSuccess(finished, result);
    } catch (error) {
      status = "failed";
      finished = await runs.finish(nodeRun.id, status, { error: error instanceof Error ? error.message : String(error) }, lease);
    } finally {
      clearInterval(watch);
    }
    if (finished) {
      this.publish(finished);
      if (finished.status === "failed" && (await this.retry(finished))) return;
      await this.afterNodeRun(finished);
    }
  }

  /**
   * Queues the next attempt of a failed node run when its node allows
   * retries: the wave's step stays queued and waits for it.
   */
  private async retry(failed: NodeRunRecord): Promise<boolean> {
    const { db, runs, queue, graphs } = this.options;
    const graph = await graphs.get(failed.graphId).catch(() => null);
    const retries = graph?.document.nodes.find((n) => n.id === failed.nodeId)?.retries;
    if (!retries || failed.attempt > retries.count) return false;
    const delayMs = Math.min(retries.delaySeconds * 1000 * 2 ** (failed.attempt - 1), MAX_RETRY_DELAY_MS);
    const created = await db.prisma.$transaction(async (tx) => {
      const run = await runs.lockRun(tx, failed.runId);
      if (!run || TERMINAL_STATUSES.includes(run.status)) return null;
      const nodeRunId = await runs.createNodeRun(tx, failed.runId, failed.graphId, failed.nodeId, "server", failed.attempt + 1);
      await queue.enqueueNodeRun(tx, { nodeRunId, graphId: failed.graphId, nodeId: failed.nodeId }, new Date(Date.now() + delayMs));
      return nodeRunId;
    });
    if (created === null) return false;
    this.publishAll(failed.graphId, [created]);
    return true;
  }

  /** What a successful run asked for: answers to webhook requests, and another run of itself. */
  private async afterSuccess(nodeRun: NodeRunRecord, result: NodeRunResult): Promise<void> {
    if (result.responses.length > 0) await this.options.onResponses?.(result.responses).catch((error: unknown) => console.error(`Webhook responses of node run ${nodeRun.id} were lost: ${String(error)}`));
    const again = result.newRunRequest;
    if (again) {
      const notBefore = again.waitAtLeastSeconds ? new Date(Date.now() + again.waitAtLeastSeconds * 1000) : undefined;
      await this.start({
        graphId: nodeRun.graphId,
        nodeId: nodeRun.nodeId,
        scope: "node",
        includeDownstream: again.triggerDownstream,
        startedBy: `request_new_run:${nodeRun.id}`,
        trigger: "request",
        ...(notBefore ? { notBefore } : {}),
      }).catch((error: unknown) => console.error(`request_new_run of node run ${nodeRun.id} failed: ${String(error)}`));
    }
  }

  /** Waits until a run has finished and returns its node runs. */
  async waitForRun(runId: string, timeoutMs = 3_600_000): Promise<{ status: string; nodeRuns: NodeRunRecord[] }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const run = await this.options.db.prisma.run.findUnique({ where: { id: runId }, select: { status: true } });
      if (!run) throw new GraphError("unknown_run", `No run "${runId}".`);
      if (TERMINAL_STATUSES.includes(run.status)) return { status: run.status, nodeRuns: await this.options.runs.nodeRunsOfRun(runId) };
      if (Date.now() > deadline) throw new Error(`Run ${runId} did not finish in time.`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /**
   * Records a finished node run in its wave and enqueues the steps it
   * releases; also for runs that finished outside this queue (in a browser).
   */
  async afterNodeRun(nodeRun: NodeRunRecord): Promise<void> {
    if (!TERMINAL_STATUSES.includes(nodeRun.status)) return;
    const { db, runs, queue } = this.options;
    const created = await db.prisma.$transaction(async (tx) => {
      const run = await runs.lockRun(tx, nodeRun.runId);
      if (!run || TERMINAL_STATUSES.includes(run.status)) return [];
      let plan = parseRunPlan(run.plan);
      const step = plan.steps.find((s) => s.nodeId === nodeRun.nodeId);
      if (!step || step.state !== "queued") return [];
      const status = nodeRun.status === "succeeded" ? "succeeded" : nodeRun.status === "cancelled" ? "cancelled" : "failed";
      plan = finishStep(plan, nodeRun.nodeId, status);
      return this.advance(tx, nodeRun.runId, run.graphId, plan);
    });
    queue.wake();
    this.publishAll(nodeRun.graphId, created);
  }

  /** Moves a plan on: creates and enqueues the node runs now ready, saves the plan and the run's status. */
  private async advance(tx: SqlRunner, runId: string, graphId: string, plan: RunPlan, notBefore?: Date): Promise<string[]> {
    const { runs, queue } = this.options;
    const written = await runs.storesWrittenByNode(tx, runId);
    const next = nextSteps(plan, written);
    const created: string[] = [];
    for (const nodeId of next.ready) {
      const nodeRunId = await runs.createNodeRun(tx, runId, graphId, nodeId, "server");
      await queue.enqueueNodeRun(tx, { nodeRunId, graphId, nodeId }, notBefore);
      created.push(nodeRunId);
    }
    const states = next.plan.steps.map((s) => s.state);
    const status: RunStatus = !isPlanFinished(next.plan)
      ? states.some((s) => s === "succeeded" || s === "failed") ? "running" : "queued"
      : states.includes("failed") ? "failed" : states.every((s) => s === "cancelled") ? "cancelled" : "succeeded";
    await runs.saveRun(tx, runId, next.plan, status);
    return created;
  }


  private async pushLiveLogs(nodeRun: NodeRunRecord, logs: LogEntry[]): Promise<void> {
    await this.options.db.prisma.$executeRawUnsafe(`UPDATE "NodeRun" SET logs = $2::jsonb WHERE id = $1 AND status = 'running'`, nodeRun.id, JSON.stringify(logs.slice(-2_000)));
    this.publish(nodeRun);
  }

  private publish(nodeRun: NodeRunRecord): void {
    this.options.events.publish(nodeRun.graphId, nodeRun.id);
  }

  private publishAll(graphId: string, nodeRunIds: string[]): void {
    for (const id of nodeRunIds) this.options.events.publish(graphId, id);
  }
}

