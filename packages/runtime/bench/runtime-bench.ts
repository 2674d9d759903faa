/**
 * Runtime benchmark (`npm run bench:runtime`): warm invocation overhead, worker
 * start-up with and without the memory snapshot, Table.append and stream
 * consumption throughput through the real database bridge, and pure-Python
 * CPU speed in Pyodide against the machine's python3. Set
 * PATCHBAY_TEST_DATABASE_URL to measure on a PostgreSQL server too.
 *
 * It imports @patchbay/db (which depends on this package) only here, to
 * measure the server's real path.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { createStoreBridge, GraphRepository, WorkspaceRepository, type Database } from "@patchbay/db";
import { testDatabaseEngines } from "@patchbay/db/testing";
import type { NodeRunResult } from "../src/node-run-result.ts";
import type { HostBridge, Invocation, PortBinding } from "../src/protocol.ts";
import { createPyodide } from "../src/server/create-pyodide.ts";
import { WorkerPool } from "../src/server/worker-pool.ts";

const WARM_RUNS = 200;
const ROWS = 100_000;
const cacheDir = mkdtempSync(join(tmpdir(), "patchbay-bench-"));

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

const ms = (value: number): string => `${value.toFixed(1)} ms`;
const rate = (rows: number, elapsedMs: number): string => `${Math.round(rows / (elapsedMs / 1000)).toLocaleString("en-US")} rows/s`;

function line(label: string, value: string): void {
  console.log(`${label.padEnd(58)} ${value}`);
}

async function timed<T>(action: () => Promise<T>): Promise<{ value: T; elapsedMs: number }> {
  const started = performance.now();
  const value = await action();
  return { value, elapsedMs: performance.now() - started };
}

function check(result: NodeRunResult, what: string): void {
  if (result.status !== "succeeded") throw new Error(`${what} failed: ${result.error}`);
}

async function openGraph(db: Database): Promise<string> {
  const workspace = await new WorkspaceRepository(db).ensureDefault();
  return (await new GraphRepository(db).create(workspace.id, `Bench ${Date.now()}`)).id;
}

function invocationOf(graphId: string, nodeId: string, code: string, ports: PortBinding[]): Invocation {
  return { graphId, nodeId, nodeTitle: nodeId, nodeRunId: `${nodeId}-run`, code, ports, parameters: {}, timeLimitMs: 600_000 };
}

/** Time spent in the database bridge's commits during the last runOn. */
let lastCommitMs = 0;

async function runOn(pool: WorkerPool, db: Database, graphId: string, nodeId: string, code: string, ports: PortBinding[]): Promise<NodeRunResult> {
  const bridge = createStoreBridge(db, { graphId, nodeId, nodeTitle: nodeId, ports });
  lastCommitMs = 0;
  const timedBridge: HostBridge = {
    async call(request) {
      if (request.op !== "commit") return bridge.call(request);
      const { value, elapsedMs } = await timed(() => bridge.call(request));
      lastCommitMs += elapsedMs;
      return value;
    },
  };
  return pool.run(invocationOf(graphId, nodeId, code, ports), timedBridge);
}

console.log(`Patchbay runtime benchmark — ${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores (${cpus()[0]?.model ?? "unknown CPU"}), Node ${process.version}`);
console.log();

// --- worker start-up ----------------------------------------------------------
{
  // The first start makes the snapshot (once per Pyodide/runtime version, then cached).
  const first = await timed(async () => {
    const pool = new WorkerPool({ size: 1, cacheDir });
    await pool.start();
    await pool.close();
  });
  line("first pool start (makes the memory snapshot)", ms(first.elapsedMs));
  const withSnapshot: number[] = [];
  const withoutSnapshot: number[] = [];
  for (let i = 0; i < 3; i += 1) {
    for (const [snapshot, times] of [[true, withSnapshot], [false, withoutSnapshot]] as const) {
      const pool = new WorkerPool({ size: 1, cacheDir, snapshot });
      const { elapsedMs } = await timed(() => pool.start());
      times.push(elapsedMs);
      await pool.close();
    }
  }
  const fast = percentile(withSnapshot, 50);
  const slow = percentile(withoutSnapshot, 50);
  line("new worker ready, with snapshot (median of 3)", ms(fast));
  line("new worker ready, without snapshot (median of 3)", ms(slow));
  line("  ratio without / with", `${(slow / fast).toFixed(1)}×   (target: ready ≤ 1500 ms)`);
}

// --- per engine: overhead, append, stream ---------------------------------------
for (const engine of testDatabaseEngines()) {
  console.log();
  console.log(`Database: ${engine.name}`);
  const db = await engine.open();
  const pool = new WorkerPool({ size: 1, cacheDir });
  try {
    await pool.start();
    const graphId = await openGraph(db);

    // Warm invocation overhead: a node that does nothing, end to end through
    // the pool (IPC, sandbox, fresh globals, reset) with the database bridge.
    for (let i = 0; i < 20; i += 1) check(await runOn(pool, db, graphId, "trivial", "x = 1\n", []), "warm-up");
    const overhead: number[] = [];
    for (let i = 0; i < WARM_RUNS; i += 1) {
      const { value, elapsedMs } = await timed(() => runOn(pool, db, graphId, "trivial", "x = 1\n", []));
      check(value, "trivial node");
      overhead.push(elapsedMs);
    }
    const bare: number[] = [];
    for (let i = 0; i < WARM_RUNS; i += 1) bare.push((await pool.probe()).roundTripMs);
    line(`trivial node, warm worker (${WARM_RUNS} runs) p50 / p95`, `${ms(percentile(overhead, 50))} / ${ms(percentile(overhead, 95))}   (target p50 ≤ 25 ms)`);
    line("bare runPython('None') on the same worker, p50 / p95", `${ms(percentile(bare, 50))} / ${ms(percentile(bare, 95))}`);

    // Table.append of ROWS rows, committed through the bridge.
    const out: PortBinding[] = [{ port: "out", direction: "output", kind: "table", storeName: "bench_append" }];
    const appendCode = `from patterns import Table\nTable("out", "w").append([{"id": i, "name": f"row {i}", "price": i * 0.5, "ok": i % 2 == 0} for i in range(${ROWS})])\n`;
    const append = await timed(() => runOn(pool, db, graphId, "append", appendCode, out));
    check(append.value, "append");
    line(`Table.append of ${ROWS.toLocaleString("en-US")} rows (whole run)`, rate(ROWS, append.elapsedMs));
    line("  of which the database commit (createStoreBridge)", `${ms(lastCommitMs)} of ${ms(append.elapsedMs)}`);

    // The same rows as a bare multi-row INSERT through the same driver.
    await db.prisma.$executeRawUnsafe(`CREATE TABLE IF NOT EXISTS bench_bare (id bigint, name text, price double precision, ok boolean)`);
    await db.prisma.$executeRawUnsafe(`TRUNCATE bench_bare`);
    const insert = await timed(() =>
      db.prisma.$transaction(
        async (tx) => {
          for (let start = 0; start < ROWS; start += 5000) {
            const values: string[] = [];
            for (let i = start; i < Math.min(ROWS, start + 5000); i += 1) values.push(`(${i}, 'row ${i}', ${i * 0.5}, ${i % 2 === 0})`);
            await tx.$executeRawUnsafe(`INSERT INTO bench_bare (id, name, price, ok) VALUES ${values.join(", ")}`);
          }
        },
        { timeout: 600_000 },
      ),
    );
    line(`bare multi-row INSERT of ${ROWS.toLocaleString("en-US")} rows (same driver)`, rate(ROWS, insert.elapsedMs));
    line("  append / bare insert", `${(insert.elapsedMs / append.elapsedMs).toFixed(2)}×   (target ≥ 0.5×)`);

    // Consuming a stream of ROWS records.
    const events: PortBinding[] = [{ port: "events", direction: "output", kind: "stream", storeName: "bench_events" }];
    check(await runOn(pool, db, graphId, "produce", `from patterns import Stream\nStream("events", "w").write([{"i": i} for i in range(${ROWS})])\n`, events), "produce");
    const consumerPorts: PortBinding[] = [{ port: "events", direction: "input", kind: "stream", storeName: "bench_events" }];
    const consume = await timed(() =>
      runOn(pool, db, graphId, "consume", `from patterns import Stream\nn = 0\nfor record in Stream("events"):\n    n += 1\nassert n == ${ROWS}, n\n`, consumerPorts),
    );
    check(consume.value, "consume");
    line(`consuming a ${ROWS.toLocaleString("en-US")}-record stream (whole run)`, rate(ROWS, consume.elapsedMs));
  } finally {
    await pool.close();
    await db.close();
  }
}

// --- CPU: Pyodide against python3 -------------------------------------------------
{
  console.log();
  const workload = `
import time
def work():
    total = 0
    for i in range(3_000_000):
        total = (total + i * i) % 1_000_003
    words = {}
    for i in range(200_000):
        key = "k" + str(i % 1000)
        words[key] = words.get(key, 0) + 1
    return total, len(words)
started = time.perf_counter()
work()
elapsed = time.perf_counter() - started
`;
  const pyodide = await createPyodide();
  pyodide.runPython(workload);
  const inPyodide = Number(pyodide.runPython("elapsed")) * 1000;
  let native = NaN;
  try {
    native = Number(execFileSync("python3", ["-c", `${workload}\nprint(elapsed)`], { encoding: "utf8" }).trim()) * 1000;
  } catch {
    // No python3 on this machine.
  }
  line("pure-Python CPU workload in Pyodide", ms(inPyodide));
  line("the same workload in python3", Number.isNaN(native) ? "python3 not found" : `${ms(native)}   (Pyodide / python3: ${(inPyodide / native).toFixed(2)}×)`);
}

rmSync(cacheDir, { recursive: true, force: true });
