import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GraphNode } from "@patchbay/graph";
import { signUpOwner, type ApiClient } from "../auth-client.ts";
import { changedTables, fingerprintStored } from "./fingerprint.ts";
import { expectServing, hostileEngines, startHostileApp, type HostileApp } from "./hostile-app.ts";
import { Tally } from "./tally.ts";

// Node code that attacks the host by exhausting it, through the real app:
// loops spawning threads, runaway recursion, exponential memory, ten million
// rows, millions of log lines, values that are not JSON. Each run ends
// (failed with a clear error, or succeeded within the limits), nothing it did
// not commit is visible, stored logs stay bounded, and the server keeps
// serving throughout. Sandbox escapes: runtime-escapes.test.ts.

const tally = new Tally("node-code");
afterAll(() => tally.save());

const MAX_STORED_LOG_ENTRIES = 10_001;
const MAX_STORED_LOG_MESSAGE = 16_100;

describe.each(hostileEngines({ postgres: false }))("hostile node code on $name", (engine) => {
  let hostile: HostileApp;
  let client: ApiClient;
  let graphId: string;
  let nodeCount = 0;

  beforeAll(async () => {
    hostile = await startHostileApp(engine, { RUN_TIME_LIMIT_SECONDS: "120" });
    client = (await signUpOwner(hostile.app.url)).client;
    graphId = (await client.graphs.create.mutate({ title: "Hostile code" })).id;
    await client.graphs.applyChanges.mutate({
      id: graphId,
      changes: [{ type: "addNode", node: { id: "out", kind: "table", title: "out", position: { x: 900, y: 0 }, code: "", inputs: {}, outputs: {}, parameterValues: {}, runtime: "server" } }],
    });
  }, 180_000);

  afterAll(async () => {
    await hostile?.close();
  });

  interface NodeResult {
    status: string;
    error: string | null;
    logs: { message: string }[];
    recordsOut: number;
    /** Slowest answer of /healthz plus graphs.list while the node ran, in ms. */
    slowestAnswerMs: number;
  }

  /** Adds a Python node with this code (port `out` bound to the table "out"), runs it, and probes the server while it runs. */
  async function runNode(code: string, extra: Partial<GraphNode> = {}, waitMs = 150_000): Promise<NodeResult> {
    nodeCount += 1;
    const id = `hostile_${nodeCount}`;
    const node: GraphNode = { id, kind: "python", title: id, position: { x: 0, y: nodeCount * 120 }, code, inputs: {}, outputs: {}, parameterValues: {}, runtime: "server", ...extra };
    await client.graphs.applyChanges.mutate({
      id: graphId,
      changes: [{ type: "addNode", node }, ...(code.includes('Table("out", "w")') ? [{ type: "bindPort" as const, nodeId: id, direction: "output" as const, port: "out", storeId: "out" }] : [])],
    });
    const { runId } = await client.runs.start.mutate({ graphId, nodeId: id, scope: "node" });
    let slowestAnswerMs = 0;
    const deadline = Date.now() + waitMs;
    while (Date.now() < deadline) {
      const started = Date.now();
      expect((await fetch(`${hostile.app.url}/healthz`, { signal: AbortSignal.timeout(30_000) })).status).toBe(200);
      const latest = (await client.runs.latestByNode.query({ graphId }))[id];
      slowestAnswerMs = Math.max(slowestAnswerMs, Date.now() - started);
      if (latest && latest.runId === runId && latest.status !== "queued" && latest.status !== "running") {
        return { status: latest.status, error: latest.error, logs: latest.logs, recordsOut: latest.recordsOut, slowestAnswerMs };
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`node ${id} did not finish within ${waitMs / 1000} s`);
  }

  const outRows = async () => (await client.stores.preview.query({ graphId, storeName: "out", limit: 1 })).total ?? 0;

  const failures: { name: string; code: string; extra?: Partial<GraphNode>; error: RegExp }[] = [
    { name: "a loop starting threads", code: "import threading\nwhile True:\n    threading.Thread(target=lambda: None).start()", error: /RuntimeError|can't start new thread|not supported/i },
    { name: "fork()", code: "import os\nwhile True:\n    os.fork()", error: /OSError|not supported|not allowed|has no attribute 'fork'/i },
    { name: "runaway recursion with the limit lifted", code: "import sys\nsys.setrecursionlimit(10**8)\ndef f(n):\n    return f(n + 1)\nf(0)", error: /RecursionError|Maximum call stack|memory limit of \d+ MB|stopped unexpectedly/i },
    { name: "while True past its time limit", code: "while True:\n    pass", extra: { timeLimitSeconds: 3 }, error: /exceeded its time limit of 3 s/ },
    { name: "exponential memory (doubling a bytes object)", code: 's = b"x"\nwhile True:\n    s = s + s', error: /MemoryError|memory limit of \d+ MB/ },
    { name: "memory held in a list", code: "chunks = []\nwhile True:\n    chunks.append(bytearray(50_000_000))", error: /MemoryError|memory limit of \d+ MB/ },
    { name: "a value that is not JSON (an object)", code: 'from patterns import Table\nTable("out", "w").append({"x": object()})', error: /cannot store object in Table 'out'\.append\(\)/ },
    { name: "a list that contains itself", code: 'from patterns import Table\nloop = []\nloop.append(loop)\nTable("out", "w").append({"x": loop})', error: /RecursionError|circular|cannot store/i },
    { name: "a row with a NUL character", code: 'from patterns import Table\nTable("out", "w").append([{"x": "fine"}, {"x": "a\\x00b"}])', error: /"out" holds a NUL character \(\\u0000\) at \[1\]\.x, which PostgreSQL cannot store/ },
    { name: "a row with 5,000 columns", code: 'from patterns import Table\nTable("out", "w").append({f"c{i}": i for i in range(5000)})', error: /have 5000 different keys; a table may have at most 1599 columns/ },
    { name: "a 100-character column name", code: 'from patterns import Table\nTable("out", "w").append({"k" * 100: 1})', error: /is 100 bytes; PostgreSQL allows 63/ },
    { name: "a row that is a list", code: 'from patterns import Table\nTable("out", "w").append([[1, 2, 3]])', error: /record 0 is a list, not a dict/ },
  ];

  for (const attempt of failures) {
    it(`ends clearly and stores nothing: ${attempt.name}`, async () => {
      tally.attempt();
      const before = await fingerprintStored(hostile.app.services.db);
      const result = await runNode(attempt.code, attempt.extra);
      expect(result.status, result.logs.map((l) => l.message).join("\n")).toBe("failed");
      expect(result.error).toMatch(attempt.error);
      tally.refused();
      // Only the run's own bookkeeping changed: no store, cursor or state.
      const changed = changedTables(before, await fingerprintStored(hostile.app.services.db)).filter((t) => !["Graph", "Run", "NodeRun"].includes(t));
      expect(changed).toEqual([]);
      tally.intact();
      expect(result.slowestAnswerMs).toBeLessThan(10_000);
    }, 200_000);
  }

  it("stores values JSON cannot hold as converted JSON, or refuses them clearly", async () => {
    for (const value of ["{1, 2}", 'float("nan")', 'float("inf")', 'b"\\xff\\x00"', "complex(1, 2)", '{1: "int key"}']) {
      tally.attempt();
      const result = await runNode(`from patterns import Table\nTable("out", "w").append({"x": ${value}})`);
      if (result.status === "failed") {
        expect(result.error, value).toMatch(/cannot store|PatternsError|NUL/);
        tally.refused();
      } else {
        expect(result.status, value).toBe("succeeded");
        // Whatever was stored reads back as JSON.
        const page = await client.stores.preview.query({ graphId, storeName: "out", limit: 500 });
        expect(JSON.parse(JSON.stringify(page.rows))).toEqual(page.rows);
      }
    }
  }, 300_000);

  it("writes ten million rows within the limits, or is refused with a clear error and keeps nothing", async () => {
    tally.attempt();
    const before = await outRows();
    const code = 'from patterns import Table\nout = Table("out", "w")\nfor b in range(1000):\n    out.append([{"i": b * 10000 + j} for j in range(10000)])\nprint("all appended")';
    const result = await runNode(code, { timeLimitSeconds: 100 });
    console.log(`Ten million rows: the run ${result.status}${result.error ? `: ${result.error.split("\n").at(-1) ?? ""}` : ""}; slowest server answer meanwhile ${result.slowestAnswerMs} ms.`);
    if (result.status === "succeeded") {
      expect(await outRows()).toBe(before + 10_000_000);
    } else {
      expect(result.status).toBe("failed");
      expect(result.error).toMatch(/limit is 5000000|commit_too_large|memory limit of \d+ MB|MemoryError|exceeded its time limit/);
      expect(await outRows()).toBe(before);
      tally.refused();
      tally.intact();
    }
    expect(result.slowestAnswerMs).toBeLessThan(10_000);
  }, 200_000);

  it("keeps stored logs bounded when a node prints a million lines and megabyte lines", async () => {
    tally.attempt();
    const result = await runNode('for i in range(1_000_000):\n    print(i)\nfor i in range(20):\n    print("x" * 1_000_000)\nprint("done")', { timeLimitSeconds: 100 });
    expect(["succeeded", "failed"]).toContain(result.status);
    if (result.status === "failed") expect(result.error).toMatch(/exceeded its time limit/);
    expect(result.logs.length).toBeLessThanOrEqual(MAX_STORED_LOG_ENTRIES);
    expect(Math.max(...result.logs.map((l) => l.message.length))).toBeLessThanOrEqual(MAX_STORED_LOG_MESSAGE);
    const stored = await hostile.app.services.db.prisma.$queryRawUnsafe<{ bytes: number }[]>(`SELECT max(pg_column_size(logs))::int AS bytes FROM "NodeRun"`);
    expect(stored[0]?.bytes ?? 0).toBeLessThan(20_000_000);
    tally.refused();
    expect(result.slowestAnswerMs).toBeLessThan(10_000);
  }, 200_000);

  it("keeps serving and running nodes afterwards", async () => {
    await expectServing(hostile.app, client);
    const result = await runNode('from patterns import Table\nTable("out", "w").append({"ok": True})\nprint("still fine")');
    expect(result.error).toBeNull();
    expect(result.status).toBe("succeeded");
  }, 200_000);
});
