import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { createTRPCClient } from "@trpc/client";
import type { AppRouter } from "@patchbay/api";
import { readEnv } from "../src/env.ts";
import { startApp, type App } from "../src/app.ts";
import { signUpOwner } from "./auth-client.ts";
import { testNode } from "./support/graph-nodes.ts";

const node = testNode;

describe("webhooks", () => {
  let app: App;
  let dir: string;
  let client: ReturnType<typeof createTRPCClient<AppRouter>>;
  let graphId: string;
  let paths: Record<string, string>;

  const post = (path: string, body: string, contentType = "application/json") =>
    fetch(`${app.url}${path}`, { method: "POST", headers: { "content-type": contentType }, body });
  const rows = async (storeName: string) => (await client.stores.preview.query({ graphId, storeName, offset: 0, limit: 500 })).rows;
  async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
    for (let i = 0; i < 300; i++) {
      const value = await probe();
      if (done(value)) return value;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error("timed out waiting");
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "patchbay-webhooks-"));
    app = await startApp(readEnv({ PORT: "0", HOST: "127.0.0.1", WORKERS: "1", DATA_DIR: dir, SEED_EXAMPLE: "false", WEBHOOK_MAX_BYTES: "20000", WEBHOOK_RESPONSE_TIMEOUT_SECONDS: "3" }));
    client = (await signUpOwner(app.url)).client;
    graphId = (await client.graphs.create.mutate({ title: "Hooks" })).id;
    await client.graphs.applyChanges.mutate({
      id: graphId,
      changes: [
        { type: "addNode", node: node("orders_hook", "webhook", "", { outputs: { output: "incoming" } }) },
        { type: "addNode", node: node("incoming", "table") },
        { type: "addNode", node: node("count", "python", 'from patterns import Table\nrows = Table("incoming").read()\nTable("processed", "w").replace([{"n": len(rows)}])') },
        { type: "addNode", node: node("processed", "table") },
        { type: "addNode", node: node("ask_hook", "webhook", "", { outputs: { output: "questions" }, webhookMode: "respond" }) },
        { type: "addNode", node: node("questions", "table") },
        { type: "addNode", node: node("answer", "python", 'from patterns import Table, respond_to_request\nfor row in Table("questions").as_stream():\n    q = row["record"]["q"]\n    respond_to_request(row["request_key"], {"answer": "x" * 10000} if q == "big" else {"answer": q * 2})\n') },
        { type: "addNode", node: node("silent_hook", "webhook", "", { outputs: { output: "ignored" }, webhookMode: "respond" }) },
        { type: "addNode", node: node("ignored", "table") },
        // A chart also reads the webhook's table: it must not stop the Python readers from running.
        { type: "addNode", node: node("incoming_chart", "chart", '{"mark": "bar"}', { inputs: { input: "incoming" } }) },
      ],
    });
    paths = Object.fromEntries((await client.webhooks.list.query({ graphId })).map((w) => [w.nodeId, w.path]));
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("gives every webhook node its own unguessable URL", () => {
    expect(Object.keys(paths).sort()).toEqual(["ask_hook", "orders_hook", "silent_hook"]);
    for (const path of Object.values(paths)) expect(path).toMatch(/^\/webhooks\/[A-Za-z0-9_-]{32}$/);
  });

  it("stores each posted object as a row {record} and runs the nodes reading it", async () => {
    const one = await post(paths["orders_hook"]!, JSON.stringify({ id: 1, item: "apple" }));
    expect(one.status).toBe(202);
    expect(await one.json()).toMatchObject({ stored: 1 });
    const many = await post(paths["orders_hook"]!, JSON.stringify([{ id: 2 }, { id: 3 }, { id: 4, nested: { a: [1, 2] } }]));
    expect(await many.json()).toMatchObject({ stored: 3 });
    const stored = await rows("incoming");
    expect(stored.map((r) => r["record"])).toEqual([{ id: 1, item: "apple" }, { id: 2 }, { id: 3 }, { id: 4, nested: { a: [1, 2] } }]);
    expect(stored.every((r) => typeof r["patterns_id"] === "string")).toBe(true);
    const processed = await until(() => rows("processed"), (r) => r[0]?.["n"] === 4);
    expect(processed).toEqual([expect.objectContaining({ n: 4 })]);
  });

  it("holds an ingest-and-respond request until a node answers it", async () => {
    const response = await post(paths["ask_hook"]!, JSON.stringify({ q: 21 }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ answer: 42 });
  });

  it("says so when a node's answer is too large to pass on, instead of timing out", async () => {
    const response = await post(paths["ask_hook"]!, JSON.stringify({ q: "big" }));
    expect(response.status).toBe(502);
    expect(await response.json()).toMatchObject({ error: expect.stringMatching(/answer was \d+ bytes; a webhook answer may be at most \d+ bytes/) });
  });

  it("answers 504 when no node responds in time, keeping the request", async () => {
    const started = Date.now();
    const response = await post(paths["silent_hook"]!, JSON.stringify({ q: 1 }));
    expect(response.status).toBe(504);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await response.json()).toMatchObject({ error: expect.stringMatching(/No node answered within 3 s/) });
    expect(await rows("ignored")).toHaveLength(1);
  });

  it("refuses bad requests with clear 4xx answers and stores nothing", async () => {
    const before = await rows("incoming");
    const cases: [string, Response, number, RegExp][] = [
      ["unknown token", await post("/webhooks/not-a-real-token-at-all-0000000000", "{}"), 404, /No webhook at this address/],
      ["not JSON content type", await post(paths["orders_hook"]!, "a=1", "application/x-www-form-urlencoded"), 415, /must be JSON/],
      ["invalid JSON", await post(paths["orders_hook"]!, "{not json"), 400, /not valid JSON/],
      ["a scalar", await post(paths["orders_hook"]!, "42"), 400, /must be a JSON object/],
      ["array with a scalar", await post(paths["orders_hook"]!, '[{"a":1}, 2]'), 400, /Item 1 of the array is not a JSON object/],
      ["empty array", await post(paths["orders_hook"]!, "[]"), 400, /array of 1 to/],
      ["too big", await post(paths["orders_hook"]!, JSON.stringify({ blob: "x".repeat(30_000) })), 413, /limit is 20000 bytes|larger than the limit/],
      ["too deep", await post(paths["orders_hook"]!, "[".repeat(100) + "{}" + "]".repeat(100)), 400, /nested more than 64 levels|Item 0/],
    ];
    for (const [what, response, status, message] of cases) {
      expect(response.status, what).toBe(status);
      expect(await response.json(), what).toMatchObject({ error: expect.stringMatching(message) });
    }
    const get = await fetch(`${app.url}${paths["orders_hook"]!}`);
    expect(get.status).toBe(405);
    expect(await rows("incoming")).toEqual(before);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  });
});
