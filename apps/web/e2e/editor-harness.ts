import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Locator, type Page } from "playwright-core";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import type { AppRouter } from "@patchbay/api";
import type { GraphChange, GraphDocument, GraphNode } from "@patchbay/graph";
import { findChromium } from "./find-chromium.ts";
import { CHROMIUM_ARGS, SCREENSHOTS, sketchedNodes } from "./run-data-helpers.ts";
import { startServer, type RunningServer } from "./server.ts";

// Shared by the editor's end-to-end tests: one server and one Chromium per test file, and
// the moves a person makes on the canvas.

export type Point = { x: number; y: number };

/** Where a point of the graph is on screen, by the canvas's viewport transform. */
export function screenPoint(page: Page, flow: Point): Promise<Point> {
  return page.evaluate(({ x, y }) => {
    const viewport = document.querySelector(".react-flow__viewport");
    const pane = document.querySelector(".react-flow__pane")?.getBoundingClientRect();
    if (!(viewport instanceof HTMLElement) || !pane) throw new Error("no canvas on the page");
    const { a: zoom, e: left, f: top } = new DOMMatrix(getComputedStyle(viewport).transform);
    return { x: pane.left + left + x * zoom, y: pane.top + top + y * zoom };
  }, flow);
}

export class EditorHarness {
  server!: RunningServer;
  context!: BrowserContext;
  page!: Page;
  api!: ReturnType<typeof createTRPCClient<AppRouter>>;
  readonly problems: string[] = [];
  private profileDir = "";

  async start(): Promise<void> {
    this.server = await startServer();
    // Through the signed-in proxy, with the CSRF header the server wants on mutations.
    this.api = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${this.server.url}/trpc`, headers: { "x-patchbay-csrf": "1" } })] });
    this.profileDir = mkdtempSync(path.join(tmpdir(), "patchbay-e2e-chromium-"));
    this.context = await chromium.launchPersistentContext(this.profileDir, {
      executablePath: findChromium(),
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1400, height: 900 },
    });
    await this.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: this.server.url });
    this.page = this.context.pages()[0] ?? (await this.context.newPage());
    this.page.setDefaultTimeout(20_000);
    this.page.on("pageerror", (error) => this.problems.push(`page error: ${error.message}`));
    this.page.on("console", (message) => {
      if (message.type() === "error") this.problems.push(`console error: ${message.text()}`);
    });
  }

  async stop(): Promise<void> {
    await this.context?.close();
    await this.server?.stop();
    if (this.profileDir) rmSync(this.profileDir, { recursive: true, force: true });
    if (this.problems.length > 0) console.log(`Browser problems seen:\n${this.problems.join("\n")}`);
  }

  /** A new graph, made through the API, opened in the editor. */
  async openNewGraph(title: string, changes: GraphChange[] = []): Promise<string> {
    const { id } = await this.api.graphs.create.mutate({ title: `${title} ${Date.now().toString(36)}` });
    if (changes.length) await this.api.graphs.applyChanges.mutate({ id, changes });
    await this.openGraph(id);
    return id;
  }

  async openGraph(id: string): Promise<void> {
    await this.page.goto(`${this.server.url}/#/graphs/${encodeURIComponent(id)}`);
    await this.page.locator(".react-flow__pane").waitFor();
  }

  async savedDocument(id: string): Promise<GraphDocument> {
    return (await this.api.graphs.get.query({ id })).document;
  }

  node(kind: string, title?: string): Locator {
    return this.page.locator(`[data-testid="graph-node"][data-kind="${kind}"]${title ? `[data-title="${title}"]` : ""}`);
  }

  nodeByTitle(title: string): Locator {
    return this.page.locator(`[data-testid="graph-node"][data-title="${title}"]`);
  }

  wrapperOf(title: string): Locator {
    return this.page.locator(`.react-flow__node:has([data-testid="graph-node"][data-title="${title}"])`);
  }

  editor(): Locator {
    return this.page.locator('[data-testid="code-editor"]');
  }

  edges(): Locator {
    return this.page.locator(".react-flow__edge");
  }

  async waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await check()) return;
      if (Date.now() > deadline) {
        await this.shot(`timeout-${what.replace(/\W+/g, "-").slice(0, 40)}`);
        throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}. Browser problems:\n${this.problems.join("\n")}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async textOf(locator: Locator): Promise<string> {
    return ((await locator.count()) > 0 ? await locator.first().innerText() : "").replace(/\u00a0/g, " ");
  }

  async titles(kind?: string): Promise<string[]> {
    const nodes = kind ? this.node(kind) : this.page.locator('[data-testid="graph-node"]');
    return (await nodes.evaluateAll((els) => els.map((el) => el.getAttribute("data-title") ?? ""))).sort();
  }

  /** The text Monaco shows, lines joined with newlines. */
  async editorText(): Promise<string> {
    const lines = this.editor().locator(".view-lines .view-line");
    await lines.first().waitFor();
    const rows = await lines.evaluateAll((elements) =>
      elements.map((el) => (el instanceof HTMLElement ? { top: parseFloat(el.style.top || "0"), text: el.innerText } : { top: 0, text: "" })),
    );
    return rows
      .sort((a, b) => a.top - b.top)
      .map((r) => r.text.replace(/\u00a0/g, " "))
      .join("\n");
  }

  async flowPosition(title: string): Promise<Point> {
    const transform = await this.wrapperOf(title).first().evaluate((el) => (el instanceof HTMLElement ? el.style.transform : ""));
    const match = /translate\(\s*(-?[\d.]+)px,\s*(-?[\d.]+)px\)/.exec(transform);
    if (!match) throw new Error(`No position in node transform "${transform}"`);
    return { x: Number(match[1]), y: Number(match[2]) };
  }

  async screenPoint(flow: Point): Promise<Point> {
    return screenPoint(this.page, flow);
  }

  /** How many nodes the node sketch draws (zoomed out), -1 when there is none. */
  async sketchedNodes(): Promise<number> {
    return sketchedNodes(this.page);
  }

  /** The canvas's view: where the graph's origin is on the canvas, and the zoom. */
  async view(): Promise<{ x: number; y: number; zoom: number }> {
    return this.page.locator(".react-flow__viewport").evaluate((el) => {
      const { a: zoom, e: x, f: y } = new DOMMatrix(getComputedStyle(el).transform);
      return { x, y, zoom };
    });
  }

  async waitUntilSaved(): Promise<void> {
    await this.page.waitForTimeout(600); // past the code-edit debounce
    await this.page.locator('[data-testid="save-status"][data-state="saved"]').waitFor({ timeout: 15_000 });
  }

  async center(locator: Locator): Promise<Point> {
    const box = await locator.boundingBox();
    if (!box) throw new Error("element has no box on screen");
    return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  }

  async dragMouse(from: Point, to: Point, modifiers: ("Shift" | "Control")[] = []): Promise<void> {
    const { mouse, keyboard } = this.page;
    for (const key of modifiers) await keyboard.down(key);
    await mouse.move(from.x, from.y);
    await mouse.down();
    await mouse.move(from.x + (to.x - from.x) / 3, from.y + (to.y - from.y) / 3, { steps: 5 });
    await mouse.move(to.x, to.y, { steps: 10 });
    await mouse.up();
    for (const key of modifiers) await keyboard.up(key);
  }

  /** Drops a palette item on the canvas at a point relative to the pane's corner. */
  async dropFromPalette(kind: string, at: Point): Promise<void> {
    const before = await this.node(kind).count();
    await this.page.getByTestId(`palette-${kind}`).dragTo(this.page.locator(".react-flow__pane"), { targetPosition: at });
    await this.waitFor(`a new ${kind} node`, async () => (await this.node(kind).count()) === before + 1);
  }

  /** Clicks empty canvas (deselecting everything), at a point relative to the pane's corner. */
  async clickPane(at: Point = { x: 20, y: 20 }): Promise<void> {
    await this.page.locator(".react-flow__pane").click({ position: at });
  }

  async press(keys: string): Promise<void> {
    await this.page.keyboard.press(keys);
  }

  async shot(name: string): Promise<void> {
    await this.page.screenshot({ path: path.join(SCREENSHOTS, `patchbay-e2e-${name}.png`) }).catch(() => undefined);
  }
}

/** A node added with nothing bound and no parameter values set, run on the server. */
const addNode = (id: string, kind: GraphNode["kind"], title: string, position: Point, code: string): GraphChange => ({
  type: "addNode",
  node: { id, kind, title, position, code, inputs: {}, outputs: {}, parameterValues: {}, runtime: "server" },
});

export const pythonNode = (id: string, title: string, code: string, position: Point): GraphChange => addNode(id, "python", title, position, code);

export const storeNode = (id: string, title: string, position: Point, kind: "table" | "stream" = "table"): GraphChange => addNode(id, kind, title, position, "");

export const noteNode = (id: string, title: string, position: Point, kind: "webhook" | "markdown" | "chart", code = ""): GraphChange => addNode(id, kind, title, position, code);
