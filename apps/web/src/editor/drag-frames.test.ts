import { describe, expect, it } from "vitest";
import type { NodeChange } from "@xyflow/react";
import { isDragFrame, withDragPositions } from "./drag-frames.ts";
import type { FlowNode } from "./flow-mapping.ts";

function store(id: string, x: number): FlowNode {
  return { id, type: "store", position: { x, y: 0 }, data: { kind: "table", title: id } };
}

describe("isDragFrame", () => {
  it("is true for positions of nodes still being dragged", () => {
    const changes: NodeChange<FlowNode>[] = [
      { id: "a", type: "position", position: { x: 1, y: 2 }, dragging: true },
      { id: "b", type: "position", position: { x: 3, y: 4 }, dragging: true },
    ];
    expect(isDragFrame(changes)).toBe(true);
  });

  it("is false for the drag's last frame, other changes, a mix, or nothing", () => {
    expect(isDragFrame([{ id: "a", type: "position", position: { x: 1, y: 2 }, dragging: false }])).toBe(false);
    expect(isDragFrame([{ id: "a", type: "select", selected: true }])).toBe(false);
    expect(isDragFrame([{ id: "a", type: "position", position: { x: 1, y: 2 }, dragging: true }, { id: "b", type: "select", selected: true }])).toBe(false);
    expect(isDragFrame([{ id: "a", type: "position", dragging: true }])).toBe(false);
    expect(isDragFrame([])).toBe(false);
  });
});

describe("withDragPositions", () => {
  const nodes = [store("a", 0), store("b", 100)];

  it("puts the dragged nodes where they were dragged, and keeps the others as they are", () => {
    const shown = withDragPositions(nodes, new Map([["b", { x: 150, y: 40 }]]), new Map());
    expect(shown[0]).toBe(nodes[0]);
    expect(shown[1]).toMatchObject({ id: "b", position: { x: 150, y: 40 }, dragging: true, className: "dragging" });
    expect(shown[1]?.measured).toBeUndefined();
    expect(nodes[1]?.position).toEqual({ x: 100, y: 0 });
  });

  it("gives a dragged node the size React Flow measured it at, if the node has none yet", () => {
    const sizes = new Map([
      ["b", { measured: { width: 180, height: 40 } }],
      ["a", { measured: { width: undefined, height: undefined } }],
    ]);
    const shown = withDragPositions(nodes, new Map([["a", { x: 1, y: 1 }], ["b", { x: 150, y: 40 }]]), sizes);
    expect(shown[1]?.measured).toEqual({ width: 180, height: 40 });
    // Not measured yet: no size.
    expect(shown[0]?.measured).toBeUndefined();
  });

  it("is the same list when nothing is dragged", () => {
    expect(withDragPositions(nodes, new Map(), new Map())).toBe(nodes);
  });
});
