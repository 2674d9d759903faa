import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EditorHarness, pythonNode, storeNode } from "./editor-harness.ts";

// The code editor knows the node API: completion of classes, methods and the graph's store
// names, hover docs, SQL store references, and syntax errors on the line and on the node,
// while the canvas keeps the last ports that parsed.

const h = new EditorHarness();

async function openCode(title: string): Promise<void> {
  await h.nodeByTitle(title).locator('[data-testid="node-title"]').click();
  await h.editor().locator(".monaco-editor").waitFor({ timeout: 30_000 });
  await h.editor().locator(".view-lines").click();
}

const suggestions = () => h.page.locator(".monaco-editor .suggest-widget .monaco-list-row");

async function suggestionLabels(): Promise<string[]> {
  await h.waitFor("the suggestion list", async () => (await suggestions().count()) > 0, 10_000);
  return (await suggestions().locator(".label-name").allInnerTexts()).map((t) => t.trim());
}

describe("code editor", () => {
  beforeAll(() => h.start());
  afterAll(() => h.stop());

  it("completes the node API and store names, shows docs on hover, and marks syntax errors", async () => {
    await h.openNewGraph("Code", [
      pythonNode("p", "writer", 'from patterns import Table\nout = Table("summary", "w")\n', { x: 40, y: 40 }),
      storeNode("o", "orders", { x: 400, y: 40 }),
      storeNode("c", "customers", { x: 400, y: 200 }),
      storeNode("e", "events", { x: 400, y: 360 }, "stream"),
      { type: "addNode", node: { id: "q", kind: "sql", title: "by_day", position: { x: 40, y: 300 }, code: "select 1\n", inputs: {}, outputs: {}, parameterValues: {}, runtime: "server" } },
    ]);
    const { page } = h;
    await openCode("writer");
    await page.keyboard.press("Control+End");

    // Store names of this graph inside Table("…"): tables only.
    await page.keyboard.type('orders = Table("', { delay: 15 });
    const names = await suggestionLabels();
    expect(names).toEqual(expect.arrayContaining(["orders", "customers"]));
    expect(names).not.toContain("events");
    await page.keyboard.type("ord", { delay: 15 });
    await page.keyboard.press("Enter");
    await h.waitFor("the store name inserted", async () => (await h.editorText()).includes('orders = Table("orders")'));
    await page.keyboard.press("End");
    await page.keyboard.press("Enter");

    // Methods of the class the variable was declared as, with their docs.
    await page.keyboard.type("orders.", { delay: 15 });
    const methods = await suggestionLabels();
    expect(methods).toEqual(expect.arrayContaining(["append", "init", "read", "read_sql"]));
    await page.keyboard.type("read_d", { delay: 15 });
    await page.keyboard.press("Enter");
    await h.waitFor("the method inserted", async () => (await h.editorText()).includes("orders.read_dataframe()"));

    // Keyword arguments of the call the cursor is in.
    await page.keyboard.press("End");
    await page.keyboard.press("Escape");
    await page.keyboard.press("Enter");
    await page.keyboard.type('events = Stream("events", ', { delay: 15 });
    expect(await suggestionLabels()).toEqual(expect.arrayContaining(["mode=", "description=", "schema="]));
    await page.keyboard.press("Escape");

    // The canvas follows within half a second of the pause: a new input port "orders".
    const started = Date.now();
    await h.nodeByTitle("writer").locator('[data-testid="port-in-orders"]').waitFor({ timeout: 5_000 });
    expect(Date.now() - started).toBeLessThan(1_500);

    // Hover over Table: its signature and what it does.
    const word = await h.editor().locator(".view-lines").evaluate((lines) => {
      // The screen box of the first "Table" word the editor shows.
      const walker = document.createTreeWalker(lines, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.textContent?.indexOf("Table") ?? -1;
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + 5);
        const rect = range.getBoundingClientRect();
        return { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 };
      }
      return null;
    });
    if (!word) throw new Error("no Table on screen");
    await page.mouse.move(word.x, word.y);
    const hover = page.locator(".monaco-hover-content");
    await h.waitFor("the hover docs", async () => (await h.textOf(hover)).includes('Table(name, mode="r"'), 10_000);
    expect(await h.textOf(hover)).toContain("A table store, and a port on the canvas");
    await h.shot("code-1-hover");

    // Code that does not parse: the error shows on the line and on the node, the ports stay.
    await h.editor().locator(".view-lines").click();
    await page.keyboard.press("Control+End");
    await page.keyboard.press("Escape"); // no suggestion open, so Enter is a new line
    await page.keyboard.press("Enter");
    await page.keyboard.insertText('broken = "never closed');
    await page.keyboard.press("Delete"); // the quote Monaco closed by itself
    await h.waitFor("the error on the node", async () => (await h.textOf(h.nodeByTitle("writer").locator(".node-warning"))).includes("Line "), 5_000);
    await h.editor().locator(".squiggly-error").first().waitFor({ timeout: 5_000 });
    expect(await h.nodeByTitle("writer").locator('[data-testid="port-in-orders"]').count()).toBe(1);
    expect(await h.nodeByTitle("writer").locator('[data-testid="port-out-summary"]').count()).toBe(1);
    await h.shot("code-2-error");
    // Fixing it clears both.
    await page.keyboard.press("End");
    await page.keyboard.press("Shift+Home");
    await page.keyboard.insertText("fixed = 1");
    await h.waitFor("the error gone from the node", async () => (await h.nodeByTitle("writer").locator(".node-warning").count()) === 0, 5_000);
    await h.waitFor("the error gone from the line", async () => (await h.editor().locator(".squiggly-error").count()) === 0, 5_000);

    // SQL: after FROM, the graph's stores as templates; inside {{ }}, Table("…") names.
    await openCode("by_day");
    await page.keyboard.press("Control+A");
    await page.keyboard.type("select * from ", { delay: 15 });
    const stores = await suggestionLabels();
    expect(stores).toEqual(expect.arrayContaining(["orders", "customers", "events"]));
    await page.keyboard.type("cust", { delay: 15 });
    await page.keyboard.press("Enter");
    await h.waitFor("the store template inserted", async () => (await h.editorText()).includes('select * from {{ Table("customers") }}'));
    await h.nodeByTitle("by_day").locator('[data-testid="port-in-customers"]').waitFor({ timeout: 5_000 });
  });
});
