import type { Database, GraphRepository, NodeRunRecord, RunRepository, WebhookRepository } from "@patchbay/db";

export type RunScope = "node" | "downstream" | "graph";

/** Starts runs; implemented by the server (queue, workers). */
export interface RunLauncher {
  start(request: { graphId: string; nodeId: string | null; scope: RunScope; startedBy: string | null }): Promise<{ runId: string }>;
  cancel(runId: string): Promise<void>;
}

export type RunEvent = { type: "nodeRun"; nodeRun: NodeRunRecord };

/** Live run events of one graph, as an async stream that ends when `signal` aborts. */
export interface RunEventSource {
  subscribe(graphId: string, signal: AbortSignal | undefined): AsyncIterable<RunEvent>;
}

/** What every procedure gets: the caller's workspace and the services it may use. */
export interface ApiContext {
  db: Database;
  workspaceId: string;
  graphs: GraphRepository;
  runs: RunRepository;
  launcher: RunLauncher;
  events: RunEventSource;
  webhooks: WebhookRepository;
  /** Called after a graph was changed or deleted (keeps its schedules in step). */
  afterGraphChange(graphId: string): Promise<void>;
}
