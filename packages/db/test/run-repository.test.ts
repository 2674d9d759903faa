import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStoreBridge, GraphRepository, RunRepository, WorkspaceRepository, type Database } from "../src/index.ts";
import { testDatabaseEngines } from "../src/testing.ts";

describe.each(testDatabaseEngines())("node run claims on $name", (engine) => {
  let db: Database;
  let runs: RunRepository;
  let graphId: string;

  beforeAll(async () => {
    db = await engine.open();
    runs = new RunRepository(db);
    const workspace = await new WorkspaceRepository(db).ensureDefault();
    graphId = (await new GraphRepository(db).create(workspace.id, "Claims")).id;
  });
  afterAll(async () => db.close());

  async function newNodeRun(inGraph = graphId): Promise<string> {
    return db.prisma.$transaction(async (tx) => {
      const runId = await runs.createRun(tx, inGraph, "manual", { mode: "all", start: ["n"], steps: [] }, "test");
      return runs.createNodeRun(tx, runId, inGraph, "n", "server");
    });
  }

  it("hands a run whose worker died before its final commit to the next worker, with a new lease", async () => {
    const id = await newNodeRun();
    const first = await runs.claim(id);
    if (typeof first === "string") throw new Error(first);
    const second = await runs.claim(id);
    if (typeof second === "string") throw new Error(second);
    expect(second.lease).not.toBe(first.lease);
    // The first worker comes back: its commit is refused.
    const stale = createStoreBridge(db, { graphId, nodeId: "n", nodeTitle: "n", ports: [{ port: "t", direction: "output", kind: "table", storeName: "t" }], run: { nodeRunId: id, lease: first.lease } });
    await expect(stale.call({ op: "commit", writes: [{ op: "append", port: "t", records: [{ a: 1 }] }], cursors: [], state: null, final: true })).rejects.toThrow(/no longer held by this worker/);
  });

  it("never runs again a run whose final commit is saved, and reports it succeeded only when recorded", async () => {
    const id = await newNodeRun();
    const claimed = await runs.claim(id);
    if (typeof claimed === "string") throw new Error(claimed);
    const bridge = createStoreBridge(db, { graphId, nodeId: "n", nodeTitle: "n", ports: [{ port: "t", direction: "output", kind: "table", storeName: "t" }], run: { nodeRunId: id, lease: claimed.lease } });
    await bridge.call({ op: "commit", writes: [{ op: "append", port: "t", records: [{ a: 1 }] }], cursors: [], state: null, final: true });
    // Saved, but the end (logs, timings) is not recorded yet: still running.
    expect((await runs.getNodeRun(id))?.status).toBe("running");
    // Its worker died here; the retried job finds the commit and does not run the node again.
    expect(await runs.claim(id)).toBe("done");
    const nodeRun = await runs.getNodeRun(id);
    expect(nodeRun?.status).toBe("succeeded");
    expect(nodeRun?.recordsOut).toBe(1);
    expect(nodeRun?.finishedAt).not.toBeNull();
  });

  it("holds a node run back while its graph runs as many server nodes as its concurrency setting allows", async () => {
    const graphs = new GraphRepository(db);
    const workspace = await new WorkspaceRepository(db).ensureDefault();
    const limited = (await graphs.create(workspace.id, "Limited")).id;
    await graphs.setConcurrency(limited, 1);
    expect(await graphs.concurrencyOf(limited)).toBe(1);
    const first = await newNodeRun(limited);
    const second = await newNodeRun(limited);
    const claimed = await runs.claim(first);
    if (typeof claimed === "string") throw new Error(claimed);
    expect(await runs.claim(second)).toBe("busy");
    // A browser run uses the person's machine, not a server worker: the limit does not hold it back.
    expect(typeof (await runs.claim(second, { ignoreGraphLimit: true }))).toBe("object");
    await graphs.setConcurrency(limited, null);
    expect(await graphs.concurrencyOf(limited)).toBeNull();
  });
});
