import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GraphNode } from "@patchbay/graph";
import { signUpOwner, type ApiClient } from "../auth-client.ts";
import { expectServing, hostileEngines, snapshot, startHostileApp, type HostileApp, type HostileEngine } from "./hostile-app.ts";
import { Tally } from "./tally.ts";

// Hostile requests to webhook URLs, through the real server: unknown tokens,
// bodies too large or too deep, non-JSON, and a flood. Refused requests store
// nothing; each accepted one is stored exactly once; the server keeps serving.

const tally = new Tally("webhooks");
afterAll(() => tally.save());

const MAX_BYTES = 200_000;
// The full flood on the embedded database; half of it on a PostgreSQL server, to keep the suite's time in bounds.
const FLOOD_REQUESTS: Record<HostileEngine["name"], number> = { pglite: 2_000, postgres: 1_000 };
const FLOOD_CONCURRENCY = 50;

const node = (id: string, kind: GraphNode["kind"], extra: Partial<GraphNode> = {}): GraphNode => ({
  id, kind, title: id, position: { x: 0, y: 0 }, code: "", inputs: {}, outputs: {}, parameterValues: {}, runtime: "server", ...extra,
});

describe.each(hostileEngines())("hostile webhook requests on $name", (engine) => {
  let hostile: HostileApp;
  let client: ApiClient;
  let graphId: string;
  let hookPath: string;

  const post = (path: string, body: string, contentType = "application/json") =>
    fetch(`${hostile.app.url}${path}`, { method: "POST", headers: { "content-type": contentType }, body, signal: AbortSignal.timeout(60_000) });
  const storedRecords = async (): Promise<unknown[]> => {
    const rows: unknown[] = [];
    for (let offset = 0; ; offset += 500) {
      const page = await client.stores.preview.query({ graphId, storeName: "incoming", offset, limit: 500, countTotal: false });
      rows.push(...page.rows.map((row) => row["record"]));
      if (page.rows.length < 500) return rows;
    }
  };

  beforeAll(async () => {
    hostile = await startHostileApp(engine, { WEBHOOK_MAX_BYTES: String(MAX_BYTES) });
    client = (await signUpOwner(hostile.app.url)).client;
    graphId = (await client.graphs.create.mutate({ title: "Hooks under attack" })).id;
    await client.graphs.applyChanges.mutate({
      id: graphId,
      changes: [{ type: "addNode", node: node("hook", "webhook", { outputs: { output: "incoming" } }) }, { type: "addNode", node: node("incoming", "table") }],
    });
    hookPath = (await client.webhooks.list.query({ graphId }))[0]?.path ?? "";
    expect(hookPath).toMatch(/^\/webhooks\/[A-Za-z0-9_-]{32}$/);
    // One accepted request, so the store exists before the snapshots.
    expect((await post(hookPath, JSON.stringify({ first: true }))).status).toBe(202);
  }, 180_000);

  afterAll(async () => {
    await hostile?.close();
  });

  it("refuses unknown tokens, wrong methods, non-JSON, deep JSON and bad shapes, storing nothing", async () => {
    const stored = await snapshot(hostile.app, tally);
    const token = hookPath.slice("/webhooks/".length);
    const deep = (depth: number) => `{"a": ${"[".repeat(depth)}1${"]".repeat(depth)}}`;
    const cases: { name: string; send: () => Promise<Response>; status: number; message: RegExp }[] = [
      { name: "an unknown token", send: () => post("/webhooks/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "{}"), status: 404, message: /No webhook at this address/ },
      { name: "the token with one character changed", send: () => post(`/webhooks/${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`, "{}"), status: 404, message: /No webhook/ },
      { name: "no token", send: () => post("/webhooks/", "{}"), status: 404, message: /No webhook/ },
      { name: "a 10,000-character token", send: () => post(`/webhooks/${"x".repeat(10_000)}`, "{}"), status: 404, message: /No webhook/ },
      { name: "a token with quotes and SQL", send: () => post(`/webhooks/${encodeURIComponent("' OR '1'='1")}`, "{}"), status: 404, message: /No webhook/ },
      { name: "a path past the token", send: () => post(`${hookPath}/extra`, "{}"), status: 404, message: /No webhook/ },
      { name: "GET", send: () => fetch(`${hostile.app.url}${hookPath}`), status: 405, message: /POST/ },
      { name: "text/plain", send: () => post(hookPath, "hello", "text/plain"), status: 415, message: /must be JSON/ },
      { name: "a form post", send: () => post(hookPath, "a=1", "application/x-www-form-urlencoded"), status: 415, message: /must be JSON/ },
      { name: "invalid JSON", send: () => post(hookPath, '{"a": '), status: 400, message: /not valid JSON/ },
      { name: "a number", send: () => post(hookPath, "42"), status: 400, message: /must be a JSON object/ },
      { name: "null", send: () => post(hookPath, "null"), status: 400, message: /must be a JSON object/ },
      { name: "an empty array", send: () => post(hookPath, "[]"), status: 400, message: /array of 1 to/ },
      { name: "an array with a non-object", send: () => post(hookPath, '[{"a": 1}, 2]'), status: 400, message: /Item 1 of the array is not a JSON object/ },
      { name: "10,001 objects", send: () => post(hookPath, `[${Array.from({ length: 10_001 }, () => "{}").join(",")}]`), status: 400, message: /array of 1 to 10000/ },
      { name: "JSON nested 65 deep", send: () => post(hookPath, deep(65)), status: 400, message: /nested more than 64 levels/ },
      { name: "JSON nested 90,000 deep", send: () => post(hookPath, deep(90_000)), status: 400, message: /nested more than 64 levels/ },
      { name: "a body over the limit", send: () => post(hookPath, JSON.stringify({ a: "x".repeat(MAX_BYTES) })), status: 413, message: new RegExp(`limit is ${MAX_BYTES} bytes`) },
    ];
    for (const attempt of cases) {
      tally.attempt();
      const response = await attempt.send();
      const text = await response.text();
      expect({ name: attempt.name, status: response.status }).toEqual({ name: attempt.name, status: attempt.status });
      expect(text, attempt.name).toMatch(attempt.message);
      tally.refused();
    }
    await stored.check("refused webhook requests");
    await expectServing(hostile.app, client);
  });

  it("answers a 50 MB body, declared or streamed, with 413 before reading it all", async () => {
    const stored = await snapshot(hostile.app, tally);
    const target = new URL(`${hostile.app.url}${hookPath}`);
    const send = (total: number, declared: boolean) =>
      new Promise<{ status: number | "reset"; sentBefore: number }>((resolve, reject) => {
        let sent = 0;
        let done = false;
        const req = httpRequest(
          { host: target.hostname, port: target.port, path: target.pathname, method: "POST", headers: { "content-type": "application/json", ...(declared ? { "content-length": String(total) } : {}) } },
          (res) => {
            done = true;
            const sentBefore = sent;
            res.resume();
            res.on("end", () => resolve({ status: res.statusCode ?? 0, sentBefore }));
          },
        );
        // The server may cut the connection of a streamed body that passed the limit: a refusal too.
        req.on("error", () => {
          if (!done) resolve({ status: "reset", sentBefore: sent });
          done = true;
        });
        const chunk = Buffer.alloc(65_536, 0x20);
        const pump = () => {
          while (!done && sent < total) {
            sent += chunk.length;
            if (!req.write(chunk)) {
              req.once("drain", pump);
              return;
            }
          }
          if (!done) req.end();
        };
        req.write('{"a": "');
        pump();
        setTimeout(() => reject(new Error("no answer within 60 s")), 60_000).unref();
      });
    for (const declared of [true, false]) {
      tally.attempt();
      const answer = await send(50 * 1024 * 1024, declared);
      expect([413, "reset"]).toContain(answer.status);
      expect(answer.sentBefore).toBeLessThan(MAX_BYTES + 16 * 1024 * 1024);
      tally.refused();
    }
    await stored.check("50 MB webhook bodies");
    await expectServing(hostile.app, client);
  });

  it("stores awkward but valid JSON as sent, and refuses text PostgreSQL cannot store with a 400, not a 500", async () => {
    const before = (await storedRecords()).length;
    // [body, what it must get]: text PostgreSQL cannot store is refused, the rest stored as sent.
    const bodies: [string, 202 | RegExp][] = [
      ['{"nul": "a\\u0000b"}', /NUL character \(\\u0000\) at nul/],
      ['[{"ok": 1}, {"deep": {"k\\u0000": 1}}]', /NUL character \(\\u0000\) at \[1\]\.deep\.k/],
      ['{"lone": "\\ud800"}', /unpaired surrogate .* at lone/],
      ['{"pair": "\\ud83d\\ude00"}', 202],
      ['{"__proto__": {"polluted": true}}', 202],
      ['{"constructor": {"prototype": {"x": 1}}}', 202],
      ['{"big": 1e400}', 202],
      [`{"key${"k".repeat(5_000)}": 1}`, 202],
    ];
    let accepted = 0;
    for (const [body, expected] of bodies) {
      tally.attempt();
      const response = await post(hookPath, body);
      const text = await response.text();
      if (expected === 202) {
        expect(response.status, `${body.slice(0, 40)}: ${text}`).toBe(202);
        accepted += 1;
      } else {
        expect(response.status, `${body.slice(0, 40)}: ${text}`).toBe(400);
        const parsed: unknown = JSON.parse(text);
        expect(typeof parsed === "object" && parsed !== null && "error" in parsed ? String(parsed.error) : text).toMatch(expected);
        tally.refused();
      }
    }
    const plain: Record<string, unknown> = {};
    expect(plain["polluted"]).toBeUndefined();
    expect((await storedRecords()).length).toBe(before + accepted);
    await expectServing(hostile.app, client);
  });

  it(`survives a flood of ${FLOOD_REQUESTS[engine.name]} requests (${FLOOD_CONCURRENCY} at a time), storing each accepted one exactly once`, async () => {
    const total = FLOOD_REQUESTS[engine.name];
    const before = await storedRecords();
    const accepted: number[] = [];
    let refused = 0;
    let next = 0;
    const healthTimes: number[] = [];
    const worker = async () => {
      for (let n = next++; n < total; n = next++) {
        tally.attempt();
        // Every tenth request is hostile (not JSON, or an unknown token); the rest are valid.
        const hostileOne = n % 10 === 0;
        const path = n % 20 === 0 ? "/webhooks/BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB" : hookPath;
        const response = await post(path, hostileOne ? `{"n": ${n}` : JSON.stringify({ n }));
        await response.text();
        if (response.status === 202) accepted.push(n);
        else {
          expect([400, 404], `request ${n}`).toContain(response.status);
          refused += 1;
          tally.refused();
        }
      }
    };
    const probe = async () => {
      while (next < total) {
        const started = Date.now();
        expect((await fetch(`${hostile.app.url}/healthz`, { signal: AbortSignal.timeout(30_000) })).status).toBe(200);
        healthTimes.push(Date.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    };
    const deadline = AbortSignal.timeout(240_000);
    await Promise.race([
      Promise.all([...Array.from({ length: FLOOD_CONCURRENCY }, worker), probe()]),
      new Promise((_, reject) => deadline.addEventListener("abort", () => reject(new Error("the flood did not finish in 240 s")))),
    ]);
    expect(accepted.length + refused).toBe(total);
    expect(refused).toBe(total / 10);
    expect(healthTimes.length).toBeGreaterThan(0);
    expect(Math.max(...healthTimes)).toBeLessThan(30_000);

    // Each accepted request is stored exactly once; nothing refused was stored.
    const after = await storedRecords();
    expect(after.slice(0, before.length)).toEqual(before);
    const flooded = after.slice(before.length).map((record) => (typeof record === "object" && record !== null && "n" in record ? record.n : null));
    expect(flooded.length).toBe(accepted.length);
    expect([...flooded].sort((x, y) => Number(x) - Number(y))).toEqual([...accepted].sort((x, y) => x - y));
    tally.intact();
    await expectServing(hostile.app, client);
  }, 300_000);
});
