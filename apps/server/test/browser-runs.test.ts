import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BridgeError, createPyodide, runNodeInvocation, type BridgeRequest, type BridgeResponse, type HostBridge, type Invocation } from "@patchbay/runtime";
import type { PyodideAPI } from "pyodide";
import { readEnv } from "../src/env.ts";
import { startApp, type App } from "../src/app.ts";
import { BrowserRuns } from "../src/runs/browser-runs.ts";
import { apiClient, CookieJar, signUpOwner, type ApiClient } from "./auth-client.ts";
import { testNode } from "./support/graph-nodes.ts";
import { testEngines } from "./support/test-engines.ts";

// The server side of runs in the browser, through the real HTTP API: the
// "tab" here is Pyodide in this Node process running the same executor, with
// every store request sent to runtime.bridge as the browser worker sends it.

const engines = testEngines("patchbay-browser-runs-");

const node = testNode;

const PRODUCER = ['from patterns import Table, Parameter', 'n = Parameter("n", type=int)', 'numbers = Table("numbers", "w")', 'numbers.append([{"i": i, "sq": i * i} for i in range(n)])', 'print(f"wrote {n}")'].join("\n");
const CONSUMER = ['from patterns import Table', 'numbers = Table("numbers")', 'total = Table("total", "w")', 'total.replace([{"sum": sum(r["sq"] for r in numbers.read())}])'].join("\n");

// Skips the Python-side port check and asks the host directly, as tampered code in a tab could.
const SNEAKY = ["from patterns import host", 'print(host.current().call({"op": "readTable", "port": "total", "offset": 0, "limit": 10}))'].join("\n");

let pyodide: PyodideAPI;
beforeAll(async () => {
  pyodide = await createPyodide();
}, 120_000);

describe.each(engines)("browser runs on $name", (engine) => {
  let app: App;
  let cleanup: () => Promise<void>;
  let client: ApiClient;
  let graphId: string;

  beforeAll(async () => {
    const setup = await engine.setup();
    cleanup = setup.cleanup;
    app = await startApp(readEnv({ PORT: "0", HOST: "127.0.0.1", WORKERS: "1", RUN_TIME_LIMIT_SECONDS: "30", SEED_EXAMPLE: "false", ...setup.env }));
    client = (await signUpOwner(app.url)).client;
    graphId = (await client.graphs.create.mutate({ title: "Browser runs" })).id;
    await client.graphs.applyChanges.mutate({
      id: graphId,
      changes: [
        { type: "addNode", node: node("producer", "python", PRODUCER, { parameterValues: { n: 5 }, runtime: "browser" }) },
        { type: "addNode", node: node("numbers", "table") },
        { type: "addNode", node: node("consumer", "python", CONSUMER) },
        { type: "addNode", node: node("total", "table") },
        { type: "addNode", node: node("sneaky", "python", SNEAKY, { runtime: "browser" }) },
        { type: "addNode", node: node("secretive", "python", 'from patterns import Parameter\np = Parameter("password")\n', { parameterValues: { password: "${{ db_password }}" }, runtime: "browser" }) },
        { type: "addNode", node: node("connected", "python", 'from patterns import Parameter, Connection\ndb = Parameter("db", type=Connection("postgres"))\n', { runtime: "browser" }) },
      ],
    });
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    await cleanup?.();
  });

  /** The browser tab's bridge: every request goes to runtime.bridge with the run's lease. */
  function apiBridge(nodeRunId: string, lease: string): HostBridge {
    return {
      async call(request: BridgeRequest): Promise<BridgeResponse> {
        const answer = await client.runtime.bridge.mutate({ nodeRunId, lease, request });
        if (answer.ok) return answer.response;
        throw new BridgeError(answer.code, answer.message);
      },
    };
  }

  async function latest(nodeId: string, runId: string, done = true) {
    for (let i = 0; i < 600; i++) {
      const run = (await client.runs.latestByNode.query({ graphId }))[nodeId];
      if (run && run.runId === runId && (!done || (run.status !== "queued" && run.status !== "running"))) return run;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`node ${nodeId} of run ${runId} did not finish`);
  }

  it("runs a node in the 'browser' through the API, records it like a server run, and runs downstream on the server", async () => {
    const started = await client.runtime.startBrowserRun.mutate({ graphId, nodeId: "producer" });
    expect(started.nodeRun).toMatchObject({ status: "running", runtime: "browser", nodeId: "producer" });
    const invocation: Invocation = started.invocation;
    expect(invocation.parameters).toEqual({ n: 5 });
    expect(invocation.ports).toEqual([{ port: "numbers", direction: "output", kind: "table", storeName: "numbers" }]);

    const result = await runNodeInvocation(pyodide, invocation, apiBridge(started.nodeRun.id, started.lease));
    expect(result.error).toBeNull();
    const logs = result.logs.map((l) => ({ level: l.level, message: l.message, time: l.time }));
    await client.runtime.appendLogs.mutate({ nodeRunId: started.nodeRun.id, lease: started.lease, logs });
    const finished = await client.runtime.finishBrowserRun.mutate({
      nodeRunId: started.nodeRun.id,
      lease: started.lease,
      result: { status: result.status, logs, error: result.error, recordsRead: result.recordsRead, recordsWritten: result.recordsWritten, durationMs: result.durationMs },
    });
    expect(finished).toMatchObject({ status: "succeeded", runtime: "browser", recordsOut: 5, storesWritten: ["numbers"] });
    expect(finished.logs.map((l) => l.message)).toContain("wrote 5");

    const numbers = await client.stores.preview.query({ graphId, storeName: "numbers", offset: 0, limit: 10 });
    expect(numbers.rows.map((r) => r["sq"])).toEqual([0, 1, 4, 9, 16]);
    // The consumer was fed new data: the wave goes on, on the server.
    const consumer = await latest("consumer", started.nodeRun.runId);
    expect(consumer).toMatchObject({ status: "succeeded", runtime: "server" });
    const total = await client.stores.preview.query({ graphId, storeName: "total", offset: 0, limit: 10 });
    expect(total.rows.map((r) => r["sum"])).toEqual([30]);
  });

  it("fences every request, the commit and the finish with the run's lease", async () => {
    const started = await client.runtime.startBrowserRun.mutate({ graphId, nodeId: "producer" });
    const id = started.nodeRun.id;
    const commit = { op: "commit", writes: [{ op: "append", port: "numbers", records: [{ i: 99, sq: 0 }] }], cursors: [], state: null, final: true };
    const stolen = await client.runtime.bridge.mutate({ nodeRunId: id, lease: "not-the-lease", request: commit });
    expect(stolen).toMatchObject({ ok: false, code: "lease_lost" });
    const read = await client.runtime.bridge.mutate({ nodeRunId: id, lease: "not-the-lease", request: { op: "storeInfo", port: "numbers" } });
    expect(read).toMatchObject({ ok: false, code: "lease_lost" });
    const result = { status: "succeeded" as const, logs: [], error: null, recordsRead: 0, recordsWritten: 0, durationMs: 1 };
    await expect(client.runtime.finishBrowserRun.mutate({ nodeRunId: id, lease: "not-the-lease", result })).rejects.toThrow(/held by another tab/);
    expect((await client.runtime.appendLogs.mutate({ nodeRunId: id, lease: "not-the-lease", logs: [{ level: "info", message: "x", time: 1 }] })).status).toBe("running");
    expect((await client.runs.nodeRuns.query({ graphId, nodeId: "producer", limit: 1 }))[0]?.logs).toEqual([]);
    expect((await client.stores.preview.query({ graphId, storeName: "numbers", offset: 0, limit: 10 })).total).toBe(5);

    // Cancelled: the holder's commit is refused too, and it learns so from appendLogs.
    await client.runs.cancel.mutate({ graphId, runId: started.nodeRun.runId });
    const late = await client.runtime.bridge.mutate({ nodeRunId: id, lease: started.lease, request: commit });
    expect(late).toMatchObject({ ok: false, code: "lease_lost" });
    if (!late.ok) expect(late.message).toMatch(/cancelled/);
    expect((await client.runtime.appendLogs.mutate({ nodeRunId: id, lease: started.lease, logs: [] })).status).toBe("cancelled");
    const after = await client.runtime.finishBrowserRun.mutate({ nodeRunId: id, lease: started.lease, result });
    expect(after.status).toBe("cancelled");
    expect((await client.stores.preview.query({ graphId, storeName: "numbers", offset: 0, limit: 10 })).total).toBe(5);
  });

  it("refuses stores the node has no port for, writes to input ports and malformed requests", async () => {
    const started = await client.runtime.startBrowserRun.mutate({ graphId, nodeId: "producer" });
    const ask = (request: unknown) => client.runtime.bridge.mutate({ nodeRunId: started.nodeRun.id, lease: started.lease, request });
    expect(await ask({ op: "readTable", port: "total", offset: 0, limit: 10 })).toMatchObject({ ok: false, code: "port_not_declared" });
    expect(await ask({ op: "readSql", sql: `SELECT * FROM "Graph"`, limit: 10 })).toMatchObject({ ok: false });
    expect(await ask({ op: "commit", writes: [{ op: "append", port: "total", records: [{ sum: -1 }] }], cursors: [], state: null })).toMatchObject({ ok: false, code: "port_not_declared" });
    expect(await ask({ op: "readTable", port: "numbers", offset: -1, limit: 10 })).toMatchObject({ ok: false, code: "bad_request" });
    expect(await ask({ op: "dropEverything" })).toMatchObject({ ok: false, code: "bad_request" });
    expect(await ask({ op: "readTable", port: "numbers", offset: 0, limit: 2 })).toMatchObject({ ok: true, response: { op: "readTable", records: [{ i: 0 }, { i: 1 }] } });

    // Through the executor, as a node sees it: a clear error naming the store.
    const sneaky = await client.runtime.startBrowserRun.mutate({ graphId, nodeId: "sneaky" });
    const result = await runNodeInvocation(pyodide, sneaky.invocation, apiBridge(sneaky.nodeRun.id, sneaky.lease));
    expect(result.status).toBe("failed");
    expect(result.error).toMatch(/Node "sneaky" may not read "total": it is not one of its\s+ports/);
    const finished = await client.runtime.finishBrowserRun.mutate({
      nodeRunId: sneaky.nodeRun.id,
      lease: sneaky.lease,
      result: { status: result.status, logs: [], error: result.error, recordsRead: 0, recordsWritten: 0, durationMs: result.durationMs },
    });
    expect(finished).toMatchObject({ status: "failed", runtime: "browser" });
    expect((await client.stores.preview.query({ graphId, storeName: "total", offset: 0, limit: 10 })).rows.map((r) => r["sum"])).toEqual([30]);
    await client.runs.cancel.mutate({ graphId, runId: started.nodeRun.runId });
  });

  it("refuses to send a node that uses secrets to the browser", async () => {
    const before = await client.runs.nodeRuns.query({ graphId, nodeId: "secretive" });
    await expect(client.runtime.startBrowserRun.mutate({ graphId, nodeId: "secretive" })).rejects.toThrow(/uses secrets \(parameter "password" refers to a secret\); secrets never leave the server: run it on the server/);
    await expect(client.runtime.startBrowserRun.mutate({ graphId, nodeId: "connected" })).rejects.toThrow(/parameter "db" is a Connection.*run it on the server/);
    expect(await client.runs.nodeRuns.query({ graphId, nodeId: "secretive" })).toEqual(before);
  });

  it("lets only editors start and drive browser runs", async () => {
    const { path } = await client.members.invite.mutate({ email: "viewer@example.test", role: "viewer" });
    const viewer = apiClient(app.url, { jar: new CookieJar() });
    await viewer.auth.acceptInvite.mutate({ token: path.slice("/#/invite/".length), password: "a long enough passphrase" });
    await expect(viewer.runtime.startBrowserRun.mutate({ graphId, nodeId: "producer" })).rejects.toThrow(/you are a viewer/);
    const started = await client.runtime.startBrowserRun.mutate({ graphId, nodeId: "producer" });
    await expect(viewer.runtime.bridge.mutate({ nodeRunId: started.nodeRun.id, lease: started.lease, request: { op: "getState" } })).rejects.toThrow(/you are a viewer/);
    await expect(viewer.runtime.finishBrowserRun.mutate({ nodeRunId: started.nodeRun.id, lease: started.lease, result: { status: "failed", logs: [], error: "x", recordsRead: 0, recordsWritten: 0, durationMs: 0 } })).rejects.toThrow(/you are a viewer/);
    await client.runs.cancel.mutate({ graphId, runId: started.nodeRun.runId });
  });

  it("refuses browser-run calls on server runs and unknown node runs", async () => {
    const { runId } = await client.runs.start.mutate({ graphId, nodeId: "consumer", scope: "node" });
    const serverRun = await latest("consumer", runId, false);
    await expect(client.runtime.bridge.mutate({ nodeRunId: serverRun.id, lease: "x", request: { op: "getState" } })).rejects.toThrow(/runs on the server/);
    await expect(client.runtime.appendLogs.mutate({ nodeRunId: "nope", lease: "x", logs: [] })).rejects.toThrow(/No node run/);
    await latest("consumer", runId);
  });

  it("marks browser runs failed whose tab went away, after their time limit", async () => {
    const started = await client.runtime.startBrowserRun.mutate({ graphId, nodeId: "producer" });
    const { services } = app;
    const sweeper = new BrowserRuns({ db: services.db, graphs: services.graphs, runs: services.runRepository, runService: services.runs, events: services.events, timeLimitMs: 30_000 });
    expect(await sweeper.sweepStale()).toBe(0);
    expect(await sweeper.sweepStale(new Date(Date.now() + 120_000))).toBe(1);
    const swept = await latest("producer", started.nodeRun.runId);
    expect(swept.status).toBe("failed");
    expect(swept.error).toMatch(/browser tab running this node closed/);
    const run = await services.db.prisma.run.findUnique({ where: { id: started.nodeRun.runId }, select: { status: true } });
    expect(run?.status).toBe("failed");
    // The tab coming back later cannot commit.
    const late = await client.runtime.bridge.mutate({ nodeRunId: started.nodeRun.id, lease: started.lease, request: { op: "commit", writes: [], cursors: [], state: { x: 1 }, final: true } });
    expect(late).toMatchObject({ ok: false, code: "lease_lost" });
  });
});
