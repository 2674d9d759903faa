import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEnv } from "../src/env.ts";
import { startApp, type App } from "../src/app.ts";
import { signUpOwner, type ApiClient } from "./auth-client.ts";
import { testEngines } from "./support/test-engines.ts";

// Workspace secrets through the real server and a real sandboxed run:
// encrypted at rest, never listed in clear, resolved only inside the run,
// and masked in every log line that is stored or pushed.

const engines = testEngines("patchbay-secrets-");

const API_KEY = "sk-live-9f8e7d6c5b4a";
const WAREHOUSE = { host: "db.internal.example", user: "etl", password: 'pw-Zx81!q"uote', port: 5432 };

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

const CODE = [
  "import time",
  "from patterns import Parameter, Connection, Table",
  'key = Parameter("key")',
  'url = Parameter("url")',
  'db = Parameter("db", type=Connection("postgres"))',
  'pw = Parameter("pw")',
  'print("key is", key)',
  // Long enough for the server to push the running node's logs live.
  "time.sleep(1.2)",
  'print("url is", url)',
  'print("connection", db)',
  'print("password field", pw)',
  'out = Table("checks", "w")',
  // Compared through hashes, so the code holds no secret either.
  "import hashlib",
  "h = lambda text: hashlib.sha256(text.encode()).hexdigest()",
  `out.append({"key_ok": h(key) == "${sha256(API_KEY)}", "url_ok": h(url) == "${sha256(`https://api.example/?token=${API_KEY}`)}", "db_ok": h(db["password"]) == "${sha256(WAREHOUSE.password)}" and db["port"] == 5432, "pw_ok": pw == db["password"]})`,
].join("\n");

describe.each(engines)("secrets on $name", (engine) => {
  let app: App;
  let cleanup: () => Promise<void>;
  let owner: ApiClient;

  beforeAll(async () => {
    const setup = await engine.setup();
    cleanup = setup.cleanup;
    // On PostgreSQL, a fixed key as production would have (PGlite makes one in DATA_DIR).
    const key = engine.name === "postgres" ? { PATCHBAY_SECRET_KEY: Buffer.alloc(32, 7).toString("base64") } : {};
    app = await startApp(readEnv({ PORT: "0", HOST: "127.0.0.1", WORKERS: "1", RUN_TIME_LIMIT_SECONDS: "60", SEED_EXAMPLE: "false", ...setup.env, ...key }));
    owner = (await signUpOwner(app.url)).client;
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await cleanup?.();
  });

  async function waitForNodeRun(graphId: string, nodeId: string, runId: string) {
    for (let i = 0; i < 900; i++) {
      const latest = (await owner.runs.latestByNode.query({ graphId }))[nodeId];
      // finishedAt as well as the status: the logs are saved with the end of the run.
      if (latest && latest.runId === runId && latest.status !== "queued" && latest.status !== "running" && latest.finishedAt !== null) return latest;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`node ${nodeId} did not finish`);
  }

  it("stores secrets encrypted and lists only their names", async () => {
    await owner.secrets.set.mutate({ name: "api_key", kind: "value", value: "an old value, replaced below" });
    const first = (await owner.secrets.list.query()).find((s) => s.name === "api_key");
    await owner.secrets.set.mutate({ name: "api_key", kind: "value", value: API_KEY });
    await owner.secrets.set.mutate({ name: "warehouse", kind: "connection", connectionType: "postgres", value: JSON.stringify(WAREHOUSE) });
    const list = await owner.secrets.list.query();
    expect(list.map((s) => [s.name, s.kind, s.connectionType])).toEqual([["api_key", "value", null], ["warehouse", "connection", "postgres"]]);
    expect(Date.parse(list[0]?.updatedAt ?? "")).toBeGreaterThanOrEqual(Date.parse(first?.updatedAt ?? ""));
    const listed = JSON.stringify(list);
    for (const value of [API_KEY, WAREHOUSE.password, WAREHOUSE.host]) expect(listed).not.toContain(value);

    // At rest: AES-256-GCM ciphertext, no plaintext in any encoding that is easy to spot.
    const rows = await app.services.db.prisma.secret.findMany();
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.encryptedValue).toMatch(/^v1\.[0-9a-f]{8}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
      const text = JSON.stringify(row);
      for (const value of [API_KEY, WAREHOUSE.password, WAREHOUSE.host]) {
        expect(text).not.toContain(value);
        expect(text).not.toContain(Buffer.from(value).toString("base64").slice(0, 12));
        expect(text).not.toContain(Buffer.from(value).toString("base64url").slice(0, 12));
      }
    }
    // Bad input is refused clearly.
    await expect(owner.secrets.set.mutate({ name: "bad name", kind: "value", value: "x" })).rejects.toThrow(/not a usable secret name/);
    await expect(owner.secrets.set.mutate({ name: "conn", kind: "connection", value: "[1, 2]" })).rejects.toThrow(/JSON object/);
  });

  it("resolves references only inside the run and masks secret values in stored and pushed logs", async () => {
    const { id: graphId } = await owner.graphs.create.mutate({ title: "Uses secrets" });
    await owner.graphs.applyChanges.mutate({
      id: graphId,
      changes: [
        {
          type: "addNode",
          node: {
            id: "p",
            kind: "python",
            title: "p",
            position: { x: 0, y: 0 },
            code: CODE,
            inputs: {},
            outputs: {},
            runtime: "server",
            parameterValues: { key: "${{ api_key }}", url: "https://api.example/?token=${{api_key}}", db: "warehouse", pw: "${{ warehouse.password }}" },
          },
        },
        { type: "addNode", node: { id: "t", kind: "table", title: "checks", position: { x: 300, y: 0 }, code: "", inputs: {}, outputs: {}, parameterValues: {}, runtime: "server" } },
        { type: "bindPort", nodeId: "p", direction: "output", port: "checks", storeId: "t" },
      ],
    });
    // The document keeps the references, never the values.
    expect(JSON.stringify(await owner.graphs.get.query({ id: graphId }))).not.toContain(API_KEY);

    const pushed: string[] = [];
    const subscription = owner.runs.events.subscribe({ graphId }, { onData: (event) => pushed.push(JSON.stringify(event.nodeRun)) });
    await new Promise((r) => setTimeout(r, 500));
    const { runId } = await owner.runs.start.mutate({ graphId, nodeId: "p", scope: "node" });
    const run = await waitForNodeRun(graphId, "p", runId);
    await new Promise((r) => setTimeout(r, 300));
    subscription.unsubscribe();
    expect(run.error).toBeNull();
    expect(run.status).toBe("succeeded");

    // Resolved: the code saw the real values.
    const checks = await owner.stores.preview.query({ graphId, storeName: "checks", offset: 0, limit: 5 });
    expect(checks.rows[0]).toMatchObject({ key_ok: true, url_ok: true, db_ok: true, pw_ok: true });

    // Masked where they were printed, in the stored logs…
    const messages = run.logs.map((l) => l.message).join("\n");
    expect(messages).toContain("key is ***");
    expect(messages).toContain("url is https://api.example/?token=***");
    expect(messages).toContain("password field ***");
    expect(messages).toMatch(/connection \{'host': '\*\*\*', 'user': 'etl', 'password': '\*\*\*', 'port': 5432\}/);
    const stored = JSON.stringify(await app.services.db.prisma.nodeRun.findMany({ where: { graphId } }));
    // …and in every live update pushed to browsers, including the ones sent while it ran.
    expect(pushed.some((event) => event.includes('"status":"running"') && event.includes("key is ***"))).toBe(true);
    for (const text of [stored, ...pushed]) {
      for (const value of [API_KEY, WAREHOUSE.password, WAREHOUSE.host]) expect(text).not.toContain(value);
    }
  });

  it("masks secrets in a failing run's error and fails a run that uses an unknown secret, naming it", async () => {
    const { id: graphId } = await owner.graphs.create.mutate({ title: "Secret failures" });
    const python = (id: string, code: string, parameterValues: Record<string, unknown>) => ({
      type: "addNode" as const,
      node: { id, kind: "python" as const, title: id, position: { x: 0, y: 0 }, code, inputs: {}, outputs: {}, parameterValues, runtime: "server" as const },
    });
    await owner.graphs.applyChanges.mutate({
      id: graphId,
      changes: [
        python("leaky", 'from patterns import Parameter\nraise RuntimeError("refused key " + Parameter("key"))\n', { key: "${{ api_key }}" }),
        python("typo", 'from patterns import Parameter\nprint(Parameter("key"))\n', { key: "${{ api_kee }}" }),
      ],
    });
    const leaky = await owner.runs.start.mutate({ graphId, nodeId: "leaky", scope: "node" });
    const failed = await waitForNodeRun(graphId, "leaky", leaky.runId);
    expect(failed.status).toBe("failed");
    expect(failed.error).toContain("refused key ***");
    expect(failed.error).not.toContain(API_KEY);

    const typo = await owner.runs.start.mutate({ graphId, nodeId: "typo", scope: "node" });
    const unknown = await waitForNodeRun(graphId, "typo", typo.runId);
    expect(unknown.status).toBe("failed");
    expect(unknown.error).toMatch(/Parameter "key" uses the secret "api_kee", which this workspace does not have/);
  });
});
