import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { startServer, type RunningServer } from "./server.ts";
import { createGraph, graphNode, openBrowser, shot, textOf, waitFor, waitForStatus, type Browser } from "./run-data-helpers.ts";

// Losing the server: the editor says so in a banner while the server is gone, says what
// failed when a person acts meanwhile, and recovers by itself when the server is back.

const HELLO = ['print("hello from the node")'].join("\n");

let server: RunningServer;
let browser: Browser;
let page: Page;

describe("losing the connection to the server", () => {
  beforeAll(async () => {
    server = await startServer();
    const graphId = await createGraph(server.url, "Connection", [{ id: "hello", kind: "python", x: 0, y: 0, code: HELLO }]);
    browser = await openBrowser();
    page = browser.page;
    await page.goto(`${server.url}/#/graphs/${graphId}`);
    await graphNode(page, "hello").waitFor();
  });

  afterAll(async () => {
    if (browser?.problems.length) console.log(`Browser problems:\n${browser.problems.slice(0, 20).join("\n")}`);
    await browser?.close();
    await server?.stop();
  });

  it("shows a banner while the server is down and recovers when it is back", async () => {
    await waitFor("the live run updates", async () => (await textOf(page.locator(".live-status"))) === "Live");
    expect(await page.getByTestId("connection-banner").count()).toBe(0);

    const { port, dataDir } = server;
    await server.stop({ keepData: true });
    await page.getByTestId("connection-banner").waitFor({ timeout: 15_000 });
    expect(await textOf(page.getByTestId("connection-banner"))).toContain("Lost the connection to the Patchbay server");
    await shot(page, "connection-1-lost");

    // Running now fails with a message that says why and what to do.
    await graphNode(page, "hello").locator('[data-testid="node-title"]').click();
    await graphNode(page, "hello").getByTestId("node-run").click();
    await waitFor("the failed start to be explained", async () => /did not answer|check that it is running/i.test(await textOf(page.getByTestId("side-panel"))), 20_000);

    server = await startServer(90_000, { port, dataDir });
    await waitFor("the banner to go", async () => (await page.getByTestId("connection-banner").count()) === 0, 30_000);
    await waitFor("live again", async () => (await textOf(page.locator(".live-status"))) === "Live", 10_000);

    // The page never broke: the node's code editor is there (its chunk may have been asked for while the server was down).
    await page.locator('[data-testid="code-editor"] .monaco-editor').waitFor({ timeout: 30_000 });
    // Everything works again, status pushed live.
    await graphNode(page, "hello").getByTestId("node-run").click();
    expect(await waitForStatus(page, "hello", ["succeeded", "failed"])).toBe("succeeded");
    await waitFor("its output", async () => (await textOf(page.getByTestId("log-lines"))).includes("hello from the node"));
    await shot(page, "connection-2-back");
  });
});
