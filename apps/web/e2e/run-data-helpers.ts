import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Locator, type Page } from "playwright-core";
import { findChromium } from "./find-chromium.ts";

// Shared by the run-* and data-* end-to-end tests: a Chromium, waiting, reading the screen,
// and building a graph through the API (the tests then use it through the page only).

export const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
export const SCREENSHOTS = process.env.PATCHBAY_E2E_SCREENSHOTS ?? tmpdir();

export interface Browser {
  context: BrowserContext;
  page: Page;
  problems: string[];
  close(): Promise<void>;
}


/** A headless Chromium; point it at `RunningServer.url`, whose proxy signs every request in as the owner. */
export async function openBrowser(viewport = { width: 1400, height: 900 }): Promise<Browser> {
  const profileDir = mkdtempSync(path.join(tmpdir(), "patchbay-e2e-chromium-"));
  const context = await chromium.launchPersistentContext(profileDir, { executablePath: findChromium(), headless: true, args: CHROMIUM_ARGS, viewport });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(20_000);
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console error: ${message.text()}`);
  });
  return {
    context,
    page,
    problems,
    async close() {
      await context.close();
      rmSync(profileDir, { recursive: true, force: true });
    },
  };
}

/** Closes the browser, printing any errors the page had, and stops the server (a test file's afterAll). */
export async function closeAll(browser: Browser | undefined, server: { stop(): Promise<void> } | undefined): Promise<void> {
  if (browser?.problems.length) console.log(`Browser problems:\n${browser.problems.join("\n")}`);
  await browser?.close();
  await server?.stop();
}

/** Drags a palette item onto the canvas, dropping it at a fraction (0–1) of the canvas's width and height. */
export async function dropFromPalette(page: Page, kind: string, at: { x: number; y: number }): Promise<void> {
  const pane = page.locator(".react-flow__pane");
  const box = await pane.boundingBox();
  if (!box) throw new Error("no canvas");
  await page.getByTestId(`palette-${kind}`).dragTo(pane, { targetPosition: { x: box.width * at.x, y: box.height * at.y } });
}

export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 15_000, describe?: () => Promise<string>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${describe ? `\n${await describe()}` : ""}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** How many nodes the node sketch draws (zoomed out), -1 when there is none. */
export async function sketchedNodes(page: Page): Promise<number> {
  return Number((await page.getByTestId("node-sketch").getAttribute("data-nodes").catch(() => null)) ?? -1);
}

export async function textOf(locator: Locator): Promise<string> {
  return ((await locator.count()) > 0 ? await locator.first().innerText() : "").replace(/\u00a0/g, " ");
}

/** Calls a tRPC procedure over plain HTTP, as the page does (signed in through the e2e proxy). */
export async function trpc<T>(baseUrl: string, procedure: string, input: unknown, kind: "query" | "mutation" = "mutation"): Promise<T> {
  const url = `${baseUrl}/trpc/${procedure}`;
  const response =
    kind === "query"
      ? await fetch(`${url}?input=${encodeURIComponent(JSON.stringify(input))}`)
      : await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(input) });
  const body: unknown = await response.json();
  if (!response.ok || typeof body !== "object" || body === null || !("result" in body)) throw new Error(`${procedure} failed: ${JSON.stringify(body).slice(0, 2000)}`);
  const result = body.result;
  if (typeof result !== "object" || result === null || !("data" in result)) throw new Error(`${procedure}: no data in ${JSON.stringify(body).slice(0, 500)}`);
  // The test knows what the procedure returns; the server validated it.
  return result.data as T;
}

export interface TestNode {
  id: string;
  kind: "python" | "sql" | "table" | "stream" | "chart" | "markdown";
  title?: string;
  x: number;
  y: number;
  code?: string;
  inputs?: Record<string, string | null>;
  outputs?: Record<string, string | null>;
  parameterValues?: Record<string, unknown>;
}

/** Creates a graph with the given nodes through the API; returns its id. */
export async function createGraph(baseUrl: string, title: string, nodes: TestNode[]): Promise<string> {
  const graph = await trpc<{ id: string }>(baseUrl, "graphs.create", { title });
  if (nodes.length > 0) {
    const changes = nodes.map((n) => ({
      type: "addNode",
      node: {
        id: n.id,
        kind: n.kind,
        title: n.title ?? n.id,
        position: { x: n.x, y: n.y },
        code: n.code ?? "",
        inputs: n.inputs ?? {},
        outputs: n.outputs ?? {},
        parameterValues: n.parameterValues ?? {},
        runtime: "server",
      },
    }));
    await trpc(baseUrl, "graphs.applyChanges", { id: graph.id, changes });
  }
  return graph.id;
}

export function graphNode(page: Page, title: string): Locator {
  return page.locator(`[data-testid="graph-node"][data-title="${title}"]`);
}

/** The run badge on a node on the canvas: its status attribute and text. */
export async function nodeStatus(page: Page, title: string): Promise<string> {
  const badge = graphNode(page, title).locator('[data-testid="run-status"]');
  return (await badge.count()) > 0 ? ((await badge.first().getAttribute("data-status")) ?? "") : "";
}

export async function waitForStatus(page: Page, title: string, statuses: string[], timeoutMs = 120_000): Promise<string> {
  let seen = "";
  await waitFor(
    `"${title}" to show ${statuses.join(" or ")}`,
    async () => {
      seen = await nodeStatus(page, title);
      return statuses.includes(seen);
    },
    timeoutMs,
    async () => `it shows "${seen}"; bottom panel:\n${await textOf(page.getByTestId("bottom-panel"))}`,
  );
  return seen;
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOTS, `patchbay-e2e-${name}.png`) });
}

interface NodeRunInfo {
  id: string;
  status: string;
  error: string | null;
}

/** Runs one node through the API and waits for it to finish; for test setup. */
export async function runNodeAndWait(baseUrl: string, graphId: string, nodeId: string, timeoutMs = 180_000): Promise<NodeRunInfo> {
  const before = await trpc<Record<string, NodeRunInfo>>(baseUrl, "runs.latestByNode", { graphId }, "query");
  const previous = before[nodeId]?.id;
  await trpc(baseUrl, "runs.start", { graphId, nodeId, scope: "node" });
  let run: NodeRunInfo | undefined;
  await waitFor(
    `the run of ${nodeId}`,
    async () => {
      try {
        run = (await trpc<Record<string, NodeRunInfo>>(baseUrl, "runs.latestByNode", { graphId }, "query"))[nodeId];
      } catch {
        // The embedded database holds the server's only thread during a big INSERT: ask again.
        return false;
      }
      return run !== undefined && run.id !== previous && ["succeeded", "failed", "cancelled"].includes(run.status);
    },
    timeoutMs,
  );
  if (!run) throw new Error("no run");
  return run;
}
