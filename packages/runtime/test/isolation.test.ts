import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NodeRunResult } from "../src/node-run-result.ts";
import { WorkerPool } from "../src/server/worker-pool.ts";
import { invocation, TEST_RUNTIME_CACHE_DIR } from "./helpers.ts";
import { MemoryBridge } from "./memory-bridge.ts";

// One warm worker runs node after node: nothing one run changes in the
// interpreter may be seen by the next.
let pool: WorkerPool;

beforeAll(async () => {
  pool = new WorkerPool({ size: 1, cacheDir: TEST_RUNTIME_CACHE_DIR });
  await pool.start();
});

afterAll(async () => {
  await pool.close();
});

async function run(code: string, graphId = "graph-1"): Promise<{ result: NodeRunResult; pid: number | undefined }> {
  let pid: number | undefined;
  const result = await pool.run(invocation(code, [], { graphId }), new MemoryBridge([]), () => {
    pid ??= pool.status().find((worker) => worker.busy)?.pid;
  });
  return { result, pid };
}

function printed(result: NodeRunResult): string[] {
  return result.logs.map((entry) => entry.message);
}

describe("a warm worker", () => {
  it("does not carry monkeypatches, module state or sys settings into the next run", async () => {
    const first = await run(`
      import builtins, csv, json, os, sys, warnings
      import patterns, patterns.table
      print("first")
      patterns.Table = None
      patterns.table.Table.append = None
      json.dumps = lambda *args, **kwargs: "hacked"
      csv.leaked = "yes"
      builtins.leaked = "yes"
      sys.path.insert(0, "/evil")
      os.environ["LEAKED"] = "yes"
      warnings.simplefilter("error")
      sys.setrecursionlimit(50)
      secret = "from the first run"
    `);
    expect(first.result.error).toBeNull();

    const second = await run(`
      import builtins, csv, json, os, sys, warnings
      import patterns
      from patterns import Table
      print("second")
      print(Table is not None and callable(Table.append))
      print(json.dumps({"a": 1}))
      print(hasattr(csv, "leaked"), hasattr(builtins, "leaked"), "/evil" in sys.path)
      print(os.environ.get("LEAKED"), sys.getrecursionlimit() > 50)
      print("secret" in globals())
      warnings.warn("only a warning")
    `);
    expect(second.result.error).toBeNull();
    expect(second.pid).toBe(first.pid);
    // The warning is printed (as a warning), not turned into an error.
    expect(printed(second.result).slice(0, 7)).toEqual(["second", "True", '{"a": 1}', "False False False", "None True", "False", expect.stringContaining("UserWarning: only a warning")]);
  });

  it("cancels callbacks a run scheduled for later", async () => {
    const first = await run(`
      import asyncio, sys
      asyncio.get_event_loop().call_later(0.2, lambda: setattr(sys.modules["json"], "late", "leaked"))
      print("scheduled")
    `);
    expect(first.result.error).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const second = await run("import json\nprint(hasattr(json, 'late'))");
    expect(printed(second.result)).toEqual(["False"]);
  });

  it("runs another graph's node only on a fresh worker", async () => {
    const mine = await run("print('graph 1')");
    const other = await run("print('graph 2')", "graph-2");
    expect(other.result.error).toBeNull();
    expect(other.pid).toBeDefined();
    expect(other.pid).not.toBe(mine.pid);
    const back = await run("print('graph 1 again')");
    expect(back.pid).not.toBe(other.pid);
  });
});
