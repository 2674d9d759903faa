import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_MAX_BATCH_CALLS, API_MAX_BODY_BYTES, appRouter } from "@patchbay/api";
import type { GraphNode } from "@patchbay/graph";
import { MAX_DOCUMENT_CHARS } from "@patchbay/db";
import { apiClient, CookieJar, type ApiClient } from "../auth-client.ts";
import { expectServing, hostileEngines, refusal, snapshot, startHostileApp, twoWorkspaces, type HostileApp, type WorkspaceOwner } from "./hostile-app.ts";
import { Tally } from "./tally.ts";

// Hostile input at the API, through the real server: another workspace's ids,
// malformed and oversized input, bodies too large to buffer, cross-site
// mutations, planted sessions and bad API tokens. Each attempt gets a clear
// refusal, nothing stored changes, and the server keeps serving.
// (Every procedure without a session: auth.test.ts.)

const tally = new Tally("api");
afterAll(() => tally.save());

const node = (id: string, kind: GraphNode["kind"], code = "", extra: Partial<GraphNode> = {}): GraphNode => ({
  id, kind, title: id, position: { x: 0, y: 0 }, code, inputs: {}, outputs: {}, parameterValues: {}, runtime: "server", ...extra,
});
const MAKE_ROWS = 'from patterns import Table\nTable("rows", "w").append([{"n": 1}, {"n": 2}])\n';
/** Ids shaped like real ones (ULIDs) that exist nowhere. */
const MISSING = "01J0000000000000000000000Z";

/** The message of a tRPC error answer (the whole text when it is not one). */
function errorMessage(text: string): string {
  try {
    const parsed: unknown = JSON.parse(text);
    const error: unknown = typeof parsed === "object" && parsed !== null && "error" in parsed ? parsed.error : null;
    if (typeof error === "object" && error !== null && "message" in error && typeof error.message === "string") return error.message;
  } catch {
    // Not JSON: the text itself says what went wrong.
  }
  return text;
}

function mutationsAndQueries(): { path: string; type: string }[] {
  return Object.entries(appRouter._def.procedures).map(([path, procedure]) => {
    const type: unknown = "_def" in procedure && typeof procedure._def === "object" && procedure._def !== null && "type" in procedure._def ? procedure._def.type : undefined;
    return { path, type: typeof type === "string" ? type : "?" };
  });
}

describe.each(hostileEngines())("hostile API input on $name", (engine) => {
  let hostile: HostileApp;
  let url: string;
  let a: WorkspaceOwner;
  let b: WorkspaceOwner;
  /** B's things, which A must not reach. */
  const theirs = { graphId: "", runId: "", nodeRunId: "", browserNodeRunId: "", lease: "", graphVersionId: "", tableVersionId: "", tokenId: "", inviteId: "" };
  let ownGraphId = "";

  async function waitForRun(client: ApiClient, graphId: string, runId: string): Promise<void> {
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      const latest = await client.runs.latestByNode.query({ graphId });
      const mine = Object.values(latest).filter((r) => r.runId === runId);
      if (mine.length > 0 && mine.every((r) => r.status !== "queued" && r.status !== "running")) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`run ${runId} did not finish`);
  }

  /** A POST of `body` to /trpc/<path> with A's session, like a script (JSON, no Origin). */
  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${url}/trpc/${path}`, { method: "POST", headers: { "content-type": "application/json", cookie: a.jar.header(), ...headers }, body, signal: AbortSignal.timeout(60_000) });

  beforeAll(async () => {
    hostile = await startHostileApp(engine);
    url = hostile.app.url;
    ({ a, b } = await twoWorkspaces(hostile.app));
    // B's graph first: a graph A later gives the same title (and so the same slug) must not lead A to it.
    const graph = await b.client.graphs.create.mutate({ title: "Shared name" });
    theirs.graphId = graph.id;
    await b.client.graphs.applyChanges.mutate({
      id: graph.id,
      changes: [
        { type: "addNode", node: node("make", "python", MAKE_ROWS) },
        { type: "addNode", node: node("rows", "table") },
        { type: "addNode", node: node("browser_make", "python", MAKE_ROWS, { runtime: "browser" }) },
        { type: "addNode", node: node("hook", "webhook", "", { outputs: { output: "rows" } }) },
      ],
    });
    theirs.runId = (await b.client.runs.start.mutate({ graphId: graph.id, nodeId: "make", scope: "node" })).runId;
    await waitForRun(b.client, graph.id, theirs.runId);
    theirs.nodeRunId = (await b.client.runs.latestByNode.query({ graphId: graph.id }))["make"]?.id ?? "";
    const browserRun = await b.client.runtime.startBrowserRun.mutate({ graphId: graph.id, nodeId: "browser_make" });
    theirs.browserNodeRunId = browserRun.nodeRun.id;
    theirs.lease = browserRun.lease;
    theirs.graphVersionId = (await b.client.versions.create.mutate({ graphId: graph.id, message: "B's version" })).id;
    theirs.tableVersionId = (await b.client.stores.versions.query({ graphId: graph.id, storeName: "rows" }))[0]?.id ?? "";
    await b.client.secrets.set.mutate({ name: "b_secret", kind: "value", value: "B's secret value" });
    theirs.tokenId = (await b.client.tokens.create.mutate({ name: "B's CI", role: "editor" })).summary.id;
    theirs.inviteId = (await b.client.members.invite.mutate({ email: "friend-of-b@example.test", role: "viewer" })).invite.id;
    await b.client.webhooks.list.query({ graphId: graph.id });

    // A's own graph with the same title, a run and a store of its own.
    const own = await a.client.graphs.create.mutate({ title: "Shared name" });
    ownGraphId = own.id;
    expect(own.slug).toBe(graph.slug);
    await a.client.graphs.applyChanges.mutate({ id: own.id, changes: [{ type: "addNode", node: node("make", "python", MAKE_ROWS) }, { type: "addNode", node: node("rows", "table") }] });
    await waitForRun(a.client, own.id, (await a.client.runs.start.mutate({ graphId: own.id, nodeId: "make", scope: "node" })).runId);
    for (const value of Object.values(theirs)) expect(value).not.toBe("");
  }, 180_000);

  afterAll(async () => {
    await hostile?.close();
  });

  it("answers every id of another workspace exactly like a missing id, and changes nothing", async () => {
    const stored = await snapshot(hostile.app, tally);
    const logs = [{ level: "info" as const, message: "planted", time: Date.now() }];
    const result = { status: "succeeded" as const, logs, error: null, recordsRead: 0, recordsWritten: 0, durationMs: 1 };
    const commit = { op: "commit", writes: [{ op: "append", port: "rows", records: [{ n: 666 }] }], cursors: [], state: null };
    // Each call takes the ids to use: B's, or ids that exist nowhere.
    const calls: [string, (ids: typeof theirs) => Promise<unknown>][] = [
      ["graphs.get", (ids) => a.client.graphs.get.query({ id: ids.graphId })],
      ["graphs.rename", (ids) => a.client.graphs.rename.mutate({ id: ids.graphId, title: "taken over" })],
      ["graphs.delete", (ids) => a.client.graphs.delete.mutate({ id: ids.graphId })],
      ["graphs.applyChanges", (ids) => a.client.graphs.applyChanges.mutate({ id: ids.graphId, changes: [{ type: "removeNode", id: "make" }] })],
      ["runs.start", (ids) => a.client.runs.start.mutate({ graphId: ids.graphId, nodeId: "make", scope: "node" })],
      ["runs.cancel", (ids) => a.client.runs.cancel.mutate({ graphId: ids.graphId, runId: ids.runId })],
      ["runs.cancel (own graph, their run)", (ids) => a.client.runs.cancel.mutate({ graphId: ownGraphId, runId: ids.runId })],
      ["runs.latestByNode", (ids) => a.client.runs.latestByNode.query({ graphId: ids.graphId })],
      ["runs.nodeRuns", (ids) => a.client.runs.nodeRuns.query({ graphId: ids.graphId, nodeId: "make" })],
      ["runs.history", (ids) => a.client.runs.history.query({ graphId: ids.graphId, nodeId: "make" })],
      ["stores.preview", (ids) => a.client.stores.preview.query({ graphId: ids.graphId, storeName: "rows" })],
      ["stores.preview (own graph, their version)", (ids) => a.client.stores.preview.query({ graphId: ownGraphId, storeName: "rows", versionId: ids.tableVersionId })],
      ["stores.versions", (ids) => a.client.stores.versions.query({ graphId: ids.graphId, storeName: "rows" })],
      ["stores.cell", (ids) => a.client.stores.cell.query({ graphId: ids.graphId, storeName: "rows", patternsId: "x", column: "n" })],
      ["stores.cell (own graph, their version)", (ids) => a.client.stores.cell.query({ graphId: ownGraphId, storeName: "rows", versionId: ids.tableVersionId, patternsId: "x", column: "n" })],
      ["webhooks.list", (ids) => a.client.webhooks.list.query({ graphId: ids.graphId })],
      ["versions.list", (ids) => a.client.versions.list.query({ graphId: ids.graphId })],
      ["versions.create", (ids) => a.client.versions.create.mutate({ graphId: ids.graphId, message: "mine now" })],
      ["versions.get", (ids) => a.client.versions.get.query({ graphId: ids.graphId, versionId: ids.graphVersionId })],
      ["versions.get (own graph, their version)", (ids) => a.client.versions.get.query({ graphId: ownGraphId, versionId: ids.graphVersionId })],
      ["runtime.startBrowserRun", (ids) => a.client.runtime.startBrowserRun.mutate({ graphId: ids.graphId, nodeId: "browser_make" })],
      ["runtime.bridge", (ids) => a.client.runtime.bridge.mutate({ nodeRunId: ids.browserNodeRunId, lease: ids.lease, request: commit })],
      ["runtime.appendLogs", (ids) => a.client.runtime.appendLogs.mutate({ nodeRunId: ids.browserNodeRunId, lease: ids.lease, logs })],
      ["runtime.finishBrowserRun", (ids) => a.client.runtime.finishBrowserRun.mutate({ nodeRunId: ids.browserNodeRunId, lease: ids.lease, result })],
      ["runtime.bridge (a server run)", (ids) => a.client.runtime.bridge.mutate({ nodeRunId: ids.nodeRunId, lease: ids.lease, request: commit })],
      ["members.setRole", (ids) => a.client.members.setRole.mutate({ userId: ids === theirs ? b.userId : MISSING, role: "viewer" })],
      ["members.remove", (ids) => a.client.members.remove.mutate({ userId: ids === theirs ? b.userId : MISSING })],
      ["members.revokeInvite", (ids) => a.client.members.revokeInvite.mutate({ id: ids.inviteId })],
      ["tokens.revoke", (ids) => a.client.tokens.revoke.mutate({ id: ids.tokenId })],
      ["secrets.delete", (ids) => a.client.secrets.delete.mutate({ name: ids === theirs ? "b_secret" : "no_such_secret" })],
    ];
    const missing: typeof theirs = { graphId: MISSING, runId: MISSING, nodeRunId: MISSING, browserNodeRunId: MISSING, lease: MISSING, graphVersionId: MISSING, tableVersionId: MISSING, tokenId: MISSING, inviteId: MISSING };
    const normalize = (answer: { code: string; message: string }, ids: typeof theirs) => {
      let message = answer.message;
      for (const id of [...Object.values(ids), b.userId, "b_secret", "no_such_secret"]) if (id) message = message.split(id).join("<id>");
      return { code: answer.code, message };
    };
    for (const [name, call] of calls) {
      tally.attempt();
      const answerForMissing = normalize(await refusal(call(missing)), missing);
      const answerForTheirs = normalize(await refusal(call(theirs)), theirs);
      expect(answerForTheirs, name).toEqual(answerForMissing);
      expect(["NOT_FOUND", "BAD_REQUEST"], `${name}: ${answerForTheirs.message}`).toContain(answerForTheirs.code);
      tally.refused();
    }

    // The live-event stream (SSE) of B's graph, too.
    tally.attempt();
    const streamError = await new Promise<string>((resolve) => {
      const subscription = a.client.runs.events.subscribe({ graphId: theirs.graphId }, {
        onError: (error) => {
          subscription.unsubscribe();
          resolve(error.message.replace(theirs.graphId, "<id>"));
        },
        onData: () => resolve("got data"),
      });
      setTimeout(() => resolve("no answer"), 15_000);
    });
    expect(streamError).toBe('No graph "<id>".');
    tally.refused();
    await stored.check("calls with another workspace's ids");
    await expectServing(hostile.app, b.client);
  });

  it("resolves a graph's slug within the caller's workspace only (a slug B also uses never leads to B's graph)", async () => {
    const bGraph = () => hostile.app.services.db.prisma.graph.findUniqueOrThrow({ where: { id: theirs.graphId }, select: { title: true, revision: true, _count: { select: { runs: true, versions: true } } } });
    const before = await bGraph();
    // A asks by slug: the run must be of A's graph, never of B's graph with the same slug.
    tally.attempt();
    const { runId } = await a.client.runs.start.mutate({ graphId: "shared-name", nodeId: "make", scope: "node" });
    await waitForRun(a.client, ownGraphId, runId);
    const run = await hostile.app.services.db.prisma.run.findUniqueOrThrow({ where: { id: runId }, select: { graphId: true } });
    expect(run.graphId).toBe(ownGraphId);
    tally.refused();
    // Renaming, versioning, editing and listing webhooks by slug act on A's graph too.
    tally.attempt();
    await a.client.graphs.rename.mutate({ id: "shared-name", title: "Shared name" });
    await a.client.versions.create.mutate({ graphId: "shared-name", message: "by slug" });
    await a.client.graphs.applyChanges.mutate({ id: "shared-name", changes: [{ type: "moveNode", id: "make", position: { x: 5, y: 5 } }] });
    await a.client.webhooks.list.query({ graphId: "shared-name" });
    tally.refused();
    expect(await bGraph()).toEqual(before);
    tally.intact();
  });

  it("refuses malformed, overlong and oversized input with a clear 400 and stores nothing", async () => {
    const stored = await snapshot(hostile.app, tally);
    const deep = (depth: number): string => `${"[".repeat(depth)}1${"]".repeat(depth)}`;
    const addNode = (extra: string) => `{"id":"${ownGraphId}","changes":[{"type":"addNode","node":{"id":"evil","kind":"python","title":"evil","position":{"x":0,"y":0}${extra}}}]}`;
    const moves = JSON.stringify({ id: ownGraphId, changes: Array.from({ length: 100_000 }, (_, i) => ({ type: "moveNode", id: "make", position: { x: i, y: i } })) });
    const cases: { name: string; path: string; body: string; message: RegExp }[] = [
      { name: "wrong type", path: "graphs.create", body: '{"title": 123}', message: /expected string/i },
      { name: "missing field", path: "graphs.create", body: "{}", message: /expected string/i },
      { name: "not JSON", path: "graphs.create", body: "title=x", message: /JSON|parse/i },
      { name: "truncated JSON", path: "graphs.create", body: '{"title": "x', message: /JSON|parse/i },
      { name: "an array instead of an object", path: "graphs.create", body: "[1,2,3]", message: /expected object/i },
      { name: "a 100,000-character title", path: "graphs.create", body: JSON.stringify({ title: "x".repeat(100_000) }), message: /200/ },
      { name: "applyChanges with 100,000 changes", path: "graphs.applyChanges", body: moves, message: /5000/ },
      { name: "applyChanges with no changes", path: "graphs.applyChanges", body: JSON.stringify({ id: ownGraphId, changes: [] }), message: /1/ },
      { name: "a 10 MB code string", path: "graphs.applyChanges", body: addNode(`,"code":"${"x".repeat(10_000_000)}"`), message: /1000000/ },
      { name: "parameterValues nested 100,000 deep", path: "graphs.applyChanges", body: addNode(`,"parameterValues":{"p":${deep(100_000)}}`), message: /nested|deep/i },
      { name: "parameterValues nested 1,000 deep", path: "graphs.applyChanges", body: addNode(`,"parameterValues":{"p":${deep(1_000)}}`), message: /nested|deep/i },
      { name: "a 10,000-character node id", path: "graphs.applyChanges", body: JSON.stringify({ id: ownGraphId, changes: [{ type: "removeNode", id: "x".repeat(10_000) }] }), message: /200/ },
      { name: "an unknown change type", path: "graphs.applyChanges", body: JSON.stringify({ id: ownGraphId, changes: [{ type: "dropDatabase" }] }), message: /invalid|discriminator|type/i },
      { name: "a change to a node that does not exist", path: "graphs.applyChanges", body: JSON.stringify({ id: ownGraphId, changes: [{ type: "removeNode", id: "ghost" }] }), message: /No node with id "ghost"/ },
      { name: "a run with a bad scope", path: "runs.start", body: JSON.stringify({ graphId: ownGraphId, nodeId: 5, scope: "everything" }), message: /scope|expected/i },
      { name: "a preview page of a billion rows", path: "stores.preview", body: "", message: /500/ },
      { name: "a secret value over 64 KiB", path: "secrets.set", body: JSON.stringify({ name: "big", kind: "value", value: "é".repeat(60_000) }), message: /64 KiB/ },
      { name: "a secret name with a path", path: "secrets.set", body: JSON.stringify({ name: "../etc", kind: "value", value: "v" }), message: /not a usable secret name/ },
      { name: "a connection that is not JSON", path: "secrets.set", body: JSON.stringify({ name: "conn", kind: "connection", value: "{nope" }), message: /not valid JSON/ },
      { name: "an invite for a 10,000-character address", path: "members.invite", body: JSON.stringify({ email: `${"a".repeat(10_000)}@example.test`, role: "viewer" }), message: /320/ },
      { name: "a token with an unknown role", path: "tokens.create", body: JSON.stringify({ name: "x", role: "god" }), message: /role|expected/i },
      { name: "a 1 MB password", path: "auth.signIn", body: JSON.stringify({ email: "owner@example.test", password: "p".repeat(1_000_000) }), message: /1024/ },
      { name: "a 1 MB version name", path: "versions.create", body: JSON.stringify({ graphId: ownGraphId, message: "m".repeat(1_000_000) }), message: /500/ },
      { name: "a NUL character in a title", path: "graphs.create", body: JSON.stringify({ title: "a\u0000b" }), message: /NUL character \(\\u0000\) at title/ },
      { name: "a NUL character in node code", path: "graphs.applyChanges", body: addNode(`,"code":"print(1)\\u0000"`), message: /NUL character \(\\u0000\) at changes\[0\]\.node\.code/ },
      { name: "a NUL character in a parameter name", path: "graphs.applyChanges", body: addNode(`,"parameterValues":{"p\\u0000":1}`), message: /NUL character/ },
      { name: "an unpaired surrogate in node code", path: "graphs.applyChanges", body: addNode(`,"code":"x = '\\ud800'"`), message: /unpaired surrogate .* at changes\[0\]\.node\.code/ },
      { name: "a NUL character in an email", path: "auth.signIn", body: JSON.stringify({ email: "owner@example.test\u0000", password: "whatever it is" }), message: /NUL character/ },
      { name: "a bridge request on a server run", path: "runtime.bridge", body: JSON.stringify({ nodeRunId: theirs.nodeRunId, lease: "x", request: { op: "commit" } }), message: /No graph|not a browser run|No node run/ },
    ];
    for (const attempt of cases) {
      tally.attempt();
      const started = Date.now();
      const response =
        attempt.path === "stores.preview"
          ? await fetch(`${url}/trpc/stores.preview?input=${encodeURIComponent(JSON.stringify({ graphId: ownGraphId, storeName: "rows", limit: 1_000_000_000 }))}`, { headers: { cookie: a.jar.header() } })
          : await post(attempt.path, attempt.body);
      const text = await response.text();
      expect({ name: attempt.name, status: response.status }).toEqual({ name: attempt.name, status: attempt.path === "runtime.bridge" ? 404 : 400 });
      expect(errorMessage(text), attempt.name).toMatch(attempt.message);
      expect(Date.now() - started, `${attempt.name} took too long`).toBeLessThan(30_000);
      tally.refused();
    }
    await stored.check("malformed input");
    await expectServing(hostile.app, a.client);
  });

  it("refuses edits that would grow a graph past its size limit, edit by edit", async () => {
    const big = await a.client.graphs.create.mutate({ title: "Growing" });
    // Each edit fits the body limit (26 nodes of 999,000 characters); the second would double the graph.
    const addBatch = (batch: number) =>
      a.client.graphs.applyChanges.mutate({
        id: big.id,
        changes: Array.from({ length: 26 }, (_, i) => ({ type: "addNode" as const, node: { id: `n${batch}_${i}`, kind: "markdown" as const, title: `n${batch}_${i}`, position: { x: 0, y: 0 }, code: "x".repeat(999_000), inputs: {}, outputs: {}, parameterValues: {}, runtime: "server" as const } })),
      });
    await addBatch(0);
    const stored = await snapshot(hostile.app, tally);
    tally.attempt();
    const refused = await refusal(addBatch(1));
    expect(refused).toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(new RegExp(`a graph may hold at most ${MAX_DOCUMENT_CHARS / 1_000_000} million`)) });
    tally.refused();
    await stored.check("an edit past the graph size limit");
    await a.client.graphs.delete.mutate({ id: big.id });
    await expectServing(hostile.app, a.client);
  }, 120_000);

  it("refuses a batch of more calls than it allows, before running any", async () => {
    const stored = await snapshot(hostile.app, tally);
    tally.attempt();
    const count = API_MAX_BATCH_CALLS + 1;
    const paths = Array.from({ length: count }, () => "graphs.create").join(",");
    const body = JSON.stringify(Object.fromEntries(Array.from({ length: count }, (_, i) => [String(i), { title: `batch ${i}` }])));
    const response = await post(`${paths}?batch=1`, body);
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/Batch call exceeds maximum size/);
    tally.refused();
    await stored.check("an oversized batch");
  });

  it("caps request bodies: a 50 MB POST gets 413 at once, declared or streamed, and is not buffered", async () => {
    const stored = await snapshot(hostile.app, tally);
    const target = new URL(`${url}/trpc/graphs.create`);
    /** Sends up to `total` bytes (in 64 KiB chunks) and reports the answer and how much was sent before it came. */
    const send = (total: number, declared: boolean) =>
      new Promise<{ status: number; text: string; sentBefore: number; ms: number }>((resolve, reject) => {
        const started = Date.now();
        let sent = 0;
        let answered = false;
        const req = httpRequest(
          {
            host: target.hostname,
            port: target.port,
            path: target.pathname,
            method: "POST",
            headers: { "content-type": "application/json", cookie: a.jar.header(), ...(declared ? { "content-length": String(total) } : {}) },
          },
          (res) => {
            answered = true;
            const sentBefore = sent;
            let text = "";
            res.on("data", (chunk: Buffer) => (text += chunk.toString()));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, text, sentBefore, ms: Date.now() - started }));
            res.on("error", reject);
          },
        );
        req.on("error", (error) => {
          if (!answered) reject(error);
        });
        const chunk = Buffer.alloc(65_536, 0x20);
        const pump = () => {
          while (!answered && sent < total) {
            sent += chunk.length;
            if (!req.write(chunk)) {
              req.once("drain", pump);
              return;
            }
          }
          if (!answered) req.end();
        };
        req.write('{"title": "');
        pump();
        setTimeout(() => reject(new Error("no answer within 60 s")), 60_000).unref();
      });
    const fifty = 50 * 1024 * 1024;
    for (const declared of [true, false]) {
      tally.attempt();
      const answer = await send(fifty, declared);
      expect(answer.status).toBe(413);
      expect(errorMessage(answer.text)).toMatch(new RegExp(`at most ${API_MAX_BODY_BYTES} bytes`));
      // Refused as soon as the limit was passed, not after reading all 50 MB.
      expect(answer.sentBefore).toBeLessThan(API_MAX_BODY_BYTES + 16 * 1024 * 1024);
      expect(answer.ms).toBeLessThan(30_000);
      tally.refused();
    }
    await stored.check("oversized bodies");
    await expectServing(hostile.app, a.client);
  });

  it("refuses oversized headers, cookies and URLs before they reach the API", async () => {
    const stored = await snapshot(hostile.app, tally);
    const attempts: [string, () => Promise<Response>][] = [
      ["a 100 KB URL", () => fetch(`${url}/trpc/graphs.get?input=${encodeURIComponent(JSON.stringify({ id: "x".repeat(100_000) }))}`, { headers: { cookie: a.jar.header() } })],
      ["a 100 KB cookie", () => fetch(`${url}/trpc/graphs.list`, { headers: { cookie: `${a.jar.header()}; junk=${"j".repeat(100_000)}` } })],
      ["a 100 KB header", () => fetch(`${url}/trpc/graphs.list`, { headers: { cookie: a.jar.header(), "x-junk": "j".repeat(100_000) } })],
      ["10,000 headers", () => fetch(`${url}/trpc/graphs.list`, { headers: { cookie: a.jar.header(), ...Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`x-h${i}`, "1"])) } })],
    ];
    for (const [name, send] of attempts) {
      tally.attempt();
      const response = await send().catch((error: unknown) => error);
      // Node refuses these itself (431 Request Header Fields Too Large), or cuts the connection.
      if (response instanceof Response) expect({ name, status: response.status }).toEqual({ name, status: 431 });
      else expect(response, name).toBeInstanceOf(Error);
      tally.refused();
    }
    await stored.check("oversized headers");
    await expectServing(hostile.app, a.client);
  });

  it("refuses every mutation from another origin, and mutations sent as GET", async () => {
    const stored = await snapshot(hostile.app, tally);
    const mutations = mutationsAndQueries().filter((p) => p.type === "mutation");
    expect(mutations.length).toBeGreaterThan(20);
    const host = new URL(url).host;
    const origins = ["https://evil.example", "null", `http://${host}.evil.example`, `http://evil.example/${host}`, "http://127.0.0.1:1"];
    for (const { path } of mutations) {
      for (const origin of origins) {
        tally.attempt();
        const response = await post(path, "{}", { origin, "x-patchbay-csrf": "1" });
        expect({ path, origin, status: response.status }).toEqual({ path, origin, status: 403 });
        expect(await response.text()).toMatch(/came from another site/);
        tally.refused();
      }
      // A cross-site GET (an <img>, a link) cannot run a mutation either.
      tally.attempt();
      const viaGet = await fetch(`${url}/trpc/${path}?input=${encodeURIComponent("{}")}`, { headers: { cookie: a.jar.header() } });
      expect({ path, status: viaGet.status }).toEqual({ path, status: 405 });
      tally.refused();
    }
    await stored.check("cross-site mutations");
  });

  it("never promotes a planted session: not on sign-in, not on accepting an invite", async () => {
    const planted = "planted-by-an-attacker";
    // An invite accepted in a browser that carries a planted cookie.
    const { path } = await a.client.members.invite.mutate({ email: "newcomer@example.test", role: "viewer" });
    const jar = new CookieJar();
    jar.cookies.set("patchbay_session", planted);
    tally.attempt();
    await apiClient(url, { jar }).auth.acceptInvite.mutate({ token: path.slice("/#/invite/".length), password: "newcomer's passphrase" });
    expect(jar.cookies.get("patchbay_session")).not.toBe(planted);
    const replay = await fetch(`${url}/trpc/graphs.list`, { headers: { cookie: `patchbay_session=${planted}` } });
    expect(replay.status).toBe(401);
    tally.refused();
    // An attacker's own valid session planted in a victim's browser ends when the victim signs in.
    const attackerJar = new CookieJar();
    await apiClient(url, { jar: attackerJar }).auth.signIn.mutate({ email: "newcomer@example.test", password: "newcomer's passphrase" });
    const attackerCookie = attackerJar.header();
    const victimJar = new CookieJar();
    victimJar.cookies.set("patchbay_session", attackerJar.cookies.get("patchbay_session") ?? "");
    tally.attempt();
    await apiClient(url, { jar: victimJar }).auth.signIn.mutate({ email: "owner@example.test", password: "correct horse battery staple" });
    expect(victimJar.header()).not.toBe(attackerCookie);
    expect((await fetch(`${url}/trpc/graphs.list`, { headers: { cookie: attackerCookie } })).status).toBe(401);
    tally.refused();
  });

  it("refuses revoked, garbage and overlong API tokens on every procedure", async () => {
    const stored = await snapshot(hostile.app, tally);
    const { token: revoked, summary } = await a.client.tokens.create.mutate({ name: "soon revoked", role: "editor" });
    await a.client.tokens.revoke.mutate({ id: summary.id });
    const headers = [`Bearer ${revoked}`, "Bearer pbt_garbage", `Bearer pbt_${"x".repeat(5_000)}`, "Bearer", "Bearer a b c", `bearer ${revoked}`];
    const procedures = mutationsAndQueries().filter((p) => p.type !== "subscription" && !["auth.status", "auth.setup", "auth.signIn", "auth.inviteInfo", "auth.acceptInvite"].includes(p.path));
    for (const authorization of headers) {
      for (const { path, type } of procedures) {
        tally.attempt();
        const response =
          type === "mutation"
            ? await fetch(`${url}/trpc/${path}`, { method: "POST", headers: { "content-type": "application/json", authorization }, body: "{}" })
            : await fetch(`${url}/trpc/${path}?input=${encodeURIComponent("{}")}`, { headers: { authorization } });
        expect({ authorization: authorization.slice(0, 20), path, status: response.status }).toEqual({ authorization: authorization.slice(0, 20), path, status: 401 });
        tally.refused();
      }
    }
    // A bad token with a good session cookie: the token decides, the cookie does not rescue it.
    tally.attempt();
    const mixed = await post("graphs.create", JSON.stringify({ title: "mixed" }), { authorization: "Bearer pbt_garbage" });
    expect(mixed.status).toBe(401);
    tally.refused();
    await stored.check("bad API tokens");
    await expectServing(hostile.app, a.client);
  });
});
