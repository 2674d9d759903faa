import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { startServer, type RunningServer } from "./server.ts";
import { createGraph, graphNode, nodeStatus, openBrowser, runNodeAndWait, shot, textOf, trpc, waitFor, waitForStatus, type Browser, closeAll } from "./run-data-helpers.ts";

// Python nodes run in the user's tab (Pyodide in a module Web Worker) with the same
// patterns module and executor as the server, every store request going through the API.

const SEED = [
  "from patterns import Table",
  'people = Table("people", "w")',
  'names = ["ada", "grace", "linus", "margaret", "guido", "barbara", "ken"]',
  'people.replace([{"name": n, "score": (i * 37) % 101 + 0.25} for i, n in enumerate(names)])',
].join("\n");

// Floats, text with non-ASCII, booleans, JSON, dates, None and the standard library, so a
// difference between the runtimes would show in the table.
const TRANSFORM = [
  "from patterns import Table",
  "import datetime, hashlib, json, statistics",
  'people = Table("people")',
  'report = Table("report", "w")',
  "rows = list(people.read())",
  'mean = statistics.mean(r["score"] for r in rows)',
  "out = []",
  "for r in rows:",
  "    out.append({",
  '        "name": r["name"].title() + " ✓",',
  '        "score": r["score"] * 1.1 + 0.1 + 0.2,',
  '        "digest": hashlib.sha256(r["name"].encode()).hexdigest()[:16],',
  '        "above_mean": r["score"] > mean,',
  '        "info": {"len": len(r["name"]), "letters": sorted(set(r["name"]))[:3], "half": r["score"] / 2},',
  '        "day": (datetime.date(2024, 1, 1) + datetime.timedelta(days=int(r["score"]))).isoformat(),',
  '        "note": None if r["score"] < 30 else json.dumps({"s": round(r["score"], 3)}),',
  "    })",
  "report.replace(out)",
  'print(f"report has {len(out)} rows, mean {mean:.3f}")',
].join("\n");

const SUMMARY = ["from patterns import Table", 'report = Table("report")', 'summary = Table("summary", "w")', 'summary.replace([{"rows": len(list(report.read()))}])'].join("\n");
const SPIN = ['print("spinning")', "while True:", "    pass"].join("\n");
const BROKEN = ["x = 1", "y = 0", 'print("about to divide")', "z = x / y"].join("\n");
// A store name the editor cannot see, so the node has no port for it.
const NOSY = ["from patterns import Table", 'name = "peo" + "ple"', "print(list(Table(name).read()))"].join("\n");
// Skips the Python-side check and asks the server directly, as tampered code could.
const SNEAKY = ["from patterns import host", 'print(host.current().call({"op": "readTable", "port": "people", "offset": 0, "limit": 5}))'].join("\n");

let server: RunningServer;
let browser: Browser;
let page: Page;
let graphId: string;

type Row = Record<string, unknown>;

async function reportRows(): Promise<Row[]> {
  const preview = await trpc<{ rows: Row[] }>(server.url, "stores.preview", { graphId, storeName: "report", offset: 0, limit: 100 }, "query");
  return preview.rows.map(({ patterns_id: _id, ...rest }) => rest);
}

async function latestRun(nodeId: string): Promise<{ id: string; runtime: string; status: string; error: string | null }> {
  const runs = await trpc<Record<string, { id: string; runtime: string; status: string; error: string | null }>>(server.url, "runs.latestByNode", { graphId }, "query");
  const run = runs[nodeId];
  if (!run) throw new Error(`no run of ${nodeId}`);
  return run;
}

async function select(title: string): Promise<void> {
  await graphNode(page, title).locator('[data-testid="node-title"]').click();
  await waitFor(`"${title}" to be selected`, async () => (await page.getByTestId("bottom-panel").getAttribute("aria-label"))?.includes(title) ?? false);
}

async function useBrowserRuntime(title: string): Promise<void> {
  await select(title);
  await page.getByTestId("runtime-browser").click();
  await waitFor(`"${title}" to be set to run in the browser`, async () => (await page.getByTestId("runtime-toggle").getAttribute("data-runtime")) === "browser");
}

async function runFromPanel(title: string): Promise<string> {
  await select(title);
  await page.getByTestId("tab-logs").click();
  const before = (await latestRun(title).catch(() => null))?.id;
  await page.getByTestId("panel-run").click();
  await waitFor(`a new run of "${title}"`, async () => (await latestRun(title).catch(() => null))?.id !== before, 30_000);
  return waitForStatus(page, title, ["succeeded", "failed", "cancelled"], 120_000);
}

describe("running Python nodes in the browser", () => {
  beforeAll(async () => {
    server = await startServer();
    browser = await openBrowser();
    page = browser.page;
    graphId = await createGraph(server.url, "Browser runtime", [
      { id: "seed", kind: "python", x: 0, y: 0, code: SEED },
      { id: "people", kind: "table", x: 280, y: 20 },
      { id: "transform", kind: "python", x: 500, y: 0, code: TRANSFORM },
      { id: "report", kind: "table", x: 800, y: 20 },
      { id: "summary_node", kind: "python", x: 1020, y: 0, code: SUMMARY },
      { id: "summary", kind: "table", x: 1300, y: 20 },
      { id: "spin", kind: "python", x: 0, y: 260, code: SPIN },
      { id: "broken", kind: "python", x: 280, y: 260, code: BROKEN },
      { id: "nosy", kind: "python", x: 560, y: 260, code: NOSY },
      { id: "sneaky", kind: "python", x: 840, y: 260, code: SNEAKY },
      { id: "secretive", kind: "python", x: 1120, y: 260, code: 'from patterns import Parameter\npassword = Parameter("password")\n', parameterValues: { password: "${{ db_password }}" } },
    ]);
    // The input, and a first server run of the whole chain, through the API.
    expect((await runNodeAndWait(server.url, graphId, "seed")).status).toBe("succeeded");
    await page.goto(`${server.url}/#/graphs/${graphId}`);
    await graphNode(page, "transform").waitFor();
  });

  afterAll(() => closeAll(browser, server));

  it("has JSPI in this Chromium, and a cross-origin isolated page (for interrupting Python)", async () => {
    const facts = await page.evaluate(() => ({ jspi: "Suspending" in WebAssembly && "promising" in WebAssembly, isolated: crossOriginIsolated, agent: navigator.userAgent }));
    console.log(`Browser: ${facts.agent}; JSPI: ${facts.jspi}; cross-origin isolated: ${facts.isolated}`);
    expect(facts.jspi).toBe(true);
    expect(facts.isolated).toBe(true);
  });

  it("gives the same table in the browser as on the server, and runs downstream on the server", async () => {
    await waitForStatus(page, "transform", ["succeeded"], 120_000);
    expect(await runFromPanel("transform")).toBe("succeeded");
    const onServer = await latestRun("transform");
    expect(onServer.runtime).toBe("server");
    const serverRows = await reportRows();
    expect(serverRows).toHaveLength(7);

    await waitForStatus(page, "summary_node", ["succeeded"], 120_000);
    const summaryBefore = (await latestRun("summary_node")).id;
    await useBrowserRuntime("transform");
    expect(await runFromPanel("transform")).toBe("succeeded");
    const inBrowser = await latestRun("transform");
    expect(inBrowser.runtime).toBe("browser");
    expect(inBrowser.id).not.toBe(onServer.id);
    const browserRows = await reportRows();
    expect(browserRows).toEqual(serverRows);
    // Shown like a server run: status on the node, records written, logs in the panel.
    expect(await textOf(graphNode(page, "transform").getByTestId("run-status-detail"))).toMatch(/wrote 7|7 records written/);
    const panel = await textOf(page.getByTestId("bottom-panel"));
    expect(panel).toContain("in the browser");
    expect(panel).toMatch(/report has 7 rows, mean/);
    // The node it fed ran next, on the server.
    await waitFor("the summary node to run after the browser run", async () => {
      const summary = await latestRun("summary_node").catch(() => null);
      return summary !== null && summary.id !== summaryBefore && summary.status === "succeeded";
    }, 60_000);
    expect((await latestRun("summary_node")).runtime).toBe("server");
    await shot(page, "runtime-1-browser-run");
  });

  it("cancels a browser run stuck in `while True`: the worker stops within a second", async () => {
    await useBrowserRuntime("spin");
    await page.getByTestId("tab-logs").click();
    await page.getByTestId("panel-run").click();
    await waitForStatus(page, "spin", ["running"], 60_000);
    // Its print arrives live, from the worker, while it spins.
    await waitFor("the live log line", async () => (await textOf(page.getByTestId("log-lines"))).includes("spinning"), 30_000);
    const pythonWorkers = page.workers().filter((w) => w.url().includes("python-worker"));
    expect(pythonWorkers.length).toBeGreaterThan(0);
    const closed = Promise.race(pythonWorkers.map((w) => new Promise<number>((resolve) => w.once("close", () => resolve(Date.now())))));
    // The time of the click as the page saw it: Playwright's own wait before clicking does not count.
    await page.evaluate(() => document.addEventListener("click", () => (document.body.dataset["cancelClickedAt"] = String(Date.now())), { capture: true, once: true }));
    await graphNode(page, "spin").getByTestId("node-cancel").click();
    const closedAt = await Promise.race([closed, new Promise<number>((resolve) => setTimeout(() => resolve(Number.POSITIVE_INFINITY), 5_000))]);
    const clickedAt = Number(await page.evaluate(() => document.body.dataset["cancelClickedAt"] ?? "NaN"));
    console.log(`The worker closed ${closedAt - clickedAt} ms after Cancel was clicked`);
    expect(closedAt - clickedAt).toBeLessThan(1_000);
    expect(await waitForStatus(page, "spin", ["cancelled", "failed", "succeeded"], 10_000)).toBe("cancelled");
    expect(await textOf(page.getByTestId("bottom-panel"))).toContain("The run was cancelled");
    expect((await latestRun("spin")).runtime).toBe("browser");
  });

  it("shows a failing browser run's traceback with the right line", async () => {
    await useBrowserRuntime("broken");
    expect(await runFromPanel("broken")).toBe("failed");
    const traceback = await textOf(page.getByTestId("run-error"));
    expect(traceback).toContain("ZeroDivisionError");
    expect(traceback).toMatch(/line 4\b/);
    expect(await textOf(page.getByTestId("log-lines"))).toContain("about to divide");
    expect(await textOf(page.locator(".run-error-hint"))).toMatch(/near line 4/);
    console.log(`Browser traceback:\n${traceback}`);
  });

  it("fails a node that touches a store it has no port for, with a clear error", async () => {
    await useBrowserRuntime("nosy");
    expect(await runFromPanel("nosy")).toBe("failed");
    const nosy = await textOf(page.getByTestId("run-error"));
    expect(nosy).toMatch(/Table 'people' is not a port of node 'nosy'/);

    await useBrowserRuntime("sneaky");
    expect(await runFromPanel("sneaky")).toBe("failed");
    const sneaky = await textOf(page.getByTestId("run-error"));
    // Refused by the server, whatever the code in the tab does.
    expect(sneaky).toMatch(/Node "sneaky" may not read "people": it is not one of its\s+ports/);
    console.log(`Messages shown:\n--- nosy\n${nosy}\n--- sneaky\n${sneaky}`);
    await shot(page, "runtime-2-port-error");
  });

  it("refuses to run a node that uses secrets in the browser", async () => {
    await useBrowserRuntime("secretive");
    const before = await nodeStatus(page, "secretive");
    await page.getByTestId("panel-run").click();
    const message = page.locator(".run-controls .error-text");
    await message.waitFor();
    expect(await textOf(message)).toMatch(/secrets never leave the server: run it on the server/);
    expect(await nodeStatus(page, "secretive")).toBe(before);
  });
});
