import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Locator, Page } from "playwright-core";
import { startServer, type RunningServer } from "./server.ts";
import { createGraph, graphNode, openBrowser, shot, textOf, waitFor, type Browser, closeAll, dropFromPalette } from "./run-data-helpers.ts";

// A Webhook node dragged from the palette, wired to a table: its URL takes JSON, the rows
// appear in the table's preview, and the nodes reading the table run.

let server: RunningServer;
let browser: Browser;
let page: Page;

async function center(locator: Locator): Promise<{ x: number; y: number }> {
  const box = await locator.boundingBox();
  if (!box) throw new Error("element has no box on screen");
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

const webhook = () => page.locator('[data-testid="graph-node"][data-kind="webhook"]');

describe("webhook nodes", () => {
  beforeAll(async () => {
    server = await startServer();
    browser = await openBrowser();
    page = browser.page;
    const graphId = await createGraph(server.url, "Incoming orders", [
      { id: "incoming", kind: "table", x: 360, y: 40 },
      { id: "count", kind: "python", x: 620, y: 20, code: 'from patterns import Table\nrows = Table("incoming").read()\nTable("counted", "w").replace([{"n": len(rows)}])' },
      { id: "counted", kind: "table", x: 900, y: 40 },
    ]);
    await page.goto(`${server.url}/#/graphs/${graphId}`);
    await graphNode(page, "incoming").waitFor();
  });

  afterAll(() => closeAll(browser, server));

  it("shows its URL, stores what is POSTed to it in the wired table, and runs the readers", async () => {
    await dropFromPalette(page, "webhook", { x: 0.12, y: 0.6 });
    await webhook().waitFor();
    await waitFor("the webhook's URL", async () => (await webhook().getByTestId("webhook-url").count()) === 1, 30_000, async () => textOf(webhook()));
    const url = (await webhook().getByTestId("webhook-url").textContent()) ?? "";
    expect(url).toMatch(/\/webhooks\/[A-Za-z0-9_-]{32}$/);

    // Wire the webhook's output to the table, handle to handle.
    const from = await center(webhook().getByTestId("webhook-out"));
    const to = await center(graphNode(page, "incoming").getByTestId("store-in"));
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 5 });
    await page.mouse.move(to.x, to.y, { steps: 10 });
    await page.mouse.up();
    await waitFor("the edge to be saved", async () => (await page.getByText("All changes saved").count()) > 0);
    await shot(page, "webhook-wired");

    // Somebody posts two orders (the URL works without signing in: the token is the secret).
    const posted = await fetch(url.replace(/^https?:\/\/[^/]+/, server.directUrl), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([{ order: 1, item: "apple" }, { order: 2, item: "pear" }]),
    });
    expect(posted.status).toBe(202);

    await graphNode(page, "incoming").click();
    await waitFor("the two posted rows in the table", async () => (await textOf(page.getByTestId("store-preview"))).includes("pear"), 30_000, async () => textOf(page.getByTestId("store-preview")));
    await waitFor("the reader to have run", async () => (await textOf(graphNode(page, "count"))).includes("wrote 1"), 60_000, async () => textOf(graphNode(page, "count")));

    await webhook().getByTestId("webhook-mode").selectOption("respond");
    await page.reload();
    await webhook().waitFor();
    expect(await webhook().getByTestId("webhook-mode").inputValue()).toBe("respond");
  });
});
