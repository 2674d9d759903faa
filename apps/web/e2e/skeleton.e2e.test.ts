import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type BrowserContext, type Locator, type Page } from "playwright-core";
import { findChromium } from "./find-chromium.ts";
import { CHROMIUM_ARGS, SCREENSHOTS } from "./run-data-helpers.ts";
import { startServer, type RunningServer } from "./server.ts";

// The walking skeleton, done the way a person does it: real clicks, drags and typing in a
// real Chromium against the real server, checking what is on screen.

// Unique, so the test also works against a long-running server (PATCHBAY_E2E_URL).
const GRAPH_TITLE = `Scores pipeline ${Date.now().toString(36)}`;

const CODE = [
  "from patterns import Table",
  't = Table("scores", "w")',
  't.append([{"name": "a", "score": 1}, {"name": "b", "score": 2}])',
  'print("wrote", 2)',
].join("\n");

let server: RunningServer;
let context: BrowserContext;
let page: Page;
let profileDir: string;
const pageProblems: string[] = [];

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function textOf(locator: Locator): Promise<string> {
  return ((await locator.count()) > 0 ? await locator.first().innerText() : "").replace(/\u00a0/g, " ");
}

const node = (kind: string) => page.locator(`[data-testid="graph-node"][data-kind="${kind}"]`);
const nodeWrapper = (kind: string) => page.locator(`.react-flow__node:has([data-testid="graph-node"][data-kind="${kind}"])`);
const editor = () => page.locator('[data-testid="code-editor"]');

/** The text Monaco shows, lines joined with newlines. */
async function editorText(): Promise<string> {
  const lines = editor().locator(".view-lines .view-line");
  await lines.first().waitFor();
  // Monaco positions lines absolutely; sort them by their top offset.
  const rows = await lines.evaluateAll((elements) =>
    elements.map((el) => (el instanceof HTMLElement ? { top: parseFloat(el.style.top || "0"), text: el.innerText } : { top: 0, text: "" })),
  );
  return rows
    .sort((a, b) => a.top - b.top)
    .map((r) => r.text.replace(/\u00a0/g, " "))
    .join("\n");
}

async function flowPosition(kind: string): Promise<{ x: number; y: number }> {
  const transform = await nodeWrapper(kind).first().evaluate((el) => (el instanceof HTMLElement ? el.style.transform : ""));
  const match = /translate\(\s*(-?[\d.]+)px,\s*(-?[\d.]+)px\)/.exec(transform);
  if (!match) throw new Error(`No position in node transform "${transform}"`);
  return { x: Number(match[1]), y: Number(match[2]) };
}

async function waitUntilSaved(): Promise<void> {
  await page.waitForTimeout(600); // past the code-edit debounce
  await page.locator('[data-testid="save-status"][data-state="saved"]').waitFor({ timeout: 15_000 });
}

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

/** Clicks the middle of the first edge of the canvas, on its drawn path. */
async function clickFirstEdge(): Promise<void> {
  const point = await page.locator(".react-flow__edge path.react-flow__edge-path").first().evaluate((path) => {
    if (!(path instanceof SVGPathElement)) throw new Error("the edge is not an SVG path");
    const middle = path.getPointAtLength(path.getTotalLength() / 2);
    const matrix = path.getScreenCTM();
    if (!matrix) throw new Error("the edge is not on screen");
    return { x: middle.x * matrix.a + middle.y * matrix.c + matrix.e, y: middle.x * matrix.b + middle.y * matrix.d + matrix.f };
  });
  await page.mouse.click(point.x, point.y);
}

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOTS, `patchbay-e2e-${name}.png`) });
}

/** What the server itself says about the graph's latest runs, for failure messages. */
async function serverRuns(): Promise<string> {
  const graphId = decodeURIComponent(/#\/graphs\/([^/?#]+)/.exec(page.url())?.[1] ?? "");
  try {
    const input = encodeURIComponent(JSON.stringify({ graphId }));
    const response = await fetch(`${server.url}/trpc/runs.latestByNode?input=${input}`);
    return await response.text();
  } catch (error) {
    return `(could not ask the server: ${String(error)})`;
  }
}

/** Waits for a node's run badge to show one of the final states and returns it. */
async function finalStatus(kind: string): Promise<string> {
  const badge = node(kind).locator('[data-testid="run-status"]');
  let status = "";
  try {
    await waitFor(
      `the ${kind} node's run to finish`,
      async () => {
        status = (await badge.count()) > 0 ? ((await badge.getAttribute("data-status")) ?? "") : "";
        return status === "succeeded" || status === "failed" || status === "cancelled";
      },
      150_000,
    );
  } catch (error) {
    await shot("timeout");
    throw new Error(
      `${String(error)}; the badge shows "${status}".\nBottom panel:\n${await textOf(page.getByTestId("bottom-panel"))}\n` +
        `Server's latest runs:\n${await serverRuns()}\nServer output:\n${server.output().slice(-4000)}\nBrowser problems:\n${pageProblems.join("\n")}`,
    );
  }
  return status;
}

describe("walking skeleton", () => {
  beforeAll(async () => {
    server = await startServer();
    profileDir = mkdtempSync(path.join(tmpdir(), "patchbay-e2e-chromium-"));
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: findChromium(),
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 800 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(20_000);
    page.on("pageerror", (error) => pageProblems.push(`page error: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error") pageProblems.push(`console error: ${message.text()}`);
    });
  });

  afterAll(async () => {
    await context?.close();
    await server?.stop();
    if (profileDir) rmSync(profileDir, { recursive: true, force: true });
    if (pageProblems.length > 0) console.log(`Browser problems seen:\n${pageProblems.join("\n")}`);
  });

  it("creates a graph, builds and saves a pipeline, runs it and shows its output and errors", async () => {
    // 1. The list of graphs, with the example graph the server seeds; create a new graph.
    await page.goto(server.url);
    await page.locator('[data-testid="graph-row"]').first().waitFor();
    await page.getByTestId("new-graph").click();
    await page.getByTestId("graph-title-input").fill(GRAPH_TITLE);
    await page.getByTestId("dialog-submit").click();
    await waitFor("the new graph to open", async () => (await textOf(page.getByTestId("graph-title"))) === GRAPH_TITLE);

    // Back to the list: the graph is there; open it from the list.
    await page.locator(".brand").click();
    const row = page.locator(`[data-testid="graph-row"][data-title="${GRAPH_TITLE}"]`);
    await row.waitFor();
    await row.locator(".graph-link").click();
    await waitFor("the graph page", async () => (await textOf(page.getByTestId("graph-title"))) === GRAPH_TITLE);
    await page.locator(".react-flow__pane").waitFor();

    // 2. Drag a Python node from the palette onto the canvas; it opens in the side panel.
    const pane = page.locator(".react-flow__pane");
    await page.getByTestId("palette-python").dragTo(pane, { targetPosition: { x: 160, y: 140 } });
    await node("python").waitFor();
    await editor().locator(".monaco-editor").waitFor({ timeout: 30_000 });

    // 3. Type the code; the node grows an output port "scores".
    await editor().locator(".view-lines").click();
    await page.keyboard.press("Control+A");
    await page.keyboard.insertText(CODE);
    await waitFor("the code to appear in the editor", async () => (await editorText()).trim() === CODE);
    await node("python").locator('[data-testid="port-out-scores"]').waitFor();

    // 4. Drag a Table node onto the canvas and connect the port to it, handle to handle.
    await page.getByTestId("palette-table").dragTo(pane, { targetPosition: { x: 520, y: 160 } });
    await node("table").waitFor();
    await shot("1-nodes");
    const outHandle = node("python").locator('[data-testid="port-out-scores"] .react-flow__handle');
    const tableIn = node("table").locator('[data-testid="store-in"]');
    await dragMouse(await center(outHandle), await center(tableIn));
    await waitFor("an edge from the port to the table", async () => (await page.locator(".react-flow__edge").count()) === 1);

    // Select the edge and delete it with the Delete key, then connect again.
    await clickFirstEdge();
    await page.locator(".react-flow__edge.selected").waitFor();
    await page.keyboard.press("Delete");
    await waitFor("the edge to be deleted", async () => (await page.locator(".react-flow__edge").count()) === 0);
    await dragMouse(await center(outHandle), await center(tableIn));
    await waitFor("the edge to be drawn again", async () => (await page.locator(".react-flow__edge").count()) === 1);

    // Name the table after the port, as the code expects.
    await node("table").locator('[data-testid="node-title"]').click();
    const titleInput = page.getByTestId("node-title-input");
    await waitFor("the table's name in the side panel", async () => (await titleInput.inputValue()).startsWith("table"));
    await titleInput.fill("scores");
    await titleInput.press("Enter");
    await waitFor("the table to be renamed", async () => (await textOf(node("table").locator('[data-testid="node-title"]'))) === "scores");
    expect(await page.locator(".react-flow__edge").count()).toBe(1);

    // 5. Move the Python node by dragging its header.
    const before = await flowPosition("python");
    const header = await center(node("python").locator(".node-header"));
    await dragMouse(header, { x: header.x - 60, y: header.y + 120 });
    await waitFor("the node to move", async () => {
      const after = await flowPosition("python");
      return Math.abs(after.y - before.y) > 50;
    });
    const moved = await flowPosition("python");

    // A Markdown note dropped and deleted with the Delete key stays deleted.
    await page.getByTestId("palette-markdown").dragTo(pane, { targetPosition: { x: 200, y: 380 } });
    await node("markdown").waitFor();
    await page.keyboard.press("Delete");
    await waitFor("the note to be deleted", async () => (await node("markdown").count()) === 0);
    await waitUntilSaved();
    await shot("2-built");

    // 6. Reload: everything is as it was left.
    await page.reload();
    await node("python").waitFor();
    await node("table").waitFor();
    expect(await node("markdown").count()).toBe(0);
    expect(await textOf(node("table").locator('[data-testid="node-title"]'))).toBe("scores");
    await waitFor("the edge after reload", async () => (await page.locator(".react-flow__edge").count()) === 1);
    const reloaded = await flowPosition("python");
    expect(Math.round(reloaded.x)).toBe(Math.round(moved.x));
    expect(Math.round(reloaded.y)).toBe(Math.round(moved.y));
    await node("python").locator('[data-testid="node-title"]').click();
    await editor().locator(".monaco-editor").waitFor({ timeout: 30_000 });
    await waitFor("the saved code in the editor", async () => (await editorText()).trim() === CODE);
    await node("python").locator('[data-testid="port-out-scores"]').waitFor();

    // 7. Run the node from its Run button; it succeeds and its print shows in the log panel.
    await node("python").getByTestId("node-run").click();
    const status = await finalStatus("python");
    const logText = await textOf(page.getByTestId("bottom-panel"));
    await shot("3-ran");
    expect(status, `the run ended "${status}"; the log panel shows:\n${logText}\nserver output:\n${server.output().slice(-3000)}`).toBe("succeeded");
    await waitFor("the print output in the log panel", async () => (await textOf(page.getByTestId("log-lines"))).includes("wrote 2"));

    // 8. Select the table: its rows and row count show in the bottom panel.
    await node("table").locator('[data-testid="node-title"]').click();
    await page.getByTestId("preview-table").waitFor({ timeout: 20_000 });
    const table = page.getByTestId("preview-table");
    const headers = await textOf(table.locator("thead"));
    expect(headers).toContain("name");
    expect(headers).toContain("score");
    const cells = await table.locator("tbody td").allInnerTexts();
    expect(cells).toContain("a");
    expect(cells).toContain("b");
    expect(await textOf(page.getByTestId("row-range"))).toBe("rows 1–2 of 2");
    await shot("4-rows");

    // 9. Break the code on line 5, run it from the side panel, and read the traceback.
    await node("python").locator('[data-testid="node-title"]').click();
    await editor().locator(".monaco-editor").waitFor({ timeout: 30_000 });
    await editor().locator(".view-lines").click();
    await page.keyboard.press("Control+End");
    await page.keyboard.press("Enter");
    await page.keyboard.insertText("1/0");
    await waitFor("the failing line in the editor", async () => (await editorText()).trim() === `${CODE}\n1/0`);
    await page.getByTestId("panel-run").click();
    const failed = await finalStatus("python");
    expect(failed).toBe("failed");
    await page.getByTestId("run-error").waitFor();
    const traceback = await textOf(page.getByTestId("run-error"));
    expect(traceback).toContain("ZeroDivisionError");
    expect(traceback).toMatch(/line 5\b/);
    await shot("5-failed");
  });
});
