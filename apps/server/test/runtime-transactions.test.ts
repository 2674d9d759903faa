import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStoreBridge, GraphRepository, WorkspaceRepository, type Database } from "@patchbay/db";
import { testDatabaseEngines } from "@patchbay/db/testing";
import { WorkerPool, type Invocation, type JsonRecord, type JsonValue, type LogEntry, type NodeRunResult, type PortBinding } from "@patchbay/runtime";

// A failed run of any kind (exception, log.error, time limit, a worker killed
// from outside) leaves the tables, stream cursors and node state exactly as
// its last checkpoint() left them: proved against the real database bridge
// and the real sandboxed worker pool.

const CACHE_DIR = join(tmpdir(), `patchbay-runtime-test-cache-${userInfo().uid}`);
let pool: WorkerPool;

beforeAll(async () => {
  pool = new WorkerPool({ size: 1, cacheDir: CACHE_DIR });
  await pool.start();
});

afterAll(async () => {
  await pool.close();
});

const stream = (port: string, direction: "input" | "output"): PortBinding => ({ port, direction, kind: "stream", storeName: port });
const table = (port: string, direction: "input" | "output"): PortBinding => ({ port, direction, kind: "table", storeName: port });

describe.each(testDatabaseEngines())("transactions on $name", (engine) => {
  let db: Database;
  let graphId: string;

  beforeAll(async () => {
    db = await engine.open();
    const workspace = await new WorkspaceRepository(db).ensureDefault();
    graphId = (await new GraphRepository(db).create(workspace.id, "Transactions")).id;
  });

  afterAll(async () => {
    await db?.close();
  });

  async function runNode(
    nodeId: string,
    code: string,
    ports: PortBinding[],
    options: { parameters?: Record<string, JsonValue>; timeLimitMs?: number; onLog?(entry: LogEntry): void } = {},
  ): Promise<NodeRunResult> {
    const invocation: Invocation = {
      graphId,
      nodeId,
      nodeTitle: nodeId,
      nodeRunId: `${nodeId}-${Date.now()}`,
      code,
      ports,
      parameters: options.parameters ?? {},
      timeLimitMs: options.timeLimitMs ?? 30_000,
    };
    return pool.run(invocation, createStoreBridge(db, { graphId, nodeId, nodeTitle: nodeId, ports }), options.onLog);
  }

  /** Every row of a store's active version, read through the bridge like a node would. */
  async function rows(storeName: string): Promise<JsonRecord[]> {
    const ports = [table(storeName, "input")];
    const bridge = createStoreBridge(db, { graphId, nodeId: "observer", nodeTitle: "observer", ports });
    const all: JsonRecord[] = [];
    for (;;) {
      const page = await bridge.call({ op: "readTable", port: storeName, offset: all.length, limit: 5000 });
      if (page.op !== "readTable") throw new Error("unexpected answer");
      all.push(...page.records);
      if (page.records.length < 5000) return all;
    }
  }

  async function cursorOf(nodeId: string, storeName: string): Promise<string | null> {
    const found = await db.prisma.$queryRawUnsafe<{ position: string }[]>(
      `SELECT c.position FROM "StreamCursor" c JOIN "Store" s ON s.id = c."storeId" WHERE s."graphId" = $1 AND s.name = $2 AND c."consumerNodeId" = $3`,
      graphId,
      storeName,
      nodeId,
    );
    return found[0]?.position ?? null;
  }

  async function stateOf(nodeId: string): Promise<unknown> {
    const found = await db.prisma.$queryRawUnsafe<{ state: unknown }[]>(`SELECT state FROM "NodeState" WHERE "graphId" = $1 AND "nodeId" = $2`, graphId, nodeId);
    return found[0]?.state ?? null;
  }

  async function writeStream(storeName: string, count: number): Promise<void> {
    const result = await runNode(`write_${storeName}`, `from patterns import Stream\nStream("${storeName}", "w").write([{"i": i} for i in range(${count})])\n`, [stream(storeName, "output")]);
    expect(result.error).toBeNull();
  }

  // The node checkpoints once (10 rows, 5 stream records, state step 1), then
  // writes, consumes and sets more, and fails in the way under test.
  const failingNode = (failure: string): string => `
from patterns import Stream, Table, State, log
src = Stream("src")
out = Table("out", "w")
state = State()
records = src.consume_records()
for _ in range(5):
    next(records)
out.append([{"n": i} for i in range(10)])
state.set_value("step", 1)
src.checkpoint()
print("checkpointed")
for _ in range(5):
    next(records)
out.append([{"n": i} for i in range(10, 20)])
state.set_value("step", 2)
${failure}
`;

  const failures: { name: string; code: string; timeLimitMs?: number; kill?: boolean; error: RegExp }[] = [
    { name: "a Python exception", code: "raise ValueError('boom after the checkpoint')", error: /ValueError: boom after the checkpoint/ },
    { name: "log.error", code: "log.error('giving up')", error: /The node logged an error: giving up/ },
    { name: "the time limit", code: "while True:\n    pass", timeLimitMs: 2000, error: /exceeded its time limit of 2 s/ },
    { name: "a worker killed mid-run", code: "while True:\n    pass", kill: true, error: /stopped unexpectedly \(signal SIGKILL\)/ },
  ];

  for (const [index, failure] of failures.entries()) {
    it(`rolls back to the last checkpoint after ${failure.name}`, async () => {
      const suffix = String(index);
      const srcName = `src_${suffix}`;
      const outName = `out_${suffix}`;
      await writeStream(srcName, 20);
      const ports: PortBinding[] = [
        { port: "src", direction: "input", kind: "stream", storeName: srcName },
        { port: "out", direction: "output", kind: "table", storeName: outName },
      ];
      const nodeId = `failing_${suffix}`;
      const result = await runNode(nodeId, failingNode(failure.code), ports, {
        ...(failure.timeLimitMs ? { timeLimitMs: failure.timeLimitMs } : {}),
        onLog: (entry) => {
          if (failure.kill && entry.message === "checkpointed") {
            const pid = pool.status().find((worker) => worker.busy)?.pid;
            if (pid !== undefined) process.kill(pid, "SIGKILL");
          }
        },
      });
      expect(result.status).toBe("failed");
      expect(result.error).toMatch(failure.error);

      // Exactly the checkpoint: 10 rows, the cursor after the 5th record, step 1.
      expect((await rows(outName)).map((row) => row["n"])).toEqual([...Array(10).keys()]);
      const source = await rows(srcName);
      expect(await cursorOf(nodeId, srcName)).toBe(source[4]?.["patterns_id"]);
      expect(await stateOf(nodeId)).toEqual({ step: 1 });

      // The next run continues from there.
      const next = await runNode(nodeId, `from patterns import Stream, State\nprint([r["i"] for r in Stream("src")], State().get_value("step"))\n`, ports);
      expect(next.error).toBeNull();
      expect(next.logs.map((entry) => entry.message)).toEqual([`${JSON.stringify([...Array(15).keys()].map((i) => i + 5)).replaceAll(",", ", ")} 1`]);
    });
  }

  it("delivers each of 1000 stream records exactly once across failed and killed runs", async () => {
    await writeStream("events", 1000);
    const ports: PortBinding[] = [stream("events", "input"), table("consumed", "output")];
    // Consumes in batches of 40, checkpointing each batch with its output;
    // `stop_after` checkpoints in, it fails the way `mode` says.
    const consumer = `
from patterns import Parameter, Stream, Table, log
mode = Parameter("mode", type=str, default="finish")
stop_after = Parameter("stop_after", type=int, default=-1)
src = Stream("events")
out = Table("consumed", "w")
batch = []
checkpoints = 0
for record in src.consume_records():
    batch.append({"i": record["i"]})
    if len(batch) == 40:
        out.append(batch)
        batch = []
        src.checkpoint()
        checkpoints += 1
        print(f"checkpoint {checkpoints}")
        if checkpoints == stop_after:
            # Half a batch more, never committed.
            for extra in range(20):
                batch.append({"i": next(iter(src))["i"]})
            out.append(batch)
            if mode == "raise":
                raise RuntimeError("failed mid-stream")
            if mode == "log_error":
                log.error("failed mid-stream")
                break
            while True:
                pass
out.append(batch)
`;
    const plan: { mode: string; stopAfter: number; timeLimitMs?: number }[] = [
      { mode: "raise", stopAfter: 3 },
      { mode: "kill", stopAfter: 2 },
      { mode: "log_error", stopAfter: 4 },
      { mode: "time_limit", stopAfter: 1, timeLimitMs: 3000 },
      { mode: "kill", stopAfter: 5 },
      { mode: "finish", stopAfter: -1 },
    ];
    for (const step of plan) {
      const result = await runNode("consumer", consumer, ports, {
        parameters: { mode: step.mode, stop_after: step.stopAfter },
        timeLimitMs: step.timeLimitMs ?? 30_000,
        onLog: (entry) => {
          if (step.mode === "kill" && entry.message === `checkpoint ${step.stopAfter}`) {
            // Let the node read on past its checkpoint, then kill its worker.
            setTimeout(() => {
              const pid = pool.status().find((worker) => worker.busy)?.pid;
              if (pid !== undefined) process.kill(pid, "SIGKILL");
            }, 100);
          }
        },
      });
      expect(result.status, `${step.mode}: ${result.error}`).toBe(step.mode === "finish" ? "succeeded" : "failed");
    }
    const consumed = (await rows("consumed")).map((row) => row["i"]);
    expect(consumed).toHaveLength(1000);
    expect([...consumed].sort((a, b) => Number(a) - Number(b))).toEqual([...Array(1000).keys()]);
  }, 120_000);
});
