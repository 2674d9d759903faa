import { describe, expect, it } from "vitest";
import { markHidden, nodesSketched, viewRect } from "./culled-nodes.ts";
import type { FlowNode } from "./flow-mapping.ts";
import { expectedNodeSize } from "./canvas-drawing.tsx";

function store(id: string, x: number, y: number, measured?: { width: number; height: number }): FlowNode {
  return { id, type: "store", position: { x, y }, data: { kind: "table", title: id }, ...(measured ? { measured } : {}) };
}

const selected = (node: FlowNode): FlowNode => ({ ...node, selected: true });

describe("viewRect", () => {
  it("is the part of the graph in view, in flow coordinates", () => {
    // Panned by (-100, 50) at zoom 0.5 on an 800 × 600 canvas.
    expect(viewRect([-100, 50, 0.5], 800, 600)).toEqual({ left: 200, top: -100, right: 1800, bottom: 1100 });
  });
});

describe("nodesSketched", () => {
  const view = { left: 0, top: 0, right: 1000, bottom: 500 };

  it("leaves to the sketch the selected nodes entirely out of view, by their measured size", () => {
    const nodes = [
      store("in", 100, 100, { width: 150, height: 40 }),
      store("left-edge", -140, 100, { width: 150, height: 40 }),
      store("left", -200, 100, { width: 150, height: 40 }),
      store("below", 100, 501, { width: 150, height: 40 }),
      store("right", 1001, 0, { width: 150, height: 40 }),
      store("above-edge", 100, -39, { width: 150, height: 40 }),
    ].map(selected);
    expect([...nodesSketched(nodes, view)].sort()).toEqual(["below", "left", "right"]);
  });

  it("takes nodes never measured at the size their kind is drawn at", () => {
    // A table, 140 wide (expectedNodeSize): from -100 it reaches into view, from -150 not.
    expect(nodesSketched([selected(store("unmeasured", -100, 0))], view).size).toBe(0);
    expect(nodesSketched([selected(store("unmeasured", -150, 0))], view).size).toBe(1);
  });

  it("leaves to the sketch the nodes in view that are neither selected nor a picture", () => {
    const chart: FlowNode = { id: "chart", type: "note", position: { x: 0, y: 0 }, data: { kind: "chart", title: "c", code: "{}" } };
    const note: FlowNode = { id: "note", type: "note", position: { x: 0, y: 0 }, data: { kind: "markdown", title: "n", code: "# n" } };
    const webhook: FlowNode = { id: "hook", type: "note", position: { x: 0, y: 0 }, data: { kind: "webhook", title: "h", code: "" } };
    const nodes = [store("plain", 100, 100), selected(store("picked", 300, 100)), chart, note, webhook, { ...chart, id: "far chart", position: { x: 5000, y: 0 } }];
    expect([...nodesSketched(nodes, view)].sort()).toEqual(["far chart", "hook", "plain"]);
  });
});

describe("markHidden", () => {
  it("hides the nodes outside, keeping each node's hidden copy while the node is the same", () => {
    const a = store("a", 0, 0);
    const b = store("b", 2000, 0);
    const copies = new WeakMap<FlowNode, FlowNode>();
    const first = markHidden([a, b], new Set(["b"]), copies);
    expect(first[0]).toBe(a);
    // Never measured: the size the sketch draws it at, for fit view.
    expect(first[1]).toEqual({ ...b, hidden: true, initialWidth: expectedNodeSize(b.data).width, initialHeight: expectedNodeSize(b.data).height });
    expect(b.hidden).toBeUndefined();
    // The same node again: the same copy, so React Flow sees no change.
    expect(markHidden([a, b], new Set(["b"]), copies)[1]).toBe(first[1]);
    // A changed node: a new copy.
    const moved = { ...b, position: { x: 2100, y: 0 } };
    const second = markHidden([a, moved], new Set(["b"]), copies);
    expect(second[1]).not.toBe(first[1]);
    expect(second[1]?.position).toEqual({ x: 2100, y: 0 });
    // Measured: the size React Flow measured.
    const measured = { ...b, measured: { width: 240, height: 130 } };
    expect(markHidden([measured], new Set(["b"]), copies)[0]).toMatchObject({ hidden: true, initialWidth: 240, initialHeight: 130 });
  });

  it("gives the nodes themselves when none is outside", () => {
    const nodes = [store("a", 0, 0)];
    expect(markHidden(nodes, new Set(), new WeakMap())).toBe(nodes);
  });
});
