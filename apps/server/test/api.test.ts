import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTRPCClient, TRPCClientError } from "@trpc/client";
import type { AppRouter } from "@patchbay/api";
import { readEnv } from "../src/env.ts";
import { startApp, type App } from "../src/app.ts";
import { signUpOwner } from "./auth-client.ts";
import { testEngines } from "./support/test-engines.ts";

const engines = testEngines("patchbay-api-");

describe.each(engines)("API and server runs on $name", (engine) => {
  let app: App;
  let cleanup: () => Promise<void>;
  let client: ReturnType<typeof createTRPCClient<AppRouter>>;

  beforeAll(async () => {
    const setup = await engine.setup();
    cleanup = setup.cleanup;
    app = await startApp(readEnv({ PORT: "0", HOST: "127.0.0.1", WORKERS: "1", RUN_TIME_LIMIT_SECONDS: "30", ...setup.env }));
    // Signed in as the owner (auth-client.ts): every API call needs a session.
    client = (await signUpOwner(app.url)).client;
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await cleanup?.();
  });

  async function waitForNodeRun(graphId: string, nodeId: string, runId: string) {
    for (let i = 0; i < 600; i++) {
      const latest = (await client.runs.latestByNode.query({ graphId }))[nodeId];
      if (latest && latest.runId === runId && latest.status !== "queued" && latest.status !== "running") return latest;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`node ${nodeId} did not finish`);
  }

  it("seeds the example graph, runs it end to end in the sandbox, and previews the tables", async () => {
    const graphs = await client.graphs.list.query();
    expect(graphs.map((g) => g.title)).toEqual(["Example: orders"]);
    const graphId = graphs[0]!.id;
    const { runId } = await client.runs.start.mutate({ graphId, nodeId: null, scope: "graph" });
    const generate = await waitForNodeRun(graphId, "generate_orders", runId);
    expect(generate.error).toBeNull();
    expect(generate.status).toBe("succeeded");
    expect(generate.logs.map((l) => l.message).join("\n")).toContain("generated 100 orders");
    const summarise = await waitForNodeRun(graphId, "summarise_orders", runId);
    expect(summarise.status).toBe("succeeded");
    const orders = await client.stores.preview.query({ graphId, storeName: "orders", offset: 0, limit: 10 });
    expect(orders.total).toBe(100);
    expect(orders.rows).toHaveLength(10);
    expect(orders.columns.map((c) => c.name)).toEqual(expect.arrayContaining(["patterns_id", "order_id", "item", "quantity", "price"]));
    const summary = await client.stores.preview.query({ graphId, storeName: "order_summary", offset: 0, limit: 50 });
    expect(summary.rows.map((r) => r["item"])).toEqual(["apple", "fig", "pear", "plum"]);
    expect(summary.rows.reduce((n, r) => n + Number(r["orders"]), 0)).toBe(100);
  });

  it("creates, edits, runs and reports a failing node with its traceback line", async () => {
    const { id } = await client.graphs.create.mutate({ title: "Scratch" });
    await client.graphs.applyChanges.mutate({
      id,
      changes: [
        { type: "addNode", node: { id: "p", kind: "python", title: "p", position: { x: 0, y: 0 }, code: 'from patterns import Table\nt = Table("out", "w")\nt.append({"a": 1})\n1 / 0\n', inputs: {}, outputs: {}, parameterValues: {}, runtime: "server" } },
        { type: "addNode", node: { id: "s", kind: "table", title: "results", position: { x: 300, y: 0 }, code: "", inputs: {}, outputs: {}, parameterValues: {}, runtime: "server" } },
        { type: "bindPort", nodeId: "p", direction: "output", port: "out", storeId: "s" },
      ],
    });
    const graph = await client.graphs.get.query({ id });
    expect(graph.revision).toBe(1);
    expect(graph.document.nodes[0]?.outputs).toEqual({ out: "s" });

    const events: string[] = [];
    const subscription = client.runs.events.subscribe({ graphId: id }, { onData: (e) => events.push(e.nodeRun.status) });
    await new Promise((r) => setTimeout(r, 300));
    const { runId } = await client.runs.start.mutate({ graphId: id, nodeId: "p", scope: "node" });
    const failed = await waitForNodeRun(id, "p", runId);
    // Events arrive on their own path (NOTIFY on PostgreSQL): give the last one a moment after the poll saw the end.
    for (let i = 0; i < 100 && !events.includes("failed"); i++) await new Promise((r) => setTimeout(r, 100));
    subscription.unsubscribe();
    expect(failed.status).toBe("failed");
    expect(failed.error).toContain("ZeroDivisionError");
    expect(failed.error).toMatch(/line 4/);
    expect(events).toEqual(expect.arrayContaining(["queued", "running", "failed"]));
    // Nothing of a failed run is kept.
    expect((await client.stores.preview.query({ graphId: id, storeName: "results", offset: 0, limit: 10 })).exists).toBe(false);

    await client.graphs.applyChanges.mutate({ id, changes: [{ type: "updateNode", id: "p", patch: { code: 'from patterns import Table\nt = Table("out", "w")\nt.append([{"a": 1}, {"a": 2}])\n' } }] });
    const second = await client.runs.start.mutate({ graphId: id, nodeId: "p", scope: "node" });
    expect((await waitForNodeRun(id, "p", second.runId)).status).toBe("succeeded");
    expect((await client.stores.preview.query({ graphId: id, storeName: "results", offset: 0, limit: 10 })).total).toBe(2);
    const history = await client.runs.nodeRuns.query({ graphId: id, nodeId: "p" });
    expect(history.map((r) => r.status)).toEqual(["succeeded", "failed"]);
  });

  it("refuses bad input with clear errors and changes nothing", async () => {
    const { id } = await client.graphs.create.mutate({ title: "Guarded" });
    const before = await client.graphs.get.query({ id });
    await expect(client.graphs.applyChanges.mutate({ id, changes: [{ type: "moveNode", id: "ghost", position: { x: 1, y: 1 } }] })).rejects.toThrow(/No node with id "ghost"/);
    await expect(client.graphs.create.mutate({ title: "   " })).rejects.toThrow(/needs a title/);
    await expect(client.graphs.get.query({ id: "does-not-exist" })).rejects.toSatisfy((e: unknown) => e instanceof TRPCClientError && e.data?.code === "NOT_FOUND");
    expect(await client.graphs.get.query({ id })).toEqual(before);
    await client.graphs.rename.mutate({ id, title: "Guarded graph" });
    await client.graphs.delete.mutate({ id });
    await expect(client.graphs.get.query({ id })).rejects.toThrow(/No graph/);
  });
});

describe("SQL nodes", () => {
  let app: App;
  let dir: string;
  let client: ReturnType<typeof createTRPCClient<AppRouter>>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "patchbay-sql-"));
    app = await startApp(readEnv({ PORT: "0", HOST: "127.0.0.1", WORKERS: "1", DATA_DIR: dir, SEED_EXAMPLE: "false" }));
    client = (await signUpOwner(app.url)).client;
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const node = (id: string, kind: "python" | "sql" | "table", code = "", parameterValues: Record<string, unknown> = {}) =>
    ({ type: "addNode" as const, node: { id, kind, title: id, position: { x: 0, y: 0 }, code, inputs: {}, outputs: {}, parameterValues, runtime: "server" as const } });

  it("runs a SELECT with table and parameter templates into a new version of output_table, and refuses other tables", async () => {
    const { id } = await client.graphs.create.mutate({ title: "SQL" });
    await client.graphs.applyChanges.mutate({
      id,
      changes: [
        node("gen", "python", 'from patterns import Table\nTable("numbers", "w").append([{"n": i, "name": f"n{i}"} for i in range(10)])'),
        node("numbers", "table"),
        node("big", "sql", 'SELECT n, name FROM {{ Table("numbers") }}\nWHERE n >= {{ Parameter("minimum", type=int, default=3) }} ORDER BY n', { minimum: 7 }),
        node("big_numbers", "table"),
        { type: "bindPort", nodeId: "big", direction: "output", port: "output_table", storeId: "big_numbers" },
        node("sneaky", "sql", 'SELECT * FROM "Graph"'),
        node("sneaky_out", "table"),
        { type: "bindPort", nodeId: "sneaky", direction: "output", port: "output_table", storeId: "sneaky_out" },
      ],
    });
    const run = await client.runs.start.mutate({ graphId: id, nodeId: "gen", scope: "downstream" });
    for (let i = 0; i < 300; i++) {
      const latest = await client.runs.latestByNode.query({ graphId: id });
      if (latest["big"]?.runId === run.runId && ["succeeded", "failed"].includes(latest["big"].status)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const latest = await client.runs.latestByNode.query({ graphId: id });
    expect(latest["big"]?.error ?? null).toBeNull();
    expect(latest["big"]?.recordsOut).toBe(3);
    const preview = await client.stores.preview.query({ graphId: id, storeName: "big_numbers", offset: 0, limit: 10 });
    expect(preview.rows.map((r) => r["n"])).toEqual([7, 8, 9]);
    expect(preview.rows[0]?.["patterns_id"]).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);

    const sneaky = await client.runs.start.mutate({ graphId: id, nodeId: "sneaky", scope: "node" });
    for (let i = 0; i < 300; i++) {
      const r = (await client.runs.latestByNode.query({ graphId: id }))["sneaky"];
      if (r?.runId === sneaky.runId && r.status === "failed") break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const refused = (await client.runs.latestByNode.query({ graphId: id }))["sneaky"];
    expect(refused?.status).toBe("failed");
    expect(refused?.error).toMatch(/may only query its own stores/);
  });
});
