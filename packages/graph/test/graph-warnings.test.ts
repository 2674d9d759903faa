import { describe, expect, it } from "vitest";
import { applyGraphChanges, emptyDocument, graphWarnings, type GraphChange, type GraphNode } from "../src/index.ts";

const python = (id: string, code: string): GraphNode => ({ id, kind: "python", title: id, position: { x: 0, y: 0 }, code, inputs: {}, outputs: {}, parameterValues: {}, runtime: "server" });
const store = (id: string, kind: "table" | "stream" = "table"): GraphNode => ({ id, kind, title: id, position: { x: 0, y: 0 }, code: "", inputs: {}, outputs: {}, parameterValues: {}, runtime: "server" });
const doc = (...nodes: GraphNode[]) => applyGraphChanges(emptyDocument(), nodes.map((node): GraphChange => ({ type: "addNode", node })));
const codes = (d: ReturnType<typeof doc>) => graphWarnings(d).map((w) => w.code);

describe("graphWarnings", () => {
  it("has nothing to say about a well-wired pipeline", () => {
    const d = doc(python("a", 'Table("raw", "w")'), store("raw"), python("b", 'Table("raw")\nTable("out", "w")'), store("out"));
    expect(graphWarnings(d)).toEqual([]);
  });

  it("warns about ports bound to nothing, naming the port, but not about optional inputs", () => {
    const d = doc(python("a", 'Table("orders")\nTable("summary", "w")\nTable("extra", required=False)'));
    const warnings = graphWarnings(d);
    expect(warnings.map((w) => [w.code, w.ports])).toEqual([
      ["unbound_port", [{ nodeId: "a", direction: "input", port: "orders" }]],
      ["unbound_port", [{ nodeId: "a", direction: "output", port: "summary" }]],
    ]);
    expect(warnings[1]?.message).toContain('Output "summary" of "a"');
  });

  it("warns about a store nothing writes, with its readers", () => {
    const d = doc(store("orders"), python("b", 'Table("orders")'));
    const [warning] = graphWarnings(d);
    expect(warning).toMatchObject({ code: "unwritten_store", nodeIds: ["orders"], ports: [{ nodeId: "b", direction: "input", port: "orders" }] });
    expect(warning?.message).toContain('"b" will read nothing');
  });

  it("warns about two writers of one table, but not of one stream", () => {
    const d = doc(python("a", 'Table("t", "w")\nStream("s", "w")'), python("b", 'Table("t", "w")\nStream("s", "w")'), store("t"), store("s", "stream"));
    const warnings = graphWarnings(d);
    expect(warnings.map((w) => w.code)).toEqual(["multiple_writers"]);
    expect(warnings[0]?.nodeIds).toEqual(["t", "a", "b"]);
  });

  it("finds a cycle through stores, and not a node that reads what it writes", () => {
    const d = doc(python("a", 'Table("x")\nTable("y", "w")'), python("b", 'Table("y")\nTable("x", "w")'), store("x"), store("y"), python("c", 'Table("z")\nTable("z", "w")'), store("z"));
    const warnings = graphWarnings(d);
    expect(codes(d)).toEqual(["cycle"]);
    expect(warnings[0]?.nodeIds).toEqual(["a", "b"]);
    expect(warnings[0]?.ports).toHaveLength(4);
  });
});
