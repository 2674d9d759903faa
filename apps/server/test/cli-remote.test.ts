import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEnv } from "../src/env.ts";
import { startApp, type App } from "../src/app.ts";
import { signUpOwner, type ApiClient } from "./auth-client.ts";

const MAIN = fileURLToPath(new URL("../src/cli/main.ts", import.meta.url));

/** Runs the real CLI against the server's API with an API token, never touching a database. */
function remoteCli(server: string, token: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN, ...args], {
      // No DATA_DIR or DATABASE_URL: the command must go through the API.
      env: { PATH: process.env["PATH"] ?? "", PATCHBAY_SERVER: server, PATCHBAY_TOKEN: token, DATA_DIR: "/nonexistent/patchbay-remote-test" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

describe("the CLI against a remote server, with an API token", () => {
  let app: App;
  let dir: string;
  let owner: ApiClient;
  let editorToken: string;
  let viewerToken: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "patchbay-remote-"));
    app = await startApp(readEnv({ PORT: "0", HOST: "127.0.0.1", WORKERS: "1", DATA_DIR: dir }));
    owner = (await signUpOwner(app.url)).client;
    editorToken = (await owner.tokens.create.mutate({ name: "CI", role: "editor" })).token;
    viewerToken = (await owner.tokens.create.mutate({ name: "dashboards", role: "viewer" })).token;
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("lists graphs, runs one and prints a table through the API", async () => {
    const graphs = await remoteCli(app.url, editorToken, "graphs", "--json");
    expect(graphs.code, graphs.stderr).toBe(0);
    expect(JSON.parse(graphs.stdout)).toEqual([expect.objectContaining({ slug: "example-orders" })]);

    const run = await remoteCli(app.url, editorToken, "run", "example-orders");
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("generate_orders: succeeded, 100 records written");
    expect(run.stdout).toContain("summarise_orders: succeeded");

    const table = await remoteCli(app.url, editorToken, "table", "example-orders", "order_summary", "--json");
    expect(table.code, table.stderr).toBe(0);
    expect(JSON.parse(table.stdout).map((r: { item: string }) => r.item)).toEqual(["apple", "fig", "pear", "plum"]);
  });

  it("is checked like any caller: a viewer token may read but not run, a bad token gets nothing", async () => {
    const read = await remoteCli(app.url, viewerToken, "table", "example-orders", "orders", "--limit", "3");
    expect(read.code, read.stderr).toBe(0);
    const run = await remoteCli(app.url, viewerToken, "run", "example-orders");
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Starting the run: .*(editor|permission|role)/i);
    const bad = await remoteCli(app.url, "pbt_not_a_real_token", "graphs");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/Listing graphs:/);
    const local = await remoteCli(app.url, editorToken, "import", "examples/orders-report");
    expect(local.code).toBe(2);
    expect(local.stderr).toMatch(/works on a local database only/);
    const logs = await remoteCli(app.url, editorToken, "run", "example-orders", "--logs");
    expect(logs.code).toBe(2);
    expect(logs.stderr).toMatch(/--logs works on a local database only/);
  });
});
