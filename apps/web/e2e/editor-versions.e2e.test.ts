import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EditorHarness, pythonNode, storeNode } from "./editor-harness.ts";

// Version history: save a named version, change the graph, open the version read-only,
// restore it (one undoable step the server validates like any edit).

const h = new EditorHarness();

describe("version history", () => {
  beforeAll(() => h.start());
  afterAll(() => h.stop());

  it("saves, lists, opens read-only, restores and undoes the restore", async () => {
    const graphId = await h.openNewGraph("Versions", [
      pythonNode("loader", "loader", 'from patterns import Table\nTable("orders", "w")\n', { x: 40, y: 40 }),
      storeNode("orders", "orders", { x: 400, y: 40 }),
    ]);
    const { page } = h;
    await h.nodeByTitle("orders").waitFor();

    // Save a version from the toolbar's Versions panel.
    await page.getByTestId("toolbar-version-history").click();
    await page.getByTestId("version-message").fill("first draft");
    await page.getByTestId("version-save").click();
    await page.locator('[data-testid="version-row"][data-message="first draft"]').waitFor();

    // Change the graph: delete the table, rename the node.
    await h.nodeByTitle("orders").locator('[data-testid="node-title"]').click();
    await page.keyboard.press("Delete");
    await h.waitFor("the table deleted", async () => (await h.nodeByTitle("orders").count()) === 0);
    await h.nodeByTitle("loader").locator('[data-testid="node-title"]').click();
    await page.getByTestId("node-title-input").fill("importer");
    await page.getByTestId("node-title-input").press("Enter");
    await h.waitFor("the rename", async () => (await h.nodeByTitle("importer").count()) === 1);
    await h.waitUntilSaved();

    // Ctrl+S opens the panel too; save a second version, listed first.
    await h.clickPane();
    await page.keyboard.press("Control+S");
    await page.getByTestId("version-message").fill("without the table");
    await page.getByTestId("version-save").click();
    await page.locator('[data-testid="version-row"][data-message="without the table"]').waitFor();
    const messages = await page.locator('[data-testid="version-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute("data-message")));
    expect(messages).toEqual(["without the table", "first draft"]);

    // Open the first version: read-only, with a banner.
    await page.locator('[data-testid="version-row"][data-message="first draft"] [data-testid="version-open"]').click();
    await page.getByTestId("version-banner").waitFor();
    await h.nodeByTitle("orders").waitFor();
    expect(await h.nodeByTitle("loader").count()).toBe(1);
    await h.shot("versions-1-viewing");
    await h.nodeByTitle("orders").locator('[data-testid="node-title"]').click();
    expect(await page.getByTestId("node-title-input").getAttribute("readonly")).not.toBeNull();
    await page.keyboard.press("Delete");
    const header = await h.center(h.nodeByTitle("loader").locator(".node-header"));
    const before = await h.flowPosition("loader");
    await h.dragMouse(header, { x: header.x + 80, y: header.y + 80 });
    expect(await h.nodeByTitle("orders").count()).toBe(1);
    expect(await h.flowPosition("loader")).toEqual(before);

    // Back to the current graph, then open it again and restore it.
    await page.getByTestId("version-close").click();
    await h.waitFor("the current graph", async () => (await h.nodeByTitle("importer").count()) === 1 && (await h.nodeByTitle("orders").count()) === 0);
    await page.locator('[data-testid="version-row"][data-message="first draft"] [data-testid="version-open"]').click();
    await page.getByTestId("version-restore").click();
    await page.getByTestId("version-banner").waitFor({ state: "detached" });
    await h.waitFor("the restored graph", async () => (await h.nodeByTitle("loader").count()) === 1 && (await h.nodeByTitle("orders").count()) === 1);
    await h.waitUntilSaved();
    const restored = await h.savedDocument(graphId);
    expect(restored.nodes.map((n) => n.title).sort()).toEqual(["loader", "orders"]);

    // The restore is one undo step.
    await h.clickPane();
    await page.keyboard.press("Control+Z");
    await h.waitFor("the restore undone", async () => (await h.nodeByTitle("importer").count()) === 1 && (await h.nodeByTitle("orders").count()) === 0);
    await h.waitUntilSaved();
    expect((await h.savedDocument(graphId)).nodes.map((n) => n.title)).toEqual(["importer"]);
  });
});
