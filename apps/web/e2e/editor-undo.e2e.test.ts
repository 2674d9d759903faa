import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EditorHarness } from "./editor-harness.ts";

// Undo and redo of graph edits, the way a person does them: Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y
// on the canvas, Monaco's own undo while typing in it, and every step saved like any edit.

const CODE = ['from patterns import Table', 't = Table("scores", "w")'].join("\n");

const h = new EditorHarness();

describe("undo and redo", () => {
  beforeAll(() => h.start());
  afterAll(() => h.stop());

  it("undoes and redoes adding, typing, renaming, moving, connecting and deleting, and saves the result", async () => {
    const graphId = await h.openNewGraph("Undo");
    const { page } = h;

    // Build: a Python node with code typed in one burst, a table named after its port, a move.
    await h.dropFromPalette("python", { x: 160, y: 140 });
    await h.editor().locator(".monaco-editor").waitFor({ timeout: 30_000 });
    await h.editor().locator(".view-lines").click();
    await page.keyboard.press("Control+A");
    await page.keyboard.insertText(CODE);
    await page.keyboard.type("\n# done", { delay: 20 });
    await h.node("python").locator('[data-testid="port-out-scores"]').waitFor();
    const starterTitle = (await h.titles("python"))[0] ?? "";

    await h.dropFromPalette("table", { x: 520, y: 160 });
    const titleInput = page.getByTestId("node-title-input");
    await titleInput.fill("scores");
    await titleInput.press("Enter");
    await h.waitFor("the implicit edge to the renamed table", async () => (await h.edges().count()) === 1);

    const before = await h.flowPosition(starterTitle);
    const header = await h.center(h.node("python").locator(".node-header"));
    await h.dragMouse(header, { x: header.x + 40, y: header.y + 150 });
    await h.waitFor("the node to move", async () => (await h.flowPosition(starterTitle)).y > before.y + 100);

    // Ctrl+Z inside Monaco is Monaco's: it takes back the text typed there, not a canvas step.
    await h.node("python").locator('[data-testid="node-title"]').click();
    await h.editor().locator(".view-lines").click();
    await page.keyboard.press("Control+End");
    await page.keyboard.type("z", { delay: 20 });
    await h.waitFor("the typed letter", async () => (await h.editorText()).endsWith("# donez"));
    await page.keyboard.press("Control+Z");
    await h.waitFor("Monaco to undo the letter", async () => (await h.editorText()).endsWith("# done"));
    expect(await h.node("table").count()).toBe(1);
    expect((await h.flowPosition(starterTitle)).y).toBeGreaterThan(before.y + 100);

    // Out of the editor, Ctrl+Z is the graph's. Monaco's undo reached the graph as a code edit
    // that cancelled the letter, which leaves no step behind: the first canvas undo is the move.
    await h.clickPane();
    await page.keyboard.press("Control+Z");
    await h.waitFor("the move to be undone", async () => (await h.flowPosition(starterTitle)).y === before.y);
    await page.keyboard.press("Control+Z");
    await h.waitFor("the rename to be undone", async () => (await h.titles("table"))[0]?.startsWith("table_") === true);
    expect(await h.edges().count()).toBe(0);
    await page.keyboard.press("Control+Z");
    await h.waitFor("the table to be removed", async () => (await h.node("table").count()) === 0);
    await page.keyboard.press("Control+Z");
    await h.waitFor("the typing burst to be undone in one step", async () => (await h.node("python").locator('[data-testid="port-out-scores"]').count()) === 0);
    await page.keyboard.press("Control+Z");
    await h.waitFor("the Python node to be removed", async () => (await h.node("python").count()) === 0);
    await h.shot("undo-1-empty");

    // Redo all of it, with both redo shortcuts.
    await page.keyboard.press("Control+Shift+Z");
    await h.waitFor("the Python node back", async () => (await h.node("python").count()) === 1);
    await page.keyboard.press("Control+Y");
    await h.waitFor("the code back", async () => (await h.node("python").locator('[data-testid="port-out-scores"]').count()) === 1);
    await page.keyboard.press("Control+Y");
    await h.waitFor("the table back", async () => (await h.node("table").count()) === 1);
    await page.keyboard.press("Control+Shift+Z");
    await h.waitFor("the rename and its edge back", async () => (await h.edges().count()) === 1 && (await h.titles("table"))[0] === "scores");

    // Delete a node with the Delete key, and a connection; undo brings each back.
    await h.node("table").locator('[data-testid="node-title"]').click();
    await page.keyboard.press("Delete");
    await h.waitFor("the table deleted", async () => (await h.node("table").count()) === 0);
    await page.keyboard.press("Control+Z");
    await h.waitFor("the table restored with its edge", async () => (await h.node("table").count()) === 1 && (await h.edges().count()) === 1);

    const outHandle = h.node("python").locator('[data-testid="port-out-scores"] .react-flow__handle');
    await h.dropFromPalette("table", { x: 520, y: 420 });
    const secondTable = (await h.titles("table")).find((t) => t !== "scores") ?? "";
    await h.dragMouse(await h.center(outHandle), await h.center(h.nodeByTitle(secondTable).locator('[data-testid="store-in"]')));
    await h.waitFor("the explicit connection to the second table", async () => (await page.locator(".react-flow__edge.edge-explicit").count()) === 1);
    await page.keyboard.press("Control+Z");
    await h.waitFor("the connection undone (back to the implicit edge)", async () => (await page.locator(".react-flow__edge.edge-explicit").count()) === 0 && (await h.edges().count()) === 1);
    await page.keyboard.press("Control+Z");
    await h.waitFor("the second table gone", async () => (await h.node("table").count()) === 1);

    // The server has exactly what the screen shows.
    await h.waitUntilSaved();
    const saved = await h.savedDocument(graphId);
    expect(saved.nodes.map((n) => [n.kind, n.title]).sort()).toEqual([["python", starterTitle], ["table", "scores"]]);
    expect(saved.nodes.find((n) => n.kind === "python")?.code).toBe(`${CODE}\n# done`);
    expect(saved.nodes.find((n) => n.kind === "python")?.position.y).toBe(Math.round(before.y));
    await page.reload();
    await h.node("table").waitFor();
    await h.waitFor("the edge after reload", async () => (await h.edges().count()) === 1);
    await h.shot("undo-2-reloaded");
  });
});
