import { GraphError, inferPorts, isStoreKind, resolvePorts, type GraphDocument, type GraphNode } from "@patchbay/graph";
import { createSecretMasker, createStoreBridge, resolveSecretReferences, type Database, type GraphRepository, type NodeRunRecord, type SecretRepository, type RunRepository, type SecretValue } from "@patchbay/db";
import { sqlNodeProgram, type JsonValue, type LogEntry, type NodeRunResult, type PortBinding, type WorkerPool } from "@patchbay/runtime";

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

export interface NodeExecution {
  result: NodeRunResult;
}

/**
 * Runs one claimed node run in a sandboxed worker of the pool, with the
 * database bridge limited to the node's ports and fenced by the run's lease.
 */
export async function executeNodeRun(
  deps: { db: Database; graphs: GraphRepository; runs: RunRepository; pool: WorkerPool; timeLimitMs: number; secrets?: SecretRepository },
  nodeRun: NodeRunRecord,
  lease: string,
  onLog: (logs: LogEntry[]) => void,
  signal?: AbortSignal,
): Promise<NodeExecution> {
  // The code is read when the node starts, so a run uses what was saved last.
  const graph = await deps.graphs.get(nodeRun.graphId);
  const node = graph.document.nodes.find((n) => n.id === nodeRun.nodeId);
  if (!node) throw new GraphError("node_deleted", "The node was deleted before it could run.");
  await deps.runs.setCodeVersion(nodeRun.id, node.code);
  if (node.kind !== "python" && node.kind !== "sql") throw new GraphError("kind_not_runnable", `"${node.title}" is a ${node.kind} node; only Python and SQL nodes run.`);
  const ports = portBindings(graph.document, node);
  const bridge = createStoreBridge(deps.db, { graphId: graph.id, nodeId: node.id, nodeTitle: node.title, ports, run: { nodeRunId: nodeRun.id, lease } });
  // Secrets are read and put into the parameters only now, inside the run; every
  // secret value of the workspace is masked in what the run logs, wherever it came from.
  const secrets = deps.secrets ? await deps.secrets.readAll(graph.workspaceId) : new Map<string, SecretValue>();
  const mask = createSecretMasker(secrets);
  const parameters = resolveSecretReferences(node.parameterValues, secrets, connectionParameters(node));
  const logs: LogEntry[] = [];
  const result = await deps.pool.run(
    {
      graphId: graph.id,
      nodeId: node.id,
      nodeTitle: node.title,
      nodeRunId: nodeRun.id,
      code: node.kind === "sql" ? sqlNodeProgram(node.code) : node.code,
      ports,
      parameters: jsonParameters(parameters),
      timeLimitMs: node.timeLimitSeconds !== undefined ? node.timeLimitSeconds * 1000 : deps.timeLimitMs,
    },
    bridge,
    (entry) => {
      logs.push({ ...entry, message: mask(entry.message) });
      onLog(logs);
    },
    signal,
  ).catch((error: unknown) => {
    if (error instanceof Error) error.message = mask(error.message);
    throw error;
  });
  const masked = { ...result, logs: result.logs.map((entry) => ({ ...entry, message: mask(entry.message) })), error: result.error === null ? null : mask(result.error) };
  return { result: masked };
}

/** The node's parameters declared as `Connection("kind")`: their value may be a bare connection name. */
function connectionParameters(node: GraphNode): Set<string> {
  if (node.kind !== "python") return new Set();
  return new Set(inferPorts("python", node.code).parameters.filter((p) => p.type === "connection").map((p) => p.name));
}

/** Parameter values as JSON (they were validated as part of the document). */
export function jsonParameters(values: Record<string, unknown>): Record<string, JsonValue> {
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, toJsonValue(value)]));
}

function toJsonValue(value: unknown): JsonValue {
  if (value === null || typeof value === "boolean" || typeof value === "string") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonValue(v)]));
  return null;
}
