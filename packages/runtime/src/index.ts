/**
 * @patchbay/runtime: the Python `patterns` module, the host-bridge contract,
 * and the executor that runs one node invocation in Pyodide.
 *
 * Browser code should import `loadPatternsRuntime` and `runNodeInvocation`
 * (no Node built-ins); the `server/` exports need Node.
 */
export * from "./protocol.ts";
export type { NewRunRequest, NodeRunResult, WebhookResponse } from "./node-run-result.ts";
export { PATTERNS_SITE_DIR, type RunOptions, loadPatternsRuntime, runNodeInvocation } from "./executor.ts";
export { parseBridgeRequest } from "./bridge-request.ts";
export { type CreatePyodideOptions, createPyodide, findPyodideDir } from "./server/create-pyodide.ts";
export { PATTERNS_PYTHON_DIR, readPatternsSources } from "./server/patterns-sources.ts";
export { WorkerPool, type WorkerPoolOptions } from "./server/worker-pool.ts";
export { sqlNodeProgram } from "./sql-node.ts";
