import { describe, expect, it } from "vitest";
import { getSmoothStepPath, Position } from "@xyflow/react";
import { onlyDraggedNodesChanged, sketchArea, SketchPathGroups } from "./canvas-drawing.tsx";
import { pathPieces } from "./edge-sketch.tsx";
import type { FlowNode } from "./flow-mapping.ts";

function store(id: string, x: number, dragging?: boolean): FlowNode {
  return { id, type: "store", position: { x, y: 0 }, data: { kind: "table", title: id }, ...(dragging === undefined ? {} : { dragging }) };
}

describe("pathPieces", () => {
  it("cuts a smooth-step edge into its lines and corners, each starting where the last ended", () => {
    const [d] = getSmoothStepPath({ sourceX: 0, sourceY: 0, sourcePosition: Position.Right, targetX: 3000, targetY: 1200, targetPosition: Position.Left });
    expect(d).toBe("M0 0L 1495,0Q 1500,0 1500,5L 1500,1195Q 1500,1200 1505,1200L3000 1200");
    // Across, a corner, down, a corner, across; each piece filed under the area it starts in.
    expect(pathPieces(d)).toEqual([
      { d: "M0 0L 1495,0", area: sketchArea(0, 0) },
      { d: "M1495 0Q 1500,0 1500,5", area: sketchArea(1495, 0) },
      { d: "M1500 5L 1500,1195", area: sketchArea(1500, 5) },
      { d: "M1500 1195Q 1500,1200 1505,1200", area: sketchArea(1500, 1195) },
      { d: "M1505 1200L3000 1200", area: sketchArea(1505, 1200) },
    ]);
    // Areas are 500 flow pixels a side.
    expect(new Set(pathPieces(d).map((piece) => piece.area))).toEqual(new Set(["0,0", "2,0", "3,0", "3,2"]));
  });

  it("has nothing for an empty path", () => {
    expect(pathPieces("")).toEqual([]);
  });
});

describe("onlyDraggedNodesChanged", () => {
  const a = store("a", 0);
  const b = store("b", 100, true);

  it("is true when the only nodes that changed were being dragged before and after", () => {
    expect(onlyDraggedNodesChanged([a, b], [a, store("b", 120, true)])).toBe(true);
    expect(onlyDraggedNodesChanged([a, b], [a, b])).toBe(true);
  });

  it("is false when a drag starts or ends, another node changed, or nodes came or went", () => {
    expect(onlyDraggedNodesChanged([a, store("b", 100)], [a, b])).toBe(false);
    expect(onlyDraggedNodesChanged([a, b], [a, store("b", 120, false)])).toBe(false);
    expect(onlyDraggedNodesChanged([a, b], [store("a", 5), store("b", 120, true)])).toBe(false);
    expect(onlyDraggedNodesChanged([a, b], [a])).toBe(false);
    expect(onlyDraggedNodesChanged([a, b], [b, a])).toBe(false);
  });
});

describe("SketchPathGroups", () => {
  it("joins the path data added under each key, in the order keys first came", () => {
    const groups = new SketchPathGroups();
    groups.add("a", "body", "M0 0h1");
    groups.add("b", "title", "M5 5h2");
    groups.add("a", "body", "M9 9h3");
    expect(groups.paths()).toEqual([
      { key: "a", className: "body", d: "M0 0h1M9 9h3" },
      { key: "b", className: "title", d: "M5 5h2" },
    ]);
  });
});
