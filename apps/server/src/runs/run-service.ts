import { executionOrder, GraphError, isStoreKind, resolvePorts, type GraphDocument, type GraphNode } from "@patchbay/graph";
import { createStoreBridge, type Database, type GraphRepository, type NodeRunRecord, type RunRepository, type RunTrigger } from "@patchbay/db";
import type { RunLauncher, RunScope } from "@patchbay/api";
import { sqlNodeProgram, type Invocation, type InvocationResult, type JsonValue, type LogEntry, type PortBinding, type WorkerPool } from "@patchbay/runtime";
import type { RunEventHub } from "./run-events.ts";

export interface RunServiceOptions {
  db: Database;
  graphs: GraphRepository;
  runs: RunRepository;
  pool: WorkerPool;
  events: RunEventHub;
  timeLimitMs: number;
}

const TRIGGER_OF_SCOPE: Record<RunScope, RunTrigger> = { node: "manual", downstream: "downstream", graph: "graph" };
// How often live logs of a running node are pushed to the browser.
const LOG_PUSH_INTERVAL_MS = 250;

/** The ports of a node with the names of the stores they are bound to. */
export function portBindings(doc: GraphDocument, node: GraphNode): PortBinding[] {
  const stores = new Map(doc.nodes.filter((n) => isStoreKind(n.kind)).map((n) => [n.id, n.title]));
  return resolvePorts(doc, node).map((port) => ({
    port: port.name,
    direction: port.direction,
    kind: port.kind,
    storeName: port.storeId ? (stores.get(port.storeId) ?? null) : null,
  }));
}

/**
 * Starts runs and carries them out: each run's nodes one after another in
 * dependency order, each node in a sandboxed worker of the pool.
 */
export class RunService implements RunLauncher {
  private readonly options: RunServiceOptions;
  private readonly active = new Set<Promise<void>>();

  constructor(options: RunServiceOptions) {
    this.options = options;
  }

  async start(request: { graphId: string; nodeId: string | null; scope: RunScope; startedBy: string | null }): Promise<{ runId: string }> {
    const { graphs, runs } = this.options;
    const graph = await graphs.get(request.graphId);
    if (request.scope !== "graph" && request.nodeId === null) throw new GraphError("node_required", "Say which node to run.");
    const order = executionOrder(graph.document, request.scope === "graph" ? null : request.nodeId, request.scope === "downstream");
    if (order.length === 0) throw new GraphError("nothing_to_run", "This graph has no Python or SQL nodes to run.");
    const { runId, nodeRuns } = await runs.createRun(graph.id, TRIGGER_OF_SCOPE[request.scope], order, "server", request.startedBy);
    for (const nodeRun of nodeRuns) this.publish(nodeRun);
    const byNode = new Map(nodeRuns.map((r) => [r.nodeId, r]));
    const ordered = order.map((id) => byNode.get(id)).filter((r): r is NodeRunRecord => r !== undefined);
    const task = this.execute(ordered).finally(() => this.active.delete(task));
    this.active.add(task);
    return { runId };
  }

  /** Waits for every run under way (used at shutdown and by tests). */
  async idle(): Promise<void> {
    while (this.active.size) await Promise.allSettled([...this.active]);
  }

  private publish(nodeRun: NodeRunRecord | null): void {
    if (nodeRun) this.options.events.publish(nodeRun.graphId, { type: "nodeRun", nodeRun });
  }

  private async execute(nodeRuns: NodeRunRecord[]): Promise<void> {
    let failedTitle: string | null = null;
    for (const nodeRun of nodeRuns) {
      if (failedTitle !== null) {
        this.publish(await this.options.runs.finish(nodeRun.id, "cancelled", { error: `Not run: upstream node "${failedTitle}" failed.` }));
        continue;
      }
      const { status, title } = await this.executeNodeRun(nodeRun);
      if (status === "failed") failedTitle = title;
    }
  }

  private async executeNodeRun(nodeRun: NodeRunRecord): Promise<{ status: "succeeded" | "failed"; title: string }> {
    const { db, graphs, runs, pool } = this.options;
    let title = nodeRun.nodeId;
    try {
      // The code is read when the node starts, so a run uses what was saved last.
      const graph = await graphs.get(nodeRun.graphId);
      const node = graph.document.nodes.find((n) => n.id === nodeRun.nodeId);
      if (!node) throw new GraphError("node_deleted", "The node was deleted before it could run.");
      title = node.title;
      if (node.kind !== "python" && node.kind !== "sql") throw new GraphError("kind_not_runnable", `"${node.title}" is a ${node.kind} node; only Python and SQL nodes run.`);
      this.publish(await runs.markRunning(nodeRun.id));
      const ports = portBindings(graph.document, node);
      const invocation: Invocation = {
        graphId: graph.id,
        nodeId: node.id,
        nodeTitle: node.title,
        nodeRunId: nodeRun.id,
        code: node.kind === "sql" ? sqlNodeProgram(node.code) : node.code,
        ports,
        parameters: jsonParameters(node.parameterValues),
        timeLimitMs: this.options.timeLimitMs,
      };
      const bridge = createStoreBridge(db, { graphId: graph.id, nodeId: node.id, nodeTitle: node.title, ports });
      const liveLogs: LogEntry[] = [];
      let lastPush = 0;
      const result: InvocationResult = await pool.run(invocation, bridge, (entry) => {
        liveLogs.push(entry);
        const now = Date.now();
        if (now - lastPush >= LOG_PUSH_INTERVAL_MS) {
          lastPush = now;
          this.publish({ ...nodeRun, status: "running", startedAt: new Date().toISOString(), logs: [...liveLogs] });
        }
      });
      this.publish(await runs.finish(nodeRun.id, result.status, result));
      return { status: result.status, title };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.publish(await runs.finish(nodeRun.id, "failed", { error: message }));
      return { status: "failed", title };
    }
  }
}

/** Parameter values as JSON (they were validated as a document on save). */
function jsonParameters(values: Record<string, unknown>): Record<string, JsonValue> {
  const parsed: unknown = JSON.parse(JSON.stringify(values));
  const result: Record<string, JsonValue> = {};
  if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
    for (const [key, value] of Object.entries(parsed)) result[key] = toJsonValue(value);
  }
  return result;
}

function toJsonValue(value: unknown): JsonValue {
  if (value === null || typeof value === "boolean" || typeof value === "number" || typeof value === "string") return value;
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonValue(v)]));
  return null;
}
