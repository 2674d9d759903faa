import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { createTRPCClient } from "@trpc/client";
import type { AppRouter } from "@patchbay/api";
import { readEnv } from "../src/env.ts";
import { startApp, type App } from "../src/app.ts";
import { signUpOwner } from "./auth-client.ts";

// Node code that tries to get out of its sandbox, run through the real app:
// each attempt fails with a clear error on the node run, and the server keeps
// answering and running nodes afterwards.

const DATABASE_URL_MARKER = "postgres://escape-test-user:escape-test-password@db.invalid:5432/patchbay";

let app: App;
let dataDir: string;
let client: ReturnType<typeof createTRPCClient<AppRouter>>;
let graphId: string;
let serverPort: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "patchbay-escapes-"));
  // A secret in the server's own environment, which node code must not see.
  process.env["DATABASE_URL_ESCAPE_TEST"] = DATABASE_URL_MARKER;
  app = await startApp(readEnv({ PORT: "0", HOST: "127.0.0.1", WORKERS: "1", RUN_TIME_LIMIT_SECONDS: "30", SEED_EXAMPLE: "false", DATA_DIR: dataDir }));
  serverPort = new URL(app.url).port;
  client = (await signUpOwner(app.url)).client;
  graphId = (await client.graphs.create.mutate({ title: "Escapes" })).id;
  await client.graphs.applyChanges.mutate({
    id: graphId,
    changes: [{ type: "addNode", node: { id: "mine", kind: "table", title: "mine", position: { x: 600, y: 0 }, code: "", inputs: {}, outputs: {}, parameterValues: {}, runtime: "server" } }],
  });
}, 120_000);

afterAll(async () => {
  await app?.close();
  delete process.env["DATABASE_URL_ESCAPE_TEST"];
  rmSync(dataDir, { recursive: true, force: true });
});

let nodeCount = 0;

/** Adds a Python node with this code (its port `out` bound to the table "mine"), runs it and waits for the result. */
async function runNode(code: string): Promise<{ status: string; error: string | null; logs: string[] }> {
  nodeCount += 1;
  const id = `escape_${nodeCount}`;
  await client.graphs.applyChanges.mutate({
    id: graphId,
    changes: [
      { type: "addNode", node: { id, kind: "python", title: id, position: { x: 0, y: nodeCount * 120 }, code, inputs: {}, outputs: {}, parameterValues: {}, runtime: "server" } },
      ...(code.includes('Table("out", "w")') ? [{ type: "bindPort" as const, nodeId: id, direction: "output" as const, port: "out", storeId: "mine" }] : []),
    ],
  });
  const { runId } = await client.runs.start.mutate({ graphId, nodeId: id, scope: "node" });
  for (let i = 0; i < 600; i++) {
    const latest = (await client.runs.latestByNode.query({ graphId }))[id];
    if (latest && latest.runId === runId && latest.status !== "queued" && latest.status !== "running") {
      return { status: latest.status, error: latest.error, logs: latest.logs.map((entry) => entry.message) };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`node ${id} did not finish`);
}

// The import guard is Python, so node code can switch it off and reach the
// host's JavaScript; what it finds there is still inside the sandbox process,
// which is the boundary these attempts test.
const REACH_JS = `
import patterns._guard as guard
guard._blocker.armed = False
import js
from patterns.host import run_sync
`;

const attempts: { name: string; code: () => string; error: RegExp }[] = [
  { name: "reading /etc/passwd", code: () => "print(open('/etc/passwd').read())", error: /FileNotFoundError: .*\/etc\/passwd/ },
  { name: "reading the server's files", code: () => `print(open(${JSON.stringify(join(process.cwd(), "package.json"))}).read())`, error: /FileNotFoundError/ },
  { name: "reading the server's environment", code: () => "import os\nprint(os.environ['DATABASE_URL_ESCAPE_TEST'])", error: /KeyError: 'DATABASE_URL_ESCAPE_TEST'/ },
  { name: "reading DATABASE_URL", code: () => "import os\nprint(os.environ['DATABASE_URL'])", error: /KeyError: 'DATABASE_URL'/ },
  { name: "import js", code: () => "import js\nprint(js.process.env)", error: /access to the host's JavaScript is not allowed in Patchbay nodes/ },
  { name: "pyodide.code.run_js", code: () => "from pyodide.code import run_js\nrun_js('process.exit(1)')", error: /access to the host's JavaScript is not allowed/ },
  { name: "import pyodide_js", code: () => "import pyodide_js\nprint(pyodide_js.version)", error: /access to the host's JavaScript is not allowed/ },
  { name: "subprocess", code: () => "import subprocess\nsubprocess.run(['id'])", error: /OSError|not supported|emscripten does not support processes/ },
  { name: "os.system", code: () => "import os\nos.system('id')", error: /running programs is not allowed in Patchbay nodes/ },
  {
    name: "the Function constructor through a proxy",
    code: () => "from patterns import State\nf = State()._invocation._bridge_call.constructor.constructor\nf.new('return process.env')()",
    error: /Code generation from strings disallowed/,
  },
  {
    name: "process.kill of the server",
    code: () => `${REACH_JS}\njs.process.kill(js.process.ppid, 9)`,
    error: /signalling processes is not allowed in a Patchbay sandbox/,
  },
  {
    name: "a child process from JavaScript",
    code: () => `${REACH_JS}\njs.process.binding("spawn_sync")`,
    error: /not available|Access to this API has been restricted|No such module|ERR_ACCESS_DENIED/,
  },
  {
    name: "a socket to the server",
    code: () => `import socket\nsocket.create_connection(("127.0.0.1", ${serverPort}), timeout=2)`,
    error: /OSError|Errno/,
  },
  {
    name: "fetch to the server",
    code: () => `${REACH_JS}\nprint(run_sync(js.fetch("http://127.0.0.1:${serverPort}/healthz")).status)`,
    error: /fetch failed|ERR_ACCESS_DENIED|Access to this API has been restricted/,
  },
  {
    name: "writing to a store not bound to its ports",
    code: () =>
      'from patterns import State\nState()._invocation.call({"op": "commit", "writes": [{"op": "append", "port": "someone_elses", "records": [{"a": 1}]}], "cursors": [], "state": None})',
    error: /may not write to "someone_elses"/,
  },
  {
    name: 'read_sql on the app\'s "Graph" table',
    code: () => 'from patterns import Table\nout = Table("out", "w")\nout.append({"a": 1})\nprint(out.read_sql(\'SELECT * FROM "Graph"\'))',
    error: /may only query its own stores; the SQL reads public\.Graph/,
  },
  {
    name: 'read_sql on the app\'s "User" table',
    code: () => 'from patterns import State\nprint(State()._invocation.read_sql(\'SELECT * FROM "User"\'))',
    error: /may only query its own stores; the SQL reads public\.User/,
  },
];

describe("a node trying to escape its sandbox", () => {
  for (const attempt of attempts) {
    it(`fails clearly: ${attempt.name}`, async () => {
      const result = await runNode(attempt.code());
      expect(result.status, result.logs.join("\n")).toBe("failed");
      expect(result.error).toMatch(attempt.error);
      expect([result.error, ...result.logs].join("\n")).not.toContain(DATABASE_URL_MARKER);
    });
  }

  it("leaves the server answering and running nodes", async () => {
    const health = await fetch(`${app.url}/healthz`);
    expect(health.status).toBe(200);
    const result = await runNode('from patterns import Table\nTable("out", "w").append([{"ok": True}])\nprint("still fine")');
    expect(result.error).toBeNull();
    expect(result.status).toBe("succeeded");
    expect(result.logs).toContain("still fine");
    const mine = await client.stores.preview.query({ graphId, storeName: "mine", offset: 0, limit: 10 });
    expect(mine.rows.map((row) => row["ok"])).toEqual([true]);
  });
});
