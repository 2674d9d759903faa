import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { startServer, type RunningServer } from "./server.ts";
import { screenPoint } from "./editor-harness.ts";
import { createGraph, graphNode, nodeStatus, openBrowser, shot, sketchedNodes, textOf, waitFor, waitForStatus, type Browser, closeAll } from "./run-data-helpers.ts";

// Running from the node's toolbar and the keyboard, live status and logs, cancelling, the
// run history, and the messages a person gets when their code or wiring is wrong.

const GEN = [
  "from patterns import Table",
  "import time",
  'numbers = Table("numbers", "w")',
  "for i in range(1, 7):",
  '    print(f"step {i}")',
  "    time.sleep(0.5)",
  'numbers.append([{"n": i, "label": f"row {i}"} for i in range(1, 11)])',
].join("\n");

const CONSUMER = ["from patterns import Table", 'numbers = Table("numbers")', 'doubled = Table("doubled", "w")', 'doubled.replace([{"n": r["n"] * 2} for r in numbers.read()])'].join("\n");
const SLOW = ["import time", 'print("going to sleep")', "while True:", "    time.sleep(0.2)"].join("\n");
const BAD = ["x = 1", "y = 2", "print(x / (y - 2))"].join("\n");
const PARAM = ["from patterns import Parameter", 'limit = Parameter("row_limit", type=int)', "print(limit)"].join("\n");
const UNBOUND = ["from patterns import Table", 'source = Table("nowhere")', "print(source.read())"].join("\n");

let server: RunningServer;
let browser: Browser;
let page: Page;

async function select(title: string): Promise<void> {
  await graphNode(page, title).locator('[data-testid="node-title"]').click();
  await waitFor(`"${title}" to be selected`, async () => (await page.getByTestId("bottom-panel").getAttribute("aria-label"))?.includes(title) ?? false);
}

const toolbar = () => page.locator('[data-testid="node-run-toolbar"]:visible');

describe("running nodes", () => {
  beforeAll(async () => {
    server = await startServer();
    browser = await openBrowser();
    page = browser.page;
    const graphId = await createGraph(server.url, "Run controls", [
      { id: "gen", kind: "python", x: 0, y: 0, code: GEN },
      { id: "numbers", kind: "table", x: 330, y: 20 },
      { id: "consumer", kind: "python", x: 560, y: 0, code: CONSUMER },
      { id: "doubled", kind: "table", x: 880, y: 20 },
      { id: "slow", kind: "python", x: 0, y: 220, code: SLOW },
      { id: "bad", kind: "python", x: 300, y: 220, code: BAD },
      { id: "param", kind: "python", x: 600, y: 220, code: PARAM },
      { id: "unbound", kind: "python", x: 900, y: 220, code: UNBOUND },
    ]);
    await page.goto(`${server.url}/#/graphs/${graphId}`);
    await graphNode(page, "gen").waitFor();
  });

  afterAll(() => closeAll(browser, server));

  it("runs a node from its toolbar, with live status, elapsed time and live logs", async () => {
    expect(await toolbar().count()).toBe(0);
    await select("gen");
    await toolbar().waitFor();
    await toolbar().getByTestId("toolbar-run-node").click();
    await waitForStatus(page, "gen", ["running"], 90_000);
    // The elapsed time ticks while it runs, and its prints arrive while it runs.
    const detail = graphNode(page, "gen").getByTestId("run-status-detail");
    await detail.waitFor();
    const first = await textOf(detail);
    await waitFor("the elapsed time to tick", async () => (await textOf(detail)) !== first && (await nodeStatus(page, "gen")) === "running", 5_000);
    await waitFor("a live log line while the node runs", async () => (await textOf(page.getByTestId("log-lines"))).includes("step 2") && (await nodeStatus(page, "gen")) === "running", 10_000);
    await shot(page, "run-1-live");
    expect(await waitForStatus(page, "gen", ["succeeded", "failed"])).toBe("succeeded");
    expect(await textOf(graphNode(page, "gen").getByTestId("run-status-detail"))).toMatch(/wrote 10\b/);
    expect(await textOf(page.getByTestId("log-lines"))).toContain("step 6");
    // Only "gen" ran: "consumer" reads "numbers" and runs reactively after new data.
    await waitForStatus(page, "consumer", ["succeeded"]);
  });

  it("runs a node and everything downstream with Ctrl+Shift+Enter, and lists both runs in the history", async () => {
    await select("gen");
    const consumerBefore = await textOf(graphNode(page, "consumer").getByTestId("run-status-detail"));
    await page.locator(".react-flow__pane").click({ position: { x: 5, y: 5 } });
    await select("gen");
    await page.keyboard.press("Control+Shift+Enter");
    await waitForStatus(page, "gen", ["queued", "running"], 10_000);
    expect(await waitForStatus(page, "gen", ["succeeded", "failed"])).toBe("succeeded");
    expect(await waitForStatus(page, "consumer", ["succeeded", "failed"])).toBe("succeeded");
    expect(consumerBefore).toMatch(/wrote \d+/);

    await page.getByTestId("tab-history").click();
    const rows = page.getByTestId("history-row");
    await waitFor("two runs in the history", async () => (await rows.count()) === 2);
    const history = await textOf(page.getByTestId("run-history"));
    expect(history).toContain("run with downstream");
    expect(history).toContain("run by hand");
    // Click the older run: its logs show.
    await rows.nth(1).click();
    await page.getByTestId("history-log").waitFor();
    expect(await textOf(page.getByTestId("history-log"))).toContain("step 6");
    await shot(page, "run-2-history");
  });

  it("runs with Shift+Enter and cancels a running node", async () => {
    await select("slow");
    await page.keyboard.press("Shift+Enter");
    await waitForStatus(page, "slow", ["running"], 60_000);
    await toolbar().getByTestId("toolbar-cancel").click();
    expect(await waitForStatus(page, "slow", ["cancelled", "failed", "succeeded"], 30_000)).toBe("cancelled");
    await page.getByTestId("tab-logs").click();
    expect(await textOf(page.getByTestId("bottom-panel"))).toContain("The run was cancelled");
  });

  it("says what went wrong and what to do: a bad line, a missing parameter, an unbound port", async () => {
    await select("bad");
    await page.getByTestId("tab-logs").click();
    await graphNode(page, "bad").getByTestId("node-run").click();
    expect(await waitForStatus(page, "bad", ["succeeded", "failed"])).toBe("failed");
    const traceback = await textOf(page.getByTestId("run-error"));
    expect(traceback).toContain("ZeroDivisionError");
    expect(traceback).toMatch(/line 3\b/);
    expect(await textOf(page.locator(".run-error-hint"))).toMatch(/near line 3/);

    await select("param");
    await graphNode(page, "param").getByTestId("node-run").click();
    expect(await waitForStatus(page, "param", ["succeeded", "failed"])).toBe("failed");
    const paramError = await textOf(page.getByTestId("run-error"));
    expect(paramError).toContain("row_limit");

    await select("unbound");
    await graphNode(page, "unbound").getByTestId("node-run").click();
    expect(await waitForStatus(page, "unbound", ["succeeded", "failed"])).toBe("failed");
    const unboundError = await textOf(page.getByTestId("bottom-panel"));
    expect(unboundError).toContain("nowhere");
    console.log(`Messages shown:\n--- bad\n${traceback}\n--- param\n${paramError}\n--- unbound\n${unboundError}`);
    await shot(page, "run-3-errors");
  });

  it("limits how many of the graph's nodes run at once, from the top bar", async () => {
    const field = page.getByTestId("concurrency-setting");
    await field.fill("2");
    // Reloading before the save has gone out would lose it (the page sends it a moment after
    // the field is left): wait for the server's answer first.
    const saved = page.waitForResponse((response) => response.url().includes("graphs.setConcurrency"));
    await field.press("Enter");
    expect((await saved).ok()).toBe(true);
    await waitFor("the limit to be saved", async () => {
      await page.reload();
      await page.getByTestId("concurrency-setting").waitFor();
      return (await page.getByTestId("concurrency-setting").inputValue()) === "2";
    }, 30_000);
    await page.getByTestId("concurrency-setting").fill("0");
    await page.getByTestId("concurrency-setting").press("Enter");
    await waitFor("a notice about the value", async () => (await textOf(page.getByTestId("notice"))).includes("whole number from 1 to 64"));
    expect(await page.getByTestId("concurrency-setting").inputValue()).toBe("2");
  });

  it("far out, colours each node by its latest run", async () => {
    // Nothing selected (a selected node keeps its full size), then zoom out with the zoom control.
    await page.locator(".react-flow__pane").click({ position: { x: 5, y: 5 } });
    for (let i = 0; i < 10 && (await page.locator(".react-flow.zoomed-out").count()) === 0; i++) {
      await page.locator(".react-flow__controls-zoomout").click();
      await page.waitForTimeout(300);
    }
    await page.locator(".react-flow.zoomed-out").waitFor();
    // From this far the nodes are one drawing (the node sketch): each node's body in its run's colour.
    await waitFor("the nodes sketched", async () => (await sketchedNodes(page)) === 8);
    const shown = async (x: number, y: number) => {
      const point = await screenPoint(page, { x: x + 40, y: y + 20 });
      return page.evaluate(({ x, y }) => {
        const body = document.elementFromPoint(x, y);
        return { status: /node-sketch-run-(\w+)/.exec(body?.getAttribute("class") ?? "")?.[1], colour: body ? getComputedStyle(body).fill : "" };
      }, point);
    };
    const bad = await shown(300, 220);
    const gen = await shown(0, 0);
    const slow = await shown(0, 220);
    expect([bad.status, gen.status, slow.status]).toEqual(["failed", "succeeded", "cancelled"]);
    expect(new Set([bad.colour, gen.colour, slow.colour]).size).toBe(3);
    await shot(page, "run-4-far-out-status");
  });
});
