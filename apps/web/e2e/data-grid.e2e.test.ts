import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { startServer, type RunningServer } from "./server.ts";
import { createGraph, graphNode, openBrowser, runNodeAndWait, shot, textOf, trpc, waitFor, type Browser, closeAll } from "./run-data-helpers.ts";

// The data preview with a million rows and a 5 MB cell: a virtualized grid that fetches
// pages as it scrolls, sorts on the server, lists versions and fetches cut values on click.

const ROWS = 1_000_000;
const BIG_ROW = 7;
const BIG_CELL = 5_000_000;
// One INSERT … SELECT generate_series inside the database: a SQL node's SELECT is
// materialized as a new version of its output table without leaving Postgres.
const MILLION = `select g as n, md5(g::text) as name, case when g = ${BIG_ROW} then repeat('abcde', ${BIG_CELL / 5}) else 'short' end as payload
from generate_series(1, ${ROWS}) g`;
const EVENTS = ["from patterns import Stream", 'events = Stream("events", "w")', 'events.write([{"e": i} for i in range(1, 6)])'].join("\n");

let server: RunningServer;
let browser: Browser;
let page: Page;
let graphId: string;

const grid = () => page.getByTestId("grid-scroll");

/** The text of the cells of the grid row showing row `index` (0-based), or null when not drawn or not loaded. */
async function rowCells(index: number): Promise<string[] | null> {
  const row = page.locator(`[data-testid="preview-table"] tbody tr[data-index="${index}"]`);
  if ((await row.count()) === 0) return null;
  const cells = await row.locator("td").allInnerTexts();
  return cells.every((c) => c === "") ? null : cells;
}

async function columnIndex(name: string): Promise<number> {
  const names = await page.locator('[data-testid="preview-table"] thead th').evaluateAll((ths) => ths.map((th) => th.getAttribute("data-testid")));
  return names.indexOf(`column-${name}`);
}

/** Largest gap between animation frames while `action` runs: a frozen page shows as a long gap. */
async function longestFrameGap(action: () => Promise<void>): Promise<number> {
  await page.evaluate(() => {
    const w = window as unknown as { __gaps: number[]; __stop: boolean };
    w.__gaps = [];
    w.__stop = false;
    let last = performance.now();
    const tick = (t: number) => {
      w.__gaps.push(t - last);
      last = t;
      if (!w.__stop) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await action();
  return page.evaluate(() => {
    const w = window as unknown as { __gaps: number[]; __stop: boolean };
    w.__stop = true;
    return Math.max(0, ...w.__gaps);
  });
}

describe("data preview of a million-row table", () => {
  beforeAll(async () => {
    server = await startServer();
    try {
      await setUpGraph();
    } catch (error) {
      throw new Error(`${String(error)}\nServer output:\n${server.output().slice(-4000)}`);
    }
    browser = await openBrowser();
    page = browser.page;
    await page.goto(`${server.url}/#/graphs/${graphId}`);
    await graphNode(page, "fill").waitFor();
  }, 600_000);

  async function setUpGraph(): Promise<void> {
    graphId = await createGraph(server.url, "Big data", [
      { id: "fill", kind: "sql", x: 0, y: 0, code: "select 1 as n, 'first version' as name", outputs: { output_table: "big" } },
      { id: "big", kind: "table", x: 340, y: 20 },
      { id: "emit", kind: "python", x: 0, y: 200, code: EVENTS },
      { id: "events", kind: "stream", x: 340, y: 220 },
    ]);
    // Two versions of "big": one row, then a million rows with one 5 MB cell.
    expect((await runNodeAndWait(server.url, graphId, "fill")).status).toBe("succeeded");
    await trpc(server.url, "graphs.applyChanges", { id: graphId, changes: [{ type: "updateNode", id: "fill", patch: { code: MILLION } }] });
    const started = Date.now();
    const filled = await runNodeAndWait(server.url, graphId, "fill", 280_000);
    expect(filled.status, filled.error ?? "").toBe("succeeded");
    console.log(`Filled ${ROWS} rows in ${Date.now() - started} ms`);
    expect((await runNodeAndWait(server.url, graphId, "emit")).status).toBe("succeeded");
  }

  afterAll(() => closeAll(browser, server));

  it("opens from the node's output port with the row count and column types, and scrolls far", async () => {
    await graphNode(page, "fill").getByTestId("port-data-output_table").click();
    await page.getByTestId("row-count").waitFor({ timeout: 30_000 });
    expect(await page.getByTestId("bottom-panel").getAttribute("data-tab")).toBe("data");
    expect(await page.getByTestId("row-count").getAttribute("data-total")).toBe(String(ROWS));
    expect(await textOf(page.getByTestId("row-count"))).toContain("1,000,000 rows");
    const header = await textOf(page.locator('[data-testid="preview-table"] thead'));
    expect(header).toMatch(/n\s+bigint/);
    expect(header).toMatch(/name\s+text/);
    // Only the rows on screen are in the page, not a million.
    expect(await page.locator('[data-testid="preview-table"] tbody tr').count()).toBeLessThan(100);
    const n = await columnIndex("n");
    await waitFor("the first rows", async () => (await rowCells(0))?.[n] === "1");

    // The 5 MB cell arrives cut short; a click fetches it whole.
    const payload = await columnIndex("payload");
    await waitFor("row 7", async () => (await rowCells(BIG_ROW - 1)) !== null);
    const cut = page.locator(`[data-testid="preview-table"] tbody tr[data-index="${BIG_ROW - 1}"] td`).nth(payload);
    expect((await textOf(cut)).length).toBeLessThan(300);
    await cut.click();
    await page.getByTestId("full-value-length").waitFor({ timeout: 30_000 });
    expect(await textOf(page.getByTestId("full-value-length"))).toContain("5,000,000 characters");
    expect((await page.getByTestId("full-value-text").inputValue()).length).toBe(BIG_CELL);
    await page.getByTestId("full-value-close").click();

    // Scroll to 60% down, as a person dragging the scrollbar: that page is fetched and shown.
    const gap = await longestFrameGap(async () => {
      await grid().evaluate((el) => {
        el.scrollTop = el.scrollHeight * 0.6;
      });
      await waitFor("rows far down to load", async () => /^rows (599|600),/.test(await textOf(page.getByTestId("row-range"))), 10_000);
      const first = await page.locator('[data-testid="preview-table"] tbody tr').first().getAttribute("data-index");
      const index = Number(first) + 15;
      await waitFor(`row ${index} to load`, async () => (await rowCells(index))?.[n] === String(index + 1), 30_000);
    });
    console.log(`Longest frame gap while jumping 600,000 rows down: ${gap.toFixed(0)} ms`);
    expect(gap).toBeLessThan(1_000);
    // Then a few wheel turns further, as a person scrolls.
    for (let i = 0; i < 5; i++) await page.mouse.wheel(0, 2000);
    await shot(page, "data-1-far");
  });

  it("sorts on the server by clicking a column header, staying responsive", async () => {
    const nameHeader = page.getByTestId("column-name");
    const clickedAt = Date.now();
    await nameHeader.click();
    await waitFor("the header to show ascending", async () => (await nameHeader.getAttribute("data-sort")) === "ascending", 2_000);
    console.log(`Header click to sort indicator: ${Date.now() - clickedAt} ms`);
    await nameHeader.click();
    await waitFor("the header to show descending", async () => (await nameHeader.getAttribute("data-sort")) === "descending", 2_000);
    const name = await columnIndex("name");
    await waitFor("the sorted first rows", async () => (await rowCells(0)) !== null && (await rowCells(5)) !== null, 30_000);
    const names: string[] = [];
    for (let i = 0; i < 5; i++) names.push((await rowCells(i))?.[name] ?? "");
    expect([...names].sort().reverse()).toEqual(names);
    expect(names[0]?.startsWith("ffff")).toBe(true);

    // Far down the sorted table, rows still arrive and the page keeps drawing frames.
    const gap = await longestFrameGap(async () => {
      await grid().evaluate((el) => {
        el.scrollTop = el.scrollHeight * 0.3;
      });
      await waitFor("sorted rows far down", async () => {
        const first = await page.locator('[data-testid="preview-table"] tbody tr').first().getAttribute("data-index");
        const cells = await rowCells(Number(first) + 15);
        return cells !== null && Number(first) > 250_000;
      }, 60_000);
    });
    console.log(`Longest frame gap while jumping 300,000 sorted rows down: ${gap.toFixed(0)} ms`);
    expect(gap).toBeLessThan(1_000);
    // A click while the server is still busy gets its answer on screen at once.
    const t = Date.now();
    await page.getByTestId("column-n").click();
    await waitFor("the n header to show ascending", async () => (await page.getByTestId("column-n").getAttribute("data-sort")) === "ascending", 2_000);
    console.log(`Second header click to indicator: ${Date.now() - t} ms`);
    await shot(page, "data-2-sorted");
  });

  it("lists the table's versions and shows an older one", async () => {
    const picker = page.getByTestId("version-picker");
    await waitFor("two versions", async () => (await picker.locator("option").count()) === 3);
    const labels = await picker.locator("option").allInnerTexts();
    expect(labels[1]).toContain("1,000,000 rows");
    expect(labels[1]).toContain("active");
    expect(labels[2]).toContain("1 rows");
    const older = await picker.locator("option").nth(2).getAttribute("value");
    await picker.selectOption(older ?? "");
    await waitFor("the older version's one row", async () => (await page.getByTestId("row-count").getAttribute("data-total")) === "1", 20_000);
    const name = await columnIndex("name");
    await waitFor("its row", async () => (await rowCells(0))?.[name] === "first version");
  });

  it("shows a stream's newest records first", async () => {
    await graphNode(page, "events").locator('[data-testid="node-title"]').click();
    await waitFor("the stream's rows", async () => (await page.getByTestId("row-count").getAttribute("data-total")) === "5", 20_000);
    expect(await textOf(page.getByTestId("row-count"))).toContain("newest first");
    const e = await columnIndex("e");
    await waitFor("the rows", async () => (await rowCells(4)) !== null);
    const values: string[] = [];
    for (let i = 0; i < 5; i++) values.push((await rowCells(i))?.[e] ?? "");
    expect(values).toEqual(["5", "4", "3", "2", "1"]);
    await shot(page, "data-3-stream");
  });
});
