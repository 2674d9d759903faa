import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CURRENT_SCHEMA_VERSION } from "@patchbay/graph";
import { EditorHarness, noteNode, pythonNode, storeNode } from "./editor-harness.ts";
import { expectedNodeSize } from "../src/editor/canvas-drawing.tsx";
import { buildFlowNodes } from "../src/editor/flow-mapping.ts";

// The canvas commands: context menus, the command palette, copy/paste/duplicate (also into
// another graph), multi-select and box-select, auto layout, view controls, warnings and
// creating a store by dragging a port onto empty canvas.

const h = new EditorHarness();

const LOADER = 'from patterns import Table\nTable("orders", "w").append([{"id": 1}])\n';
const REPORT = 'from patterns import Table\norders = Table("orders")\nsummary = Table("summary", "w")\n';

/** A small pipeline laid out badly: the reader left of the writer. */
const pipeline = () => [
  pythonNode("loader", "loader", LOADER, { x: 520, y: 40 }),
  storeNode("orders", "orders", { x: 40, y: 260 }),
  pythonNode("report", "report", REPORT, { x: 40, y: 40 }),
];

async function selectedTitles(): Promise<string[]> {
  return (await h.page.locator(".react-flow__node.selected [data-testid='graph-node']").evaluateAll((els) => els.map((el) => el.getAttribute("data-title") ?? ""))).sort();
}

async function openMenuOn(title: string | null, at?: { x: number; y: number }): Promise<void> {
  if (title) await h.nodeByTitle(title).locator('[data-testid="node-title"]').click({ button: "right" });
  else await h.page.locator(".react-flow__pane").click({ button: "right", position: at ?? { x: 30, y: 400 } });
  await h.page.getByTestId("context-menu").waitFor();
}

async function paletteCommand(query: string): Promise<void> {
  await h.press("Control+K");
  await h.page.getByTestId("command-input").fill(query);
  await h.page.getByTestId("command-item").first().waitFor();
  await h.press("Enter");
  await h.page.getByTestId("command-palette").waitFor({ state: "detached" });
}

describe("canvas commands", () => {
  beforeAll(() => h.start());
  afterAll(() => h.stop());

  it("runs commands from the context menus and the command palette, and lays the graph out", async () => {
    const graphId = await h.openNewGraph("Commands", pipeline());
    const { page } = h;
    await h.nodeByTitle("report").waitFor();

    // Node menu: Duplicate, then undo it.
    await openMenuOn("loader");
    const labels = await page.locator('[data-testid="context-menu"] [role="menuitem"]').allInnerTexts();
    expect(labels.join("|")).toMatch(/Copy.*Duplicate.*Delete.*Run node/s);
    await page.locator('[data-testid="context-menu"] [data-action="duplicate"]').click();
    await h.waitFor("a copy of loader", async () => (await h.nodeByTitle("loader").count()) === 2);
    await h.clickPane({ x: 30, y: 400 });
    await h.press("Control+Z");
    await h.waitFor("the copy undone", async () => (await h.nodeByTitle("loader").count()) === 1);

    // F2 renames the selected node in the side panel.
    await h.nodeByTitle("report").locator('[data-testid="node-title"]').click();
    await h.waitFor("report selected", async () => (await page.getByTestId("node-title-input").inputValue().catch(() => "")) === "report");
    await h.press("F2");
    // F2 focuses the title field on the next frame; type once it has the focus, as a person would.
    await h.waitFor("the title field focused", async () => page.getByTestId("node-title-input").evaluate((el) => el === document.activeElement));
    await page.keyboard.insertText("weekly report");
    await h.press("Enter");
    await h.waitFor("the node renamed", async () => (await h.nodeByTitle("weekly report").count()) === 1);
    await h.clickPane({ x: 30, y: 400 });
    await h.press("Control+Z");
    await h.waitFor("the rename undone", async () => (await h.nodeByTitle("report").count()) === 1);

    // Canvas menu: add a Table where the menu was opened.
    await openMenuOn(null, { x: 60, y: 500 });
    await page.locator('[data-testid="context-menu"] [data-action="add-table"]').click();
    await h.waitFor("a new table", async () => (await h.node("table").count()) === 2);
    await h.press("Escape");

    // Palette: find a node by title; it is selected, opens in the side panel and is centred.
    await h.clickPane({ x: 30, y: 400 });
    await paletteCommand("repo");
    await h.waitFor("report selected", async () => (await page.getByTestId("node-title-input").inputValue()) === "report");
    const pane = await h.center(page.locator(".react-flow__pane"));
    await h.waitFor("report centred", async () => {
      const node = await h.center(h.nodeByTitle("report"));
      return Math.abs(node.x - pane.x) < 40 && Math.abs(node.y - pane.y) < 40;
    });

    // Palette: auto layout, left to right by data flow, one undo step.
    const before = { loader: await h.flowPosition("loader"), report: await h.flowPosition("report") };
    await h.clickPane({ x: 30, y: 400 });
    await paletteCommand("auto layout");
    await h.waitFor("writer left of store left of reader", async () => {
      const [loader, orders, report] = await Promise.all(["loader", "orders", "report"].map((t) => h.flowPosition(t)));
      return loader !== undefined && orders !== undefined && report !== undefined && loader.x < orders.x && orders.x < report.x;
    });
    await h.waitUntilSaved();
    const saved = await h.savedDocument(graphId);
    const x = (id: string) => saved.nodes.find((n) => n.id === id)?.position.x ?? NaN;
    expect(x("loader")).toBeLessThan(x("orders"));
    expect(x("orders")).toBeLessThan(x("report"));
    await h.shot("canvas-1-layout");
    await h.press("Control+Z");
    await h.waitFor("the layout undone in one step", async () => {
      const [loader, report] = await Promise.all([h.flowPosition("loader"), h.flowPosition("report")]);
      return loader.x === before.loader.x && report.x === before.report.x;
    });
  });

  it("copies, pastes and duplicates selections, also into another graph", async () => {
    await h.openNewGraph("Copy source", pipeline());
    const { page } = h;
    await h.nodeByTitle("report").waitFor();

    // Shift+click adds to the selection.
    await h.nodeByTitle("loader").locator('[data-testid="node-title"]').click();
    await page.keyboard.down("Shift");
    await h.nodeByTitle("orders").locator('[data-testid="node-title"]').click();
    await page.keyboard.up("Shift");
    await h.waitFor("two nodes selected", async () => (await selectedTitles()).join(",") === "loader,orders");
    await page.getByTestId("selection-count").waitFor();

    // Ctrl+C puts the nodes on the system clipboard as JSON; Ctrl+V pastes them with a free store name.
    await h.clickPane({ x: 30, y: 30 });
    await h.nodeByTitle("loader").locator('[data-testid="node-title"]').click();
    await page.keyboard.down("Shift");
    await h.nodeByTitle("orders").locator('[data-testid="node-title"]').click();
    await page.keyboard.up("Shift");
    await h.press("Control+C");
    const clipboard = await page.evaluate(() => navigator.clipboard.readText());
    expect(JSON.parse(clipboard)).toMatchObject({ format: "patchbay/nodes", version: 1 });
    // Ctrl+V pastes under the pointer.
    const pane = await page.locator(".react-flow__pane").boundingBox();
    await page.mouse.move((pane?.x ?? 0) + 100, (pane?.y ?? 0) + 100);
    await h.press("Control+V");
    await h.waitFor("the pasted copies", async () => (await h.nodeByTitle("loader").count()) === 2 && (await h.nodeByTitle("orders_2").count()) === 1);
    expect(await selectedTitles()).toEqual(["loader", "orders_2"]);
    // The pasted writer writes the pasted table.
    await h.waitFor("an explicit edge to the pasted table", async () => (await page.locator(".react-flow__edge.edge-explicit").count()) === 1);

    // Delete removes the whole selection, in one step.
    await h.press("Delete");
    await h.waitFor("the pasted nodes deleted", async () => (await h.nodeByTitle("orders_2").count()) === 0 && (await h.nodeByTitle("loader").count()) === 1);

    // Dragging one of two selected nodes moves both, and one Ctrl+Z moves both back.
    await h.nodeByTitle("report").locator('[data-testid="node-title"]').click();
    await page.keyboard.down("Shift");
    await h.nodeByTitle("orders").locator('[data-testid="node-title"]').click();
    await page.keyboard.up("Shift");
    const reportAt = await h.flowPosition("report");
    const ordersAt = await h.flowPosition("orders");
    const grip = await h.center(h.nodeByTitle("report").locator(".node-header"));
    await h.dragMouse(grip, { x: grip.x + 60, y: grip.y + 80 });
    await h.waitFor("both nodes moved", async () => (await h.flowPosition("report")).y > reportAt.y + 40 && (await h.flowPosition("orders")).y > ordersAt.y + 40);
    const reportMoved = await h.flowPosition("report");
    const ordersMoved = await h.flowPosition("orders");
    expect(Math.abs(ordersMoved.x - ordersAt.x - (reportMoved.x - reportAt.x))).toBeLessThanOrEqual(1);
    expect(Math.abs(ordersMoved.y - ordersAt.y - (reportMoved.y - reportAt.y))).toBeLessThanOrEqual(1);
    await h.clickPane({ x: 30, y: 30 });
    await h.press("Control+Z");
    await h.waitFor("the move undone for both", async () => (await h.flowPosition("report")).y === reportAt.y && (await h.flowPosition("orders")).y === ordersAt.y);

    // Shift+drag on empty canvas draws a selection box; Ctrl+D duplicates what it caught.
    const loaderBox = await h.nodeByTitle("loader").boundingBox();
    const reportBox = await h.nodeByTitle("report").boundingBox();
    if (!loaderBox || !reportBox) throw new Error("nodes not on screen");
    await h.clickPane({ x: 30, y: 30 });
    await h.dragMouse({ x: loaderBox.x - 15, y: loaderBox.y - 40 }, { x: loaderBox.x + loaderBox.width + 15, y: loaderBox.y + loaderBox.height + 15 }, ["Shift"]);
    await h.waitFor("the box to select loader", async () => (await selectedTitles()).join(",") === "loader");
    await h.press("Control+D");
    await h.waitFor("a duplicate of loader", async () => (await h.nodeByTitle("loader").count()) === 2);
    await h.press("Control+Z");
    await h.waitFor("the duplicate undone", async () => (await h.nodeByTitle("loader").count()) === 1);

    // Copy report and orders, and paste them into another graph that already has an "orders".
    await h.nodeByTitle("report").locator('[data-testid="node-title"]').click();
    await page.keyboard.down("Shift");
    await h.nodeByTitle("orders").locator('[data-testid="node-title"]').click();
    await page.keyboard.up("Shift");
    await h.press("Control+C");
    await h.waitFor("report on the clipboard", async () => (await page.evaluate(() => navigator.clipboard.readText())).includes('"title": "report"'));
    const otherId = await h.openNewGraph("Copy target", [storeNode("o", "orders", { x: 100, y: 100 })]);
    await h.nodeByTitle("orders").waitFor();
    await h.clickPane({ x: 30, y: 30 });
    await h.press("Control+V");
    await h.waitFor("the nodes pasted into the other graph", async () => (await h.nodeByTitle("report").count()) === 1 && (await h.nodeByTitle("orders_2").count()) === 1);
    // Under the pointer: the copy's top-left corner where the canvas was clicked.
    const paneBox = await page.locator(".react-flow__pane").boundingBox();
    const pastedBox = await h.wrapperOf("report").boundingBox();
    expect(Math.abs((pastedBox?.x ?? 0) - ((paneBox?.x ?? 0) + 30))).toBeLessThan(4);
    expect(Math.abs((pastedBox?.y ?? 0) - ((paneBox?.y ?? 0) + 30))).toBeLessThan(4);
    await h.waitUntilSaved();
    const other = await h.savedDocument(otherId);
    expect(other.nodes.map((n) => n.title).sort()).toEqual(["orders", "orders_2", "report"]);
    const pastedStore = other.nodes.find((n) => n.title === "orders_2");
    expect(other.nodes.find((n) => n.title === "report")?.inputs).toEqual({ orders: pastedStore?.id });
    await h.shot("canvas-2-pasted");
  });

  it("has a minimap, zoom controls, fit view and snap to grid", async () => {
    await h.openNewGraph("View", pipeline());
    const { page } = h;
    await h.nodeByTitle("report").waitFor();
    await page.locator(".react-flow__minimap").waitFor();
    // One path per node colour (two Python nodes, one table), drawing all three nodes.
    expect(await page.getByTestId("minimap").getAttribute("data-nodes")).toBe("3");
    expect(await page.locator(".react-flow__minimap-node").count()).toBe(2);
    // Clicking a corner of the minimap moves the view there; fit view (below) brings it back.
    const viewed = await h.view();
    const minimap = await page.getByTestId("minimap").boundingBox();
    if (!minimap) throw new Error("no minimap box");
    await page.mouse.click(minimap.x + 8, minimap.y + 8);
    await h.waitFor("the view moved by the minimap", async () => {
      const now = await h.view();
      return now.x !== viewed.x || now.y !== viewed.y;
    });

    const zoom = async () => (await h.view()).zoom;
    const start = await zoom();
    await page.locator(".react-flow__controls-zoomout").click();
    await h.waitFor("zoomed out", async () => (await zoom()) < start);
    // Far out, the two edges are one drawing; back in, they are edges again.
    expect(await page.locator(".react-flow__edge").count()).toBe(2);
    for (let i = 0; i < 6; i++) await page.locator(".react-flow__controls-zoomout").click();
    await h.waitFor("the edges drawn as one sketch", async () => (await page.getByTestId("edge-sketch").getAttribute("data-edges").catch(() => null)) === "2");
    expect(await page.locator(".react-flow__edge").count()).toBe(0);
    // and the three nodes the node sketch (nothing is selected).
    await h.waitFor("the nodes sketched", async () => (await h.sketchedNodes()) === 3);
    expect(await page.locator(".react-flow__node").count()).toBe(0);
    await page.locator(".react-flow__controls-fitview").click();
    await h.waitFor("edges again", async () => (await page.locator(".react-flow__edge").count()) === 2);
    await h.waitFor("fitted again", async () => Math.abs((await zoom()) - start) < 0.02);

    // Snap to grid: a dragged node lands on multiples of 20.
    await page.getByTestId("snap-toggle").click();
    await h.waitFor("snap on", async () => (await page.getByTestId("snap-toggle").getAttribute("aria-pressed")) === "true");
    const header = await h.center(h.nodeByTitle("loader").locator(".node-header"));
    await h.dragMouse(header, { x: header.x + 37, y: header.y + 53 });
    await h.waitFor("the node on the grid", async () => {
      const p = await h.flowPosition("loader");
      return p.x % 20 === 0 && p.y % 20 === 0 && p.x !== 520;
    });
    // The dot grid is the snap grid, wherever the view was moved to (the minimap, fit view):
    // the snapped node's corner is a whole number of gaps from the dots' first one.
    const node = await h.wrapperOf("loader").boundingBox();
    const dots = await page.locator(".canvas-dots-layer").boundingBox();
    if (!node || !dots) throw new Error("no node or no dots");
    const gap = 20 * (await zoom());
    const offGrid = (offset: number) => Math.min(offset % gap, gap - (offset % gap));
    expect(offGrid(node.x - dots.x)).toBeLessThan(0.5);
    expect(offGrid(node.y - dots.y)).toBeLessThan(0.5);
  });

  it("draws each node at the size expected from its kind and ports, the size nodes never drawn are sketched and fitted at", async () => {
    const tables = (n: number, mode = "") => Array.from({ length: n }, (_, i) => `t${mode}${i} = Table("${mode ? "out" : "in"}_${i}"${mode ? ', "w"' : ""})`);
    const changes = [
      pythonNode("none", "none", "x = 1", { x: 0, y: 0 }),
      pythonNode("one", "one", ["from patterns import Table", ...tables(1), ...tables(1, "w")].join("\n"), { x: 400, y: 0 }),
      pythonNode("three", "three", ["from patterns import Table", ...tables(3), ...tables(2, "w")].join("\n"), { x: 800, y: 0 }),
      storeNode("table", "table", { x: 0, y: 400 }),
      storeNode("stream", "stream", { x: 400, y: 400 }, "stream"),
      noteNode("hook", "hook", { x: 800, y: 400 }, "webhook"),
    ];
    await h.openNewGraph("Sizes", changes);
    const { page } = h;
    const expected = buildFlowNodes({ schemaVersion: CURRENT_SCHEMA_VERSION, nodes: changes.flatMap((change) => (change.type === "addNode" ? [change.node] : [])) }, []);
    for (const node of expected) {
      const wrapper = page.locator(`.react-flow__node[data-id="${node.id}"]`);
      await wrapper.waitFor();
      const drawn = await wrapper.evaluate((el) => ({ width: (el as HTMLElement).offsetWidth, height: (el as HTMLElement).offsetHeight }));
      expect({ id: node.id, ...drawn }).toEqual({ id: node.id, ...expectedNodeSize(node.data) });
    }
  });

  it("zoomed far out, sketches the nodes and answers the pointer on them: click, drag, menu and selection box", async () => {
    // 24 tables in a row, wider than the view even at the smallest zoom.
    const stores = Array.from({ length: 24 }, (_, i) => storeNode(`s${i}`, `s${i}`, { x: i * 700, y: 0 }));
    const graphId = await h.openNewGraph("Far", stores);
    const { page } = h;
    await page.locator(".react-flow.zoomed-out").waitFor();
    // From this far React Flow draws no node (nothing is selected): every table is in the sketch.
    await h.waitFor("every table sketched", async () => (await h.sketchedNodes()) === 24);
    expect(await page.locator(".react-flow__node").count()).toBe(0);
    // The minimap and fit view count the sketched tables all the same: fit view frames the
    // graph as it opened (React Flow has drawn none of them).
    expect(await page.getByTestId("minimap").getAttribute("data-nodes")).toBe("24");
    const opened = await h.view();
    await page.locator(".react-flow__controls-zoomin").click();
    await h.waitFor("zoomed in", async () => (await h.view()).zoom > opened.zoom);
    await page.locator(".react-flow__controls-fitview").click();
    await h.waitFor("fitted as it opened", async () => {
      const now = await h.view();
      return Math.abs(now.x - opened.x) < 1 && Math.abs(now.y - opened.y) < 1 && Math.abs(now.zoom - opened.zoom) < 0.001;
    });
    await h.waitFor("every table sketched again", async () => (await h.sketchedNodes()) === 24);
    // A point a little inside a table, where the sketch draws it.
    const onTable = (i: number) => h.screenPoint({ x: i * 700 + 40, y: 20 });

    // A click selects a table: its name in the side panel, React Flow draws it, the sketch the others.
    const s12 = await onTable(12);
    expect(await page.evaluate(({ x, y }) => document.elementFromPoint(x, y)?.getAttribute("class"), s12)).toContain("node-sketch-body");
    await page.mouse.click(s12.x, s12.y);
    await h.waitFor("s12 selected", async () => (await page.getByTestId("node-title-input").inputValue().catch(() => "")) === "s12");
    await h.waitFor("s12 drawn by React Flow", async () => (await h.nodeByTitle("s12").count()) === 1 && (await h.sketchedNodes()) === 23);
    expect(await selectedTitles()).toEqual(["s12"]);
    // Ctrl and a click adds a sketched table to the selection.
    const s10 = await onTable(10);
    await page.keyboard.down("Control");
    await page.mouse.click(s10.x, s10.y);
    await page.keyboard.up("Control");
    await h.waitFor("s10 added to the selection", async () => (await selectedTitles()).join() === "s10,s12");

    // A press and move on another table drags it (and selects it instead), React Flow drawing it
    // as it moves (a layer of its own: "dragging"); the drop is one undo step.
    const s13 = await onTable(13);
    await page.mouse.move(s13.x, s13.y);
    await page.mouse.down();
    await page.mouse.move(s13.x, s13.y + 30, { steps: 5 });
    await h.waitFor("s13 dragged", async () => (await page.locator(".react-flow__node.dragging[data-id='s13']").count()) === 1);
    await page.mouse.move(s13.x, s13.y + 60, { steps: 5 });
    await page.mouse.up();
    await h.waitFor("s13 dropped lower", async () => ((await h.savedDocument(graphId)).nodes.find((n) => n.id === "s13")?.position.y ?? 0) > 200);
    expect(await selectedTitles()).toEqual(["s13"]);
    expect((await h.savedDocument(graphId)).nodes.find((n) => n.id === "s12")?.position).toEqual({ x: 12 * 700, y: 0 });
    await h.press("Control+Z");
    await h.waitFor("the move undone", async () => (await h.savedDocument(graphId)).nodes.find((n) => n.id === "s13")?.position.y === 0);

    // A right click opens the node's menu; Delete there deletes that table.
    const s14 = await onTable(14);
    await page.mouse.click(s14.x, s14.y, { button: "right" });
    await page.getByTestId("context-menu").waitFor();
    await page.locator('[data-testid="context-menu"] [data-action="delete"]').click();
    await h.waitFor("s14 deleted", async () => !(await h.savedDocument(graphId)).nodes.some((n) => n.id === "s14"));
    await h.waitFor("23 tables left", async () => (await h.sketchedNodes()) + (await page.locator(".react-flow__node").count()) === 23);

    // Shift and a box around s9 to s11: the sketch outlines them while the box is drawn, then they are selected.
    await h.clickPane({ x: 20, y: 20 });
    const from = await h.screenPoint({ x: 9 * 700 - 100, y: -200 });
    const to = await h.screenPoint({ x: 11 * 700 + 400, y: 300 });
    const pane = await page.locator(".react-flow__pane").boundingBox();
    expect(pane && from.x > pane.x && to.x < pane.x + pane.width).toBe(true);
    await page.keyboard.down("Shift");
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(to.x, to.y, { steps: 8 });
    await h.waitFor("three tables outlined", async () => (await page.getByTestId("node-sketch-picked").getAttribute("data-nodes").catch(() => null)) === "3");
    await page.mouse.up();
    await page.keyboard.up("Shift");
    await h.waitFor("three tables selected", async () => (await selectedTitles()).join() === "s10,s11,s9");
    expect(await page.getByTestId("node-sketch-picked").count()).toBe(0);
    await h.shot("canvas-far-out");
  });

  it("zoomed far out, a dragged node's edges follow it as it moves and stay where it was dropped", async () => {
    const code = 'from patterns import Table\nTable("left")\nTable("right", "w")\n';
    await h.openNewGraph("Far drag", [storeNode("l", "left", { x: 0, y: 0 }), pythonNode("m", "mid", code, { x: 6000, y: 0 }), storeNode("r", "right", { x: 12000, y: 0 })]);
    const { page } = h;
    await page.locator(".react-flow.zoomed-out").waitFor();
    // From this far mid is part of the node sketch, its edges of the edge sketch.
    await h.waitFor("the edges sketched", async () => (await page.getByTestId("edge-sketch").getAttribute("data-edges").catch(() => null)) === "2");
    const mid = h.nodeByTitle("mid");
    expect(await mid.count()).toBe(0);
    // Where mid's outgoing edge starts, by React Flow's drawing of the node, and whether the edge sketch has a path from there.
    const edgeLeavesMid = async () => {
      const { x, y } = await h.flowPosition("mid");
      const size = await h.wrapperOf("mid").first().evaluate((el) => (el instanceof HTMLElement ? { width: el.offsetWidth, height: el.offsetHeight } : { width: 0, height: 0 }));
      const start = `M${x + size.width} ${y + size.height / 2}`;
      // A dragged node's edges are drawn apart while it moves (edge-sketch-moving).
      const paths = await page.locator("[data-testid^='edge-sketch'] path").evaluateAll((els) => els.map((el) => el.getAttribute("d") ?? ""));
      return { y, drawn: paths.some((d) => d.includes(start)) };
    };

    // The minimap's drawing of the nodes (one path per colour).
    const minimapNodes = () => page.locator(".react-flow__minimap-node").evaluateAll((els) => els.map((el) => el.getAttribute("d")).join(" "));
    const minimapBefore = await minimapNodes();

    // Pressed in the sketch and moved, mid is selected and drawn by React Flow as it moves.
    const grip = await h.screenPoint({ x: 6000 + 40, y: 20 });
    await page.mouse.move(grip.x, grip.y);
    await page.mouse.down();
    await page.mouse.move(grip.x, grip.y + 40, { steps: 4 });
    await page.mouse.move(grip.x, grip.y + 80, { steps: 4 });
    // Mid the drag, the edge already leaves the node where it is now (it started at y 0).
    await h.waitFor("the edge drawn from the moving node", async () => {
      const now = await edgeLeavesMid();
      return now.y > 0 && now.drawn;
    });
    // The moving edges are a drawing of their own, and on screen they meet the node where it is.
    const meetsNode = await page.evaluate(() => {
      const node = document.querySelector(".react-flow__node[data-id='m']")?.getBoundingClientRect();
      const pieces = Array.from(document.querySelectorAll("[data-testid='edge-sketch-moving'] path"), (path) => path.getBoundingClientRect());
      return node !== undefined && pieces.some((box) => Math.abs(box.left - node.right) < 2 || Math.abs(box.right - node.left) < 2);
    });
    expect(meetsNode).toBe(true);
    // left is written by no node: its edge to mid has a warning, and moves with mid too, in its colour.
    expect(await page.locator("[data-testid='edge-sketch-moving'] path.warned").count()).toBeGreaterThan(0);
    expect(await page.locator("[data-testid='edge-sketch'] path.warned").count()).toBe(0);
    await h.shot("canvas-far-drag");
    // The minimap shows mid where it was until the drop (it is not redrawn every frame), then where it went.
    expect(await minimapNodes()).toBe(minimapBefore);
    await page.mouse.up();
    await h.waitFor("the edge drawn from where the node was dropped", async () => {
      const after = await edgeLeavesMid();
      return after.y > 100 && after.drawn;
    });
    await h.waitFor("the minimap showing mid where it was dropped", async () => (await minimapNodes()) !== minimapBefore);
    await h.waitFor("the moving drawing gone", async () => (await page.getByTestId("edge-sketch-moving").count()) === 0);
    // Dragged, mid is selected: its ports are drawn.
    await h.waitFor("the selected node's ports drawn", () => mid.locator(".react-flow__handle").first().isVisible());
  });

  it("zoomed far out, a node dragged to the canvas's edge stays drawn while the view pans after it", async () => {
    const stores = Array.from({ length: 24 }, (_, i) => storeNode(`t${i}`, `t${i}`, { x: i * 700, y: 0 }));
    await h.openNewGraph("Far edge", stores);
    const { page } = h;
    await page.locator(".react-flow.zoomed-out").waitFor();
    await h.waitFor("the tables sketched", async () => (await h.sketchedNodes()) === 24);
    const node = h.nodeByTitle("t12");
    const start = { x: 12 * 700, y: 0 };
    const pane = await page.locator(".react-flow__pane").boundingBox();
    if (!pane) throw new Error("no pane box");
    // Grabbed in the node sketch: React Flow draws it from the first move.
    const grip = await h.screenPoint({ x: start.x + 40, y: 20 });
    // Held at the right edge, React Flow pans the view after the node; each time the view
    // stops moving the canvas works out again which nodes are in view.
    await page.mouse.move(grip.x, grip.y);
    await page.mouse.down();
    await page.mouse.move(pane.x + pane.width - 5, grip.y, { steps: 10 });
    await h.waitFor("the view to pan after the node", async () => (await h.flowPosition("t12")).x > start.x + 3000);
    await page.waitForTimeout(600);
    expect(await node.isVisible()).toBe(true);
    await page.mouse.up();
    await h.waitFor("the node dropped far right", async () => (await h.flowPosition("t12")).x > start.x + 3000 && (await node.isVisible()));
  });

  it("warns on the canvas, and creates a store by dragging an output port onto empty canvas", async () => {
    const graphId = await h.openNewGraph("Warnings", [
      ...pipeline(),
      pythonNode("backfill", "backfill", 'from patterns import Table\nTable("orders", "w")\n', { x: 520, y: 300 }),
      storeNode("lonely", "lonely", { x: 300, y: 420 }),
    ]);
    const { page } = h;
    await h.nodeByTitle("report").waitFor();

    // report's output "summary" goes nowhere; two nodes write the table orders.
    const reportWarning = h.nodeByTitle("report").getByTestId("node-warning");
    await reportWarning.waitFor();
    expect(await reportWarning.getAttribute("title")).toContain('Output "summary" of "report" is connected to no store');
    const ordersWarning = h.nodeByTitle("orders").getByTestId("node-warning");
    expect(await ordersWarning.getAttribute("title")).toContain('written by "loader" and "backfill"');
    expect(await h.nodeByTitle("lonely").getByTestId("node-warning").getAttribute("title")).toContain('No node writes to the table "lonely"');
    expect(await page.locator(".react-flow__edge.edge-warning").count()).toBe(2);
    expect(await page.getByTestId("edge-warning").count()).toBe(2);
    await h.shot("canvas-3-warnings");

    // Drag from the unbound output to empty canvas: the offer creates the table "summary".
    const out = h.nodeByTitle("report").locator('[data-testid="port-out-summary"] .react-flow__handle');
    const from = await h.center(out);
    await h.dragMouse(from, { x: from.x + 160, y: from.y + 140 });
    await page.getByTestId("store-offer").waitFor();
    await page.getByTestId("store-offer-create").click();
    await h.waitFor("the table summary with its edge", async () => (await h.nodeByTitle("summary").count()) === 1 && (await h.edges().count()) === 4);
    await h.waitFor("report's warning gone", async () => (await reportWarning.count()) === 0);
    await h.waitUntilSaved();
    const saved = await h.savedDocument(graphId);
    const summary = saved.nodes.find((n) => n.title === "summary");
    expect(summary?.kind).toBe("table");
    expect(saved.nodes.find((n) => n.id === "report")?.outputs).toEqual({ summary: summary?.id });

    // A cycle: report now also writes what loader reads, and loader reads it.
    await h.nodeByTitle("loader").locator('[data-testid="node-title"]').click();
    await h.editor().locator(".monaco-editor").waitFor({ timeout: 30_000 });
    await h.editor().locator(".view-lines").click();
    await page.keyboard.press("Control+End");
    await page.keyboard.insertText('\nTable("summary")\n');
    await h.waitFor("the cycle warning on loader", async () => ((await h.nodeByTitle("loader").getByTestId("node-warning").getAttribute("data-codes").catch(() => "")) ?? "").includes("cycle"));
    await h.shot("canvas-4-cycle");
  });
});
