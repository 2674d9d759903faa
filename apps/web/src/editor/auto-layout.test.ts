import { describe, expect, it } from "vitest";
import { applyGraphChanges, emptyDocument, type GraphNode } from "@patchbay/graph";
import { autoLayoutChanges } from "./auto-layout.ts";

const node = (id: string, kind: GraphNode["kind"], code = ""): GraphNode => ({ id, kind, title: id, position: { x: 0, y: 0 }, code, inputs: {}, outputs: {}, parameterValues: {}, runtime: "server" });

describe("autoLayoutChanges", () => {
  it("orders writer, store and reader from left to right", () => {
    const doc = applyGraphChanges(
      emptyDocument(),
      [node("reader", "python", 'Table("raw")'), node("raw", "table"), node("writer", "python", 'Table("raw", "w")')].map((n) => ({ type: "addNode" as const, node: n })),
    );
    const laidOut = applyGraphChanges(doc, autoLayoutChanges(doc, new Map()));
    const x = (id: string) => laidOut.nodes.find((n) => n.id === id)?.position.x ?? NaN;
    expect(x("writer")).toBeLessThan(x("raw"));
    expect(x("raw")).toBeLessThan(x("reader"));
    // A second layout has nothing left to move.
    expect(autoLayoutChanges(laidOut, new Map())).toEqual([]);
  });
});
