// `npm run bench:queue`: node invocations per second through the job queue
// with 1 and with 2 worker processes, on a PostgreSQL server
// (PATCHBAY_TEST_DATABASE_URL, a role that may create databases).
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { GraphNode } from "@patchbay/graph";
import { createServerDatabase } from "@patchbay/db/testing";
import { readEnv } from "../src/env.ts";
import { openServices } from "../src/services.ts";

const serverUrl = process.env["PATCHBAY_TEST_DATABASE_URL"];
if (!serverUrl) {
  console.error("Set PATCHBAY_TEST_DATABASE_URL to a PostgreSQL server, e.g. postgres://patchbay:patchbay@127.0.0.1:5432/postgres");
  process.exit(1);
}
const WORKER = fileURLToPath(new URL("../src/worker.ts", import.meta.url));
const NODES = 8;
const INVOCATIONS = 200;

const node = (id: string, code: string): GraphNode => ({ id, kind: "python", title: id, position: { x: 0, y: 0 }, code, inputs: {}, outputs: {}, parameterValues: {}, runtime: "server" });

async function measure(workerCount: number): Promise<number> {
  const created = await createServerDatabase(serverUrl ?? "");
  const services = await openServices(readEnv({ DATABASE_URL: created.url, SEED_EXAMPLE: "false" }), { work: false, seed: false });
  const workers: ChildProcess[] = [];
  try {
    const graphId = (await services.graphs.create(services.workspaceId, "Bench")).id;
    const changes = Array.from({ length: NODES }, (_, i) => ({ type: "addNode" as const, node: node(`n${i}`, `from patterns import Table\nTable("out_${i}", "w").append({"i": ${i}})\n`) }));
    await services.graphs.applyChanges(graphId, changes);
    for (let i = 0; i < NODES; i++) await services.graphs.applyChanges(graphId, [{ type: "addNode", node: { ...node(`out_${i}`, ""), kind: "table" } }]);
    for (let w = 0; w < workerCount; w++) {
      workers.push(spawn(process.execPath, [WORKER], { env: { PATH: process.env["PATH"] ?? "", DATABASE_URL: created.url, WORKERS: "1" }, stdio: "ignore" }));
    }
    // Warm up: every worker ready and every node run once.
    const warm = [];
    for (let i = 0; i < NODES; i++) warm.push((await services.runs.start({ graphId, nodeId: `n${i}`, scope: "node", startedBy: "bench" })).runId);
    for (const runId of warm) await services.runs.waitForRun(runId, 300_000);
    const started = performance.now();
    const runIds = [];
    for (let k = 0; k < INVOCATIONS; k++) runIds.push((await services.runs.start({ graphId, nodeId: `n${k % NODES}`, scope: "node", startedBy: "bench" })).runId);
    for (const runId of runIds) {
      const result = await services.runs.waitForRun(runId, 600_000);
      if (result.status !== "succeeded") throw new Error(`run ${runId} ${result.status}`);
    }
    return INVOCATIONS / ((performance.now() - started) / 1000);
  } finally {
    for (const worker of workers) worker.kill("SIGKILL");
    await services.close();
    await created.drop();
  }
}

const one = await measure(1);
const two = await measure(2);
console.log(`node invocations/s, ${INVOCATIONS} trivial invocations over ${NODES} nodes, PostgreSQL server:`);
console.log(`  1 worker process : ${one.toFixed(1)}/s`);
console.log(`  2 worker processes: ${two.toFixed(1)}/s (${(two / one).toFixed(2)}x)`);
