import { describe, expect, it } from "vitest";
import type { InternalNode } from "@xyflow/react";
import { nodeAt, nodesInBox } from "./sketch-pointer.ts";
import type { FlowNode } from "./flow-mapping.ts";

function internal(id: string, x: number, y: number, width = 100, height = 40): InternalNode<FlowNode> {
  return { id, type: "store", position: { x, y }, data: { kind: "table", title: id }, measured: { width, height }, internals: { positionAbsolute: { x, y }, z: 0, userNode: { id, type: "store", position: { x, y }, data: { kind: "table", title: id } } } };
}

describe("nodeAt", () => {
  const nodes = [internal("under", 0, 0), internal("over", 50, 20), internal("apart", 500, 0)];

  it("finds the node under a point, the last drawn where two overlap", () => {
    expect(nodeAt(nodes, { x: 10, y: 10 })?.id).toBe("under");
    expect(nodeAt(nodes, { x: 60, y: 30 })?.id).toBe("over");
    expect(nodeAt(nodes, { x: 550, y: 39 })?.id).toBe("apart");
    expect(nodeAt(nodes, { x: 300, y: 10 })).toBeUndefined();
  });

  it("takes a point just outside a node's edge as on it, within the slop", () => {
    expect(nodeAt(nodes, { x: 500 + 100 + 3, y: 10 })).toBeUndefined();
    expect(nodeAt(nodes, { x: 500 + 100 + 3, y: 10 }, 5)?.id).toBe("apart");
  });
});

describe("nodesInBox", () => {
  const nodes = [internal("a", 100, 100), internal("b", 300, 100), internal("c", 1000, 100)];

  it("picks the nodes entirely inside a box drawn on the canvas, at the view's pan and zoom", () => {
    // Zoom 0.5, panned by (20, 10): the graph's (100, 100) is at the canvas's (70, 60).
    const transform: [number, number, number] = [20, 10, 0.5];
    expect(nodesInBox(nodes, { x: 60, y: 50, width: 200, height: 50 }, transform).map((n) => n.id)).toEqual(["a", "b"]);
    // b only partly inside: not picked.
    expect(nodesInBox(nodes, { x: 60, y: 50, width: 150, height: 50 }, transform).map((n) => n.id)).toEqual(["a"]);
  });
});
