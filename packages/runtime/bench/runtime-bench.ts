/**
 * Rough timings of the runtime: Pyodide start-up in this process and in a
 * sandbox worker, and the latency of small node runs (`npm run bench:runtime`).
 */
import { runNodeInvocation } from "../src/executor.ts";
import type { BridgeRequest, BridgeResponse, HostBridge, Invocation } from "../src/protocol.ts";
import { createPyodide } from "../src/server/create-pyodide.ts";
import { WorkerPool } from "../src/server/worker-pool.ts";

const RUNS = 50;

/** Answers every request with an empty store, and counts commits. */
const bridge: HostBridge = {
  async call(request: BridgeRequest): Promise<BridgeResponse> {
    switch (request.op) {
      case "storeInfo":
        return { op: "storeInfo", info: { exists: false, recordCount: 0, columns: [], sqlName: null, cursor: null } };
      case "readTable":
      case "readSql":
      case "readStream":
        return { op: request.op, records: [] };
      case "getState":
        return { op: "getState", state: {} };
      case "commit":
        return { op: "commit", recordsWritten: request.writes.length };
    }
  },
};

const invocation: Invocation = {
  graphId: "bench",
  nodeId: "bench",
  nodeTitle: "bench",
  nodeRunId: "bench",
  code: 'from patterns import Table\nout = Table("out", "w")\nout.append([{"i": i} for i in range(100)])\nprint("ok")\n',
  ports: [{ port: "out", direction: "output", kind: "table", storeName: "out" }],
  parameters: {},
  timeLimitMs: 60_000,
};

async function time<T>(label: string, action: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await action();
  console.log(`${label}: ${(performance.now() - started).toFixed(0)} ms`);
  return result;
}

const pyodide = await time("in-process Pyodide + patterns start-up", () => createPyodide());
await time(`${RUNS} in-process runs`, async () => {
  for (let i = 0; i < RUNS; i += 1) await runNodeInvocation(pyodide, invocation, bridge);
});

const pool = new WorkerPool({ size: 2 });
await time("worker pool start-up (2 sandboxed workers)", () => pool.start());
await time(`${RUNS} runs through the pool, 2 at a time`, async () => {
  const runs = Array.from({ length: RUNS }, () => pool.run(invocation, bridge));
  const results = await Promise.all(runs);
  const failed = results.filter((result) => result.status !== "succeeded");
  if (failed.length > 0) throw new Error(`Bench runs failed: ${failed[0]?.error}`);
});
await pool.close();
