import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Locator, Page } from "playwright-core";
import { startServer, type RunningServer } from "./server.ts";
import { createGraph, graphNode, openBrowser, shot, textOf, waitFor, waitForStatus, type Browser, closeAll, dropFromPalette } from "./run-data-helpers.ts";

// Chart nodes drawn from a table's rows (redrawn after runs that write it) and Markdown
// nodes rendered in place and edited by double-click, both added from the palette.

const SALES = [
  "from patterns import Table",
  'sales = Table("sales", "w")',
  'sales.append([{"name": "apples", "value": 3}, {"name": "pears", "value": 5}, {"name": "figs", "value": 2}])',
].join("\n");

let server: RunningServer;
let browser: Browser;
let page: Page;

async function center(locator: Locator): Promise<{ x: number; y: number }> {
  const box = await locator.boundingBox();
  if (!box) throw new Error("element has no box on screen");
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

async function dragMouse(from: { x: number; y: number }, to: { x: number; y: number }): Promise<void> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + (to.x - from.x) / 3, from.y + (to.y - from.y) / 3, { steps: 5 });
  await page.mouse.move(to.x, to.y, { steps: 10 });
  await page.mouse.up();
}

const chart = () => page.locator('[data-testid="graph-node"][data-kind="chart"]');
const markdown = () => page.locator('[data-testid="graph-node"][data-kind="markdown"]');
const bars = () => chart().locator("svg .mark-rect path");

describe("chart and markdown nodes", () => {
  beforeAll(async () => {
    server = await startServer();
    browser = await openBrowser();
    page = browser.page;
    const graphId = await createGraph(server.url, "Charts and notes", [
      { id: "make_sales", kind: "python", x: 0, y: 0, code: SALES },
      { id: "sales", kind: "table", x: 320, y: 20 },
    ]);
    await page.goto(`${server.url}/#/graphs/${graphId}`);
    await graphNode(page, "make_sales").waitFor();
  });

  afterAll(() => closeAll(browser, server));

  it("draws a chart of a table wired to it, and redraws it after each run that writes the table", async () => {
    await dropFromPalette(page, "chart", { x: 0.45, y: 0.72 });
    await chart().waitFor();
    await waitFor("the chart to ask for a table", async () => (await textOf(chart())).includes("Connect a Table"));

    // Wire the table to the chart's input, handle to handle.
    await dragMouse(await center(graphNode(page, "sales").getByTestId("store-out")), await center(chart().getByTestId("chart-in")));
    await shot(page, "chart-0-wired");
    await waitFor("the chart to name its table", async () => (await textOf(chart())).includes("sales"));
    await waitFor("the chart to say the table is empty", async () => (await textOf(chart().getByTestId("chart-error"))).includes("no data yet"));

    await graphNode(page, "make_sales").getByTestId("node-run").click();
    expect(await waitForStatus(page, "make_sales", ["succeeded", "failed"])).toBe("succeeded");
    await waitFor("three bars", async () => (await bars().count()) === 3, 30_000, async () => `chart shows: ${await textOf(chart())}`);
    const axis = (await chart().locator("svg").first().textContent()) ?? "";
    expect(axis).toContain("pears");
    await shot(page, "chart-1-drawn");

    // Another run appends three more rows: the chart redraws with six.
    await graphNode(page, "make_sales").getByTestId("node-run").click();
    await waitFor("six bars after the second run", async () => (await bars().count()) === 6, 60_000);

    // The chart's Data tab shows the rows it draws.
    await chart().locator('[data-testid="node-title"]').click();
    await waitFor("the chart's data", async () => (await page.getByTestId("row-count").getAttribute("data-total")) === "6", 20_000);
  });

  it("renders Markdown in the node and edits it in place with a double-click", async () => {
    await dropFromPalette(page, "markdown", { x: 0.08, y: 0.08 });
    await markdown().waitFor();
    await waitFor("the starter note rendered", async () => (await markdown().locator("h1").count()) === 1);

    await markdown().getByTestId("markdown-body").dblclick();
    const editor = markdown().getByTestId("markdown-editor");
    await editor.waitFor();
    await editor.fill("");
    await editor.pressSequentially("## Pipeline notes\n\nRuns **hourly**; see the `sales` table.\n\n- one\n- two\n\n<img src=x onerror=\"window.__hacked=1\">");
    // Leaving the field keeps the text.
    await page.locator(".react-flow__pane").click({ position: { x: 10, y: 10 } });
    await waitFor("the rendered note", async () => (await markdown().locator("h2").count()) === 1);
    expect(await textOf(markdown().locator("h2"))).toBe("Pipeline notes");
    expect(await textOf(markdown().locator("strong"))).toBe("hourly");
    expect(await markdown().locator("li").count()).toBe(2);
    // DOMPurify removed the event handler.
    expect(await markdown().locator("img[onerror]").count()).toBe(0);
    expect(await page.evaluate(() => "__hacked" in window)).toBe(false);

    // Escape leaves the editor without changing the note.
    await markdown().getByTestId("markdown-body").dblclick();
    await markdown().getByTestId("markdown-editor").pressSequentially("more");
    await page.keyboard.press("Escape");
    await waitFor("the note back", async () => (await markdown().locator("h2").count()) === 1);
    expect(await textOf(markdown())).not.toContain("more");
    await page.locator('[data-testid="save-status"][data-state="saved"]').waitFor({ timeout: 15_000 });
    await shot(page, "markdown-1-edited");

    await page.reload();
    await markdown().locator("h2").waitFor();
    expect(await textOf(markdown().locator("strong"))).toBe("hourly");
    await waitFor("the chart after reload", async () => (await bars().count()) === 6, 30_000);
  });
});
