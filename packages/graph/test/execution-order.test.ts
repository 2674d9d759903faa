import { describe, expect, it } from "vitest";
import { executionOrder, type GraphDocument, type GraphNode } from "../src/index.ts";

const node = (id: string, kind: GraphNode["kind"], code = ""): GraphNode => ({ id, kind, title: id, position: { x: 0, y: 0 }, code, inputs: {}, outputs: {}, parameterValues: {}, runtime: "server" });

describe("executionOrder", () => {
  const doc: GraphDocument = {
    schemaVersion: 1,
    nodes: [
      node("summarise", "python", 'Table("orders")\nTable("summary", "w")'),
      node("orders", "table"),
      node("summary", "table"),
      node("generate", "python", 'Table("orders", "w")'),
      node("report", "python", 'Table("summary")'),
      node("lonely", "python", "print(1)"),
    ],
  };

  it("runs writers before readers", () => {
    const order = executionOrder(doc, null, false);
    expect(order.indexOf("generate")).toBeLessThan(order.indexOf("summarise"));
    expect(order.indexOf("summarise")).toBeLessThan(order.indexOf("report"));
    expect(order).toContain("lonely");
  });

  it("runs one node, or it and everything downstream", () => {
    expect(executionOrder(doc, "summarise", false)).toEqual(["summarise"]);
    expect(executionOrder(doc, "generate", true)).toEqual(["generate", "summarise", "report"]);
  });

  it("refuses a cycle, naming its nodes", () => {
    const cyclic: GraphDocument = { schemaVersion: 1, nodes: [node("a", "python", 'Table("x")\nTable("y","w")'), node("b", "python", 'Table("y")\nTable("x","w")'), node("x", "table"), node("y", "table")] };
    expect(() => executionOrder(cyclic, null, false)).toThrow(/cycle.*a → b → a|cycle.*b → a → b/);
  });
});
