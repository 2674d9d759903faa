import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LogEntry } from "../src/protocol.ts";
import { WorkerPool } from "../src/server/worker-pool.ts";
import { invocation, output, TEST_RUNTIME_CACHE_DIR } from "./helpers.ts";
import { MemoryBridge } from "./memory-bridge.ts";

// Real sandboxed child processes running real Pyodide; one pool for the file.
const SECRET = "patchbay-test-secret-value";
let pool: WorkerPool;

beforeAll(async () => {
  process.env.PATCHBAY_TEST_SECRET = SECRET;
  pool = new WorkerPool({ size: 2, cacheDir: TEST_RUNTIME_CACHE_DIR });
  await pool.start();
});

afterAll(async () => {
  await pool.close();
  delete process.env.PATCHBAY_TEST_SECRET;
});

describe("WorkerPool", () => {
  it("runs a node, streams its prints and commits its writes", async () => {
    const bridge = new MemoryBridge([output("out")]);
    const streamed: LogEntry[] = [];
    const result = await pool.run(
      invocation(
        `
        from patterns import Table
        print("hello from the sandbox")
        Table("out", "w").append([{"n": 1}, {"n": 2}])
        `,
        bridge.ports,
      ),
      bridge,
      (entry) => streamed.push(entry),
    );
    expect(result.error).toBeNull();
    expect(result.status).toBe("succeeded");
    expect(result.recordsWritten).toBe(2);
    expect(result.logs.map((entry) => entry.message)).toEqual(["hello from the sandbox"]);
    expect(streamed).toEqual(result.logs);
    expect(bridge.records("out").map((record) => record.n)).toEqual([1, 2]);
  });

  it("reports a Python exception with the node's line number", async () => {
    const bridge = new MemoryBridge([]);
    const result = await pool.run(
      invocation("total = 0\nfor n in range(3):\n    total += n\nraise KeyError('missing column')\n", [], { nodeTitle: "orders_generator" }),
      bridge,
    );
    expect(result.status).toBe("failed");
    expect(result.error).toBe(
      [
        "Traceback (most recent call last):",
        '  File "<node orders_generator>", line 4, in <module>',
        "    raise KeyError('missing column')",
        "KeyError: 'missing column'",
      ].join("\n"),
    );
  });

  it("queues runs when every worker is busy", async () => {
    const bridge = new MemoryBridge([]);
    const results = await Promise.all(
      [1, 2, 3, 4].map((n) => pool.run(invocation(`import time\ntime.sleep(0.2)\nprint(${n})`), bridge)),
    );
    expect(results.map((result) => result.logs.map((entry) => entry.message))).toEqual([["1"], ["2"], ["3"], ["4"]]);
  });

  it("kills a run that passes its time limit, and keeps working", async () => {
    const bridge = new MemoryBridge([]);
    const started = Date.now();
    const result = await pool.run(invocation("print('spinning')\nwhile True:\n    pass\n", [], { timeLimitMs: 2000 }), bridge);
    expect(result.status).toBe("failed");
    expect(result.error).toBe("Run stopped: it exceeded its time limit of 2 s");
    expect(Date.now() - started).toBeLessThan(5000);
    const after = await pool.run(invocation("print('still here')"), bridge);
    expect(after.logs.map((entry) => entry.message)).toEqual(["still here"]);
  });

  it("fails the run of a worker that dies, and replaces the worker", async () => {
    const bridge = new MemoryBridge([]);
    let killed: number | undefined;
    // Once the node has started (its first log), kill its worker from outside.
    const result = await pool.run(invocation("import time\nprint('started')\ntime.sleep(30)\n"), bridge, () => {
      killed = pool.status().find((worker) => worker.busy)?.pid;
      if (killed !== undefined) process.kill(killed, "SIGKILL");
    });
    expect(killed).toBeDefined();
    expect(result.status).toBe("failed");
    expect(result.error).toBe("The worker running this node stopped unexpectedly (signal SIGKILL)");
    expect(result.logs.map((entry) => entry.message)).toEqual(["started"]);
    const after = await Promise.all([1, 2].map(() => pool.run(invocation("print('replaced')"), bridge)));
    expect(after.map((run) => run.status)).toEqual(["succeeded", "succeeded"]);
    expect(pool.status()).toHaveLength(2);
    expect(pool.status().map((worker) => worker.pid)).not.toContain(killed);
  });
});

describe("the sandbox", () => {
  const escapes: [string, string, string][] = [
    ["reading a server file", "print(open('/etc/passwd').read())", "FileNotFoundError"],
    ["importing js", "import js\nprint(js.process.env)", "access to the host's JavaScript is not allowed in Patchbay nodes"],
    ["run_js", "from pyodide.code import run_js\nrun_js('process.exit(1)')", "access to the host's JavaScript is not allowed in Patchbay nodes"],
    ["subprocess", "import subprocess\nsubprocess.run(['id'])", "emscripten does not support processes"],
    ["os.system", "import os\nos.system('id')", "running programs is not allowed in Patchbay nodes"],
    [
      "compiling JavaScript through a proxy",
      "from patterns import State\nf = State()._invocation._bridge_call.constructor.constructor\nf.new('return process.env')()",
      "Code generation from strings disallowed",
    ],
  ];
  for (const [name, code, error] of escapes) {
    it(`refuses ${name}`, async () => {
      const result = await pool.run(invocation(code), new MemoryBridge([]));
      expect(result.status).toBe("failed");
      expect(result.error).toContain(error);
    });
  }

  it("gives node code an empty environment", async () => {
    const result = await pool.run(invocation("import os\nprint(sorted(os.environ))\nprint(os.environ.get('PATCHBAY_TEST_SECRET'))"), new MemoryBridge([]));
    const output = result.logs.map((entry) => entry.message).join("\n");
    expect(output).not.toContain(SECRET);
    expect(output).toContain("None");
  });
});

describe("the memory limit", () => {
  it("stops a run whose worker grows past the limit", async () => {
    const small = new WorkerPool({ size: 1, memoryLimitMb: 400, cacheDir: TEST_RUNTIME_CACHE_DIR });
    try {
      await small.start();
      const result = await small.run(
        invocation("import time\nchunks = []\nfor i in range(40):\n    chunks.append(bytearray(50 * 1024 * 1024))\n    time.sleep(0.05)\n"),
        new MemoryBridge([]),
      );
      expect(result.status).toBe("failed");
      expect(result.error).toBe("Run stopped: it used more than its memory limit of 400 MB");
    } finally {
      await small.close();
    }
  });
});
