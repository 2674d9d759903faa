import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importGraphYml } from "@patchbay/graph";
import { readAppFolder } from "../src/cli/app-folder.ts";

// The real CLI, as `npx patchbay` starts it, on a DATA_DIR of its own.
const REPO = fileURLToPath(new URL("../../../", import.meta.url));
const MAIN = join(REPO, "apps/server/src/cli/main.ts");
const EXAMPLES = join(REPO, "examples");

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

let dataDir: string;
let scratch: string;

function cli(...args: string[]): Promise<CliResult> {
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], {
      cwd: REPO,
      env: { ...inherited, DATA_DIR: dataDir, SEED_EXAMPLE: "false", WORKERS: "1", RUN_TIME_LIMIT_SECONDS: "60" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** The id `patchbay import` prints alone on its last line. */
async function importExample(dir: string): Promise<string> {
  const result = await cli("import", dir);
  // No warnings about the app itself. (Registering a cron schedule may still
  // warn: that is the schedule service's, reported separately.)
  expect(result.stderr).not.toMatch(/^warning: (?!the graph was imported, but its schedules)/m);
  expect(result.code).toBe(0);
  const id = result.stdout.trimEnd().split("\n").at(-1) ?? "";
  expect(id).toMatch(/^[0-9A-Z]{26}$/);
  return id;
}

/** `table --json`: stdout is one JSON array and nothing else. */
async function rows(graph: string, store: string): Promise<Record<string, unknown>[]> {
  const result = await cli("table", graph, store, "--json", "--limit", "1000");
  expect(result.code).toBe(0);
  const parsed: unknown = JSON.parse(result.stdout);
  if (!Array.isArray(parsed)) throw new Error("table --json did not print an array");
  return parsed.map((row: unknown) => {
    if (typeof row !== "object" || row === null) throw new Error("a row is not an object");
    return Object.fromEntries(Object.entries(row).filter(([key]) => key !== "patterns_id"));
  });
}

function appFolder(name: string, files: Record<string, string>): string {
  const dir = join(scratch, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), "patchbay-cli-data-"));
  scratch = mkdtempSync(join(tmpdir(), "patchbay-cli-apps-"));
});

afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

describe("patchbay command line", () => {
  it("explains itself, and refuses unknown commands and bad arguments with exit code 2", async () => {
    const help = await cli("--help");
    expect(help.code).toBe(0);
    for (const command of ["import <dir>", "export <graph> <dir>", "run <graph>", "table <graph> <store>", "graphs"]) expect(help.stdout).toContain(command);
    expect(help.stdout).toContain("PGlite allows one process at a time");
    const unknown = await cli("frobnicate");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown command "frobnicate"');
    const missing = await cli("table", "only-one");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("Usage: patchbay table <graph> <store>");
    const badOption = await cli("graphs", "--colour");
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toContain("--colour");
  });

  it("imports the orders example, runs it, and shows the SQL aggregate", async () => {
    const id = await importExample("examples/orders-report");
    const run = await cli("run", id);
    expect(run.stderr).toContain("Run succeeded");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/succeeded\s+Generate orders \(gen0rdrs\): 60 records written/);
    expect(run.stdout).toMatch(/succeeded\s+Revenue by item \(rev8item\): 4 records written/);

    // What generate_orders.py writes, summed as revenue_by_item.sql does.
    const items = ["apple", "pear", "plum", "fig"];
    const price: Record<string, number> = { apple: 120, pear: 250, plum: 75, fig: 300 };
    const expected = new Map<string, { item: string; orders: number; units: number; revenue_cents: number }>();
    for (let i = 1; i <= 60; i++) {
      const item = items[i % 4] ?? "";
      const row = expected.get(item) ?? { item, orders: 0, units: 0, revenue_cents: 0 };
      row.orders += 1;
      row.units += (i % 5) + 1;
      row.revenue_cents += ((i % 5) + 1) * (price[item] ?? 0);
      expected.set(item, row);
    }
    expect(await rows(id, "revenue_by_item")).toEqual([...expected.values()].sort((a, b) => a.item.localeCompare(b.item)));
    expect(await rows("orders-report", "orders")).toHaveLength(60);

    const text = await cli("table", "orders-report", "revenue_by_item");
    expect(text.code).toBe(0);
    const lines = text.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^item\s+orders\s+units\s+revenue_cents\s+patterns_id$/);
    expect(lines[1]).toMatch(/^-+\s+-+/);
    expect(lines[2]).toMatch(/^apple\s+15\s+45\s+5400\s/);
    expect(text.stderr).toContain("4 of 4 rows");
  });

  it("consumes each stream record exactly once over two runs", async () => {
    const id = await importExample("examples/event-stream");
    for (let round = 0; round < 2; round++) {
      const run = await cli("run", id);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/Record events \(tally0ev\): 5 records written/);
    }
    const consumed = await rows(id, "consumed_events");
    expect(consumed.map((r) => r["event_id"])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(consumed[2]).toEqual({ event_id: 2, kind: "purchase" });
  });

  it("passes parameter values of every type to Python and SQL nodes", async () => {
    const id = await importExample("examples/calendar-parameters");
    const run = await cli("run", id, "--logs");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("info: 10 days from 2024-03-01");
    const calendar = await rows(id, "calendar");
    expect(calendar).toHaveLength(10);
    // include_weekends: false skips Saturday 2 and Sunday 3 March.
    expect(calendar.slice(0, 2)).toEqual([
      { day_index: 0, day: "2024-03-01", weekday: "Friday", label: "Sprint day 1", hours: 7.5, tags: "planning,team", generated_at: "2024-02-28T09:30:00+00:00" },
      { day_index: 1, day: "2024-03-04", weekday: "Monday", label: "Sprint day 2", hours: 7.5, tags: "planning,team", generated_at: "2024-02-28T09:30:00+00:00" },
    ]);
    expect((await rows(id, "first_days")).map((r) => r["day"])).toEqual(["2024-03-01", "2024-03-04", "2024-03-05"]);
    const graphs = await cli("graphs", "--json");
    const listed: unknown = JSON.parse(graphs.stdout);
    expect(listed).toEqual(expect.arrayContaining([expect.objectContaining({ id, slug: "calendar-parameters", title: "Calendar with parameters" })]));
  });

  it("exports a graph that imports back to the same graph", async () => {
    const first = join(scratch, "export-1");
    const exported = await cli("export", "orders-report", first);
    expect(exported.code).toBe(0);
    expect(exported.stdout.trimEnd().split("\n")).toEqual(["README.md", "generate_orders.py", "graph.yml", "notes.md", "revenue_by_item.sql", "revenue_chart.json"]);
    const source = importGraphYml((await readAppFolder(join(EXAMPLES, "orders-report"))).files);
    const written = importGraphYml((await readAppFolder(first)).files);
    expect(written.document).toEqual(source.document);
    expect(written.title).toBe(source.title);

    const again = await cli("import", first);
    const secondId = again.stdout.trimEnd().split("\n").at(-1) ?? "";
    const second = join(scratch, "export-2");
    expect((await cli("export", secondId, second)).code).toBe(0);
    expect(importGraphYml((await readAppFolder(second)).files).document).toEqual(source.document);
    for (const file of ["generate_orders.py", "revenue_by_item.sql", "revenue_chart.json", "notes.md", "README.md"]) {
      expect(readFileSync(join(second, file), "utf8")).toBe(readFileSync(join(EXAMPLES, "orders-report", file), "utf8"));
    }
    const refused = await cli("export", "orders-report", first);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("is not empty");
  });

  it("runs a folder directly, and reports a failing node with its error and exit code 1", async () => {
    const dir = appFolder("failing", {
      "graph.yml": "title: Failing\nfunctions:\n- id: boom\n  node_file: boom.py\nstores:\n- id: out\n  table: out\n",
      "boom.py": 'from patterns import Table\nTable("out", "w").append({"a": 1})\nprint("about to fail")\n1 / 0\n',
    });
    const run = await cli("run", dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Imported "Failing"');
    expect(run.stdout).toMatch(/failed\s+boom/);
    expect(run.stdout).toContain("ZeroDivisionError");
    expect(run.stderr).toContain('Run failed: "boom" failed');
    const empty = await cli("table", "failing", "out", "--json");
    expect(empty.stdout.trim()).toBe("[]");
    expect(empty.code).toBe(0);
  });

  it("prints long values whole with --json, and cut short in the text table", async () => {
    const dir = appFolder("long-values", {
      "graph.yml": "title: Long values\nfunctions:\n- id: write\n  node_file: write.py\nstores:\n- id: docs\n  table: docs\n",
      "write.py": 'from patterns import Table\nTable("docs", "w").append({"body": "x" * 1000, "meta": {"words": ["y" * 300]}})\n',
    });
    const id = (await cli("import", dir)).stdout.trim();
    expect((await cli("run", id)).code).toBe(0);
    expect(await rows(id, "docs")).toEqual([{ body: "x".repeat(1000), meta: { words: ["y".repeat(300)] } }]);
    const text = await cli("table", id, "docs");
    expect(text.stdout).toContain(`${"x".repeat(59)}…`);
  });

  it("refuses bad app folders with the file, key and a way out, before touching the database", async () => {
    const cases: [string, Record<string, string>, RegExp][] = [
      ["traversal", { "graph.yml": "title: T\nfunctions:\n- id: a\n  node_file: ../../etc/passwd.py\n" }, /graph\.yml, line 4 \(functions\[0\]\.node_file\): "\.\.\/\.\.\/etc\/passwd\.py" uses "\.\."/],
      ["bomb", { "graph.yml": ["title: T", "a: &a [x, x, x, x, x, x, x, x, x]", "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]", "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]", "d: [*c, *c, *c, *c, *c, *c, *c, *c, *c]"].join("\n") }, /graph\.yml: uses YAML aliases \(\*name\) that expand too far/],
      ["missing", { "graph.yml": "title: T\nfunctions:\n- id: a\n  node_file: transform.py\n" }, /graph\.yml, line 4 \(functions\[0\]\.node_file\): names the file "transform\.py", which is not in the app folder\. Add the file or fix the path\./],
      ["syntax", { "graph.yml": "title: T\nfunctions:\n  - id: a\n   node_file: x.py\n" }, /graph\.yml, line \d+: YAML syntax error/],
    ];
    for (const [name, files, message] of cases) {
      const result = await cli("import", appFolder(name, files));
      expect(result.stderr, name).toMatch(message);
      expect(result.code, name).toBe(1);
      expect(result.stdout, name).toBe("");
    }
    const noYml = await cli("import", appFolder("no-yml", { "load.py": "print(1)\n" }));
    expect(noYml.code).toBe(1);
    expect(noYml.stderr).toContain("has no graph.yml");
  });

  it("says clearly when a graph or store does not exist, or the embedded database is in use", async () => {
    const graph = await cli("table", "no-such-graph", "x");
    expect(graph.code).toBe(1);
    expect(graph.stderr).toContain('No graph "no-such-graph". Run `patchbay graphs`');
    const store = await cli("table", "orders-report", "nope");
    expect(store.code).toBe(1);
    expect(store.stderr).toContain('has no store "nope". Its stores: orders, revenue_by_item.');
    const node = await cli("run", "orders-report", "--node", "ghost");
    expect(node.code).toBe(1);
    expect(node.stderr).toContain('No Python or SQL node "ghost"');

    // A live process holding DATA_DIR (this test process stands in for a server).
    writeFileSync(join(dataDir, "patchbay.pid"), `${process.pid}\n`);
    try {
      const locked = await cli("graphs");
      expect(locked.code).toBe(1);
      expect(locked.stderr).toContain(`Another Patchbay process (pid ${process.pid}) is using the embedded database`);
    } finally {
      rmSync(join(dataDir, "patchbay.pid"));
    }
  });
});
