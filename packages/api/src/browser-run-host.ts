import type { NodeRunRecord, RunStatus } from "@patchbay/db";
import type { BridgeRequest, BridgeResponse, Invocation, InvocationResult, LogEntry } from "@patchbay/runtime/protocol";

/** A browser run the server created and claimed: the tab runs `invocation` and must present `lease` on every call. */
export interface BrowserRunStart {
  nodeRun: NodeRunRecord;
  lease: string;
  invocation: Invocation;
}

/**
 * The host's answer to one bridge request. Refusals are answers, not API
 * errors: the tab hands them to the node's Python code, which raises them.
 */
export type BridgeAnswer = { ok: true; response: BridgeResponse } | { ok: false; code: string; message: string };

/**
 * The server side of node runs in the user's browser (apps/server
 * browser-runs.ts). The browser runs the code; the server keeps the run
 * record, checks every store request against the node's ports, fences
 * commits with the run's lease, and moves the wave on when the run ends.
 */
export interface BrowserRunHost {
  /** Creates a run and a claimed browser node run; refuses nodes that use secrets. */
  start(request: { graphId: string; nodeId: string; scope: "node" | "downstream"; startedBy: string | null }): Promise<BrowserRunStart>;
  /** Answers one store request of the running node (reads, and commits in one transaction). */
  bridge(nodeRunId: string, lease: string, request: BridgeRequest): Promise<BridgeAnswer>;
  /** Adds live log lines; returns the node run's status, so a tab learns its run was cancelled elsewhere. */
  appendLogs(nodeRunId: string, lease: string, logs: LogEntry[]): Promise<{ status: RunStatus }>;
  /** Records how the run ended and releases the steps of the wave that follow it. */
  finish(nodeRunId: string, lease: string, result: InvocationResult): Promise<NodeRunRecord>;
}
