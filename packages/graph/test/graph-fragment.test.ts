import { describe, expect, it } from "vitest";
import { applyGraphChanges, copyGraphFragment, emptyDocument, parseGraphFragment, pasteGraphFragment, resolveAllPorts, type GraphChange, type GraphNode } from "../src/index.ts";

const python = (id: string, code: string): GraphNode => ({ id, kind: "python", title: id, position: { x: 10, y: 20 }, code, inputs: {}, outputs: {}, parameterValues: { n: 1 }, runtime: "server" });
const table = (id: string, title = id, x = 300): GraphNode => ({ id, kind: "table", title, position: { x, y: 0 }, code: "", inputs: {}, outputs: {}, parameterValues: {}, runtime: "server" });
const add = (node: GraphNode): GraphChange => ({ type: "addNode", node });

const source = applyGraphChanges(emptyDocument(), [
  add(python("w", 'Table("orders", "w")\nTable("lookup")')),
  add(table("t", "orders")),
  add(table("l", "lookup")),
  { type: "bindPort", nodeId: "w", direction: "input", port: "other", storeId: "l" },
]);
let counter = 0;
const newId = (node: GraphNode) => `${node.kind}_new${counter++}`;

describe("graph fragments", () => {
  it("round-trips through clipboard text and refuses anything else", () => {
    const fragment = copyGraphFragment(source, ["w", "t"]);
    expect(fragment).not.toBeNull();
    expect(parseGraphFragment(JSON.stringify(fragment))).toEqual(fragment);
    expect(parseGraphFragment("hello")).toBeNull();
    expect(parseGraphFragment(JSON.stringify({ format: "patchbay/nodes", version: 1, nodes: [{ id: "x" }] }))).toBeNull();
    expect(copyGraphFragment(source, [])).toBeNull();
  });

  it("pastes into the same graph with new ids, a free store name and the copy bound to the copy", () => {
    const fragment = copyGraphFragment(source, ["w", "t"]);
    if (!fragment) throw new Error("no fragment");
    const { changes, nodeIds } = pasteGraphFragment(source, fragment, newId);
    const pasted = applyGraphChanges(source, changes);
    expect(pasted.nodes).toHaveLength(5);
    const [writer, store] = nodeIds.map((id) => pasted.nodes.find((n) => n.id === id));
    expect(store?.title).toBe("orders_2");
    expect(writer?.position).toEqual({ x: 50, y: 60 });
    expect(writer?.parameterValues).toEqual({ n: 1 });
    const ports = resolveAllPorts(pasted).filter((p) => p.nodeId === writer?.id);
    expect(ports.find((p) => p.name === "orders")?.storeId).toBe(store?.id);
    // A store outside the copy that this graph has stays bound.
    expect(writer?.inputs["other"]).toBe("l");
  });

  it("pastes into another graph at a given place, dropping bindings to stores it does not have", () => {
    const fragment = copyGraphFragment(source, ["w"]);
    if (!fragment) throw new Error("no fragment");
    const other = applyGraphChanges(emptyDocument(), [add(table("x", "lookup"))]);
    const { changes } = pasteGraphFragment(other, fragment, newId, { x: 500, y: 500 });
    const pasted = applyGraphChanges(other, changes);
    const writer = pasted.nodes[1];
    expect(writer?.position).toEqual({ x: 500, y: 500 });
    expect(writer?.inputs).toEqual({});
    // "lookup" binds by name to this graph's own store.
    expect(resolveAllPorts(pasted).find((p) => p.name === "lookup")?.storeId).toBe("x");
  });
});
