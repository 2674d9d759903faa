import { describe, expect, it } from "vitest";
import { applyGraphChange, applyGraphChanges, emptyDocument, GraphError, graphChangeSchema, resolveAllPorts, type GraphNode } from "../src/index.ts";

const python = (id: string, code: string): GraphNode => ({ id, kind: "python", title: id, position: { x: 0, y: 0 }, code, inputs: {}, outputs: {}, parameterValues: {}, runtime: "server" });
const table = (id: string, title = id): GraphNode => ({ id, kind: "table", title, position: { x: 100, y: 0 }, code: "", inputs: {}, outputs: {}, parameterValues: {}, runtime: "server" });

describe("applyGraphChange", () => {
  it("adds, moves, updates and removes nodes without touching the input", () => {
    const empty = emptyDocument();
    const one = applyGraphChange(empty, { type: "addNode", node: python("a", "") });
    expect(empty.nodes).toHaveLength(0);
    const moved = applyGraphChange(one, { type: "moveNode", id: "a", position: { x: 5, y: 6 } });
    expect(moved.nodes[0]?.position).toEqual({ x: 5, y: 6 });
    const renamed = applyGraphChange(moved, { type: "updateNode", id: "a", patch: { title: "loader", code: "print(1)" } });
    expect(renamed.nodes[0]).toMatchObject({ title: "loader", code: "print(1)" });
    expect(applyGraphChange(renamed, { type: "removeNode", id: "a" }).nodes).toHaveLength(0);
  });

  it("binds a port explicitly, and removing the store unbinds it", () => {
    let doc = applyGraphChanges(emptyDocument(), [
      { type: "addNode", node: python("w", 'from patterns import Table\nt = Table("out", "w")') },
      { type: "addNode", node: table("s1", "scores") },
      { type: "bindPort", nodeId: "w", direction: "output", port: "out", storeId: "s1" },
    ]);
    expect(resolveAllPorts(doc)).toMatchObject([{ name: "out", direction: "output", storeId: "s1", implicit: false }]);
    doc = applyGraphChange(doc, { type: "removeNode", id: "s1" });
    expect(doc.nodes[0]?.outputs).toEqual({ out: null });
    expect(resolveAllPorts(doc)[0]?.storeId).toBeNull();
  });

  it("binds a port to the store of the same name when there is no mapping", () => {
    const doc = applyGraphChanges(emptyDocument(), [
      { type: "addNode", node: python("w", 'Table("orders", "w")') },
      { type: "addNode", node: table("t", "orders") },
    ]);
    expect(resolveAllPorts(doc)).toMatchObject([{ name: "orders", storeId: "t", implicit: true }]);
  });

  it("refuses bad changes with a clear error and leaves the batch unapplied", () => {
    const doc = applyGraphChanges(emptyDocument(), [{ type: "addNode", node: table("t", "orders") }, { type: "addNode", node: table("u", "other") }]);
    expect(() => applyGraphChange(doc, { type: "moveNode", id: "nope", position: { x: 0, y: 0 } })).toThrow(/No node with id "nope"/);
    expect(() => applyGraphChange(doc, { type: "updateNode", id: "u", patch: { title: "orders" } })).toThrow(GraphError);
    expect(() => applyGraphChange(doc, { type: "bindPort", nodeId: "t", direction: "output", port: "x", storeId: "u" })).toThrow(/is a store/);
    expect(() => applyGraphChanges(doc, [{ type: "addNode", node: python("p", "") }, { type: "addNode", node: python("p", "") }])).toThrow(/already exists/);
  });

  it("validates change objects from outside", () => {
    expect(graphChangeSchema.safeParse({ type: "moveNode", id: "a", position: { x: 1, y: 2 } }).success).toBe(true);
    expect(graphChangeSchema.safeParse({ type: "moveNode", id: "a", position: { x: "1", y: 2 } }).success).toBe(false);
    expect(graphChangeSchema.safeParse({ type: "dropTable", id: "a" }).success).toBe(false);
  });

  it("keeps a validated patch to the fields it names (no defaults that would wipe the code)", () => {
    const parsed = graphChangeSchema.parse({ type: "updateNode", id: "p", patch: { runtime: "browser" } });
    expect(parsed).toEqual({ type: "updateNode", id: "p", patch: { runtime: "browser" } });
    const doc = applyGraphChanges(emptyDocument(), [{ type: "addNode", node: python("p", "print(1)") }]);
    const renamed = applyGraphChanges(doc, [graphChangeSchema.parse({ type: "updateNode", id: "p", patch: { title: "q" } })]);
    expect(renamed.nodes[0]).toMatchObject({ title: "q", code: "print(1)", runtime: "server" });
  });
});

describe("changeAffectsTriggers", () => {
  it("is true only for changes that can touch a schedule or a webhook", async () => {
    const { changeAffectsTriggers } = await import("../src/index.ts");
    expect(changeAffectsTriggers({ type: "updateNode", id: "p", patch: { code: "print(1)" } })).toBe(false);
    expect(changeAffectsTriggers({ type: "moveNode", id: "p", position: { x: 1, y: 1 } })).toBe(false);
    expect(changeAffectsTriggers({ type: "updateNode", id: "p", patch: { trigger: "" } })).toBe(true);
    expect(changeAffectsTriggers({ type: "addNode", node: table("t") })).toBe(false);
    expect(changeAffectsTriggers({ type: "addNode", node: { ...table("w"), kind: "webhook" } })).toBe(true);
    expect(changeAffectsTriggers({ type: "removeNode", id: "p" })).toBe(true);
  });
});
