import { describe, expect, it } from "vitest";
import { applyGraphChanges, documentChanges, emptyDocument, type GraphChange, type GraphDocument, type GraphNode } from "../src/index.ts";

const python = (id: string, code: string): GraphNode => ({ id, kind: "python", title: id, position: { x: 0, y: 0 }, code, inputs: {}, outputs: {}, parameterValues: {}, runtime: "server" });
const table = (id: string, title = id): GraphNode => ({ id, kind: "table", title, position: { x: 100, y: 0 }, code: "", inputs: {}, outputs: {}, parameterValues: {}, runtime: "server" });
const doc = (...changes: GraphChange[]) => applyGraphChanges(emptyDocument(), changes);
const add = (node: GraphNode): GraphChange => ({ type: "addNode", node });

function expectTurnsInto(from: GraphDocument, to: GraphDocument) {
  expect(applyGraphChanges(from, documentChanges(from, to))).toEqual(to);
}

describe("documentChanges", () => {
  const version = doc(add(python("w", 'Table("out", "w")')), add(table("s1", "scores")), add(table("s2", "other")), { type: "bindPort", nodeId: "w", direction: "output", port: "out", storeId: "s1" });

  it("is empty between equal documents", () => {
    expect(documentChanges(version, version)).toEqual([]);
  });

  it("brings back removed nodes at their place, with the bindings their removal cleared", () => {
    const now = applyGraphChanges(version, [{ type: "removeNode", id: "s1" }, { type: "removeNode", id: "w" }, add(python("n", "x = 1"))]);
    expectTurnsInto(now, version);
  });

  it("undoes edits, moves, renames (even swapped store names) and binding changes", () => {
    const now = applyGraphChanges(version, [
      { type: "updateNode", id: "w", patch: { code: "print(2)", title: "writer", parameterValues: { a: 1 }, trigger: "0 * * * *" } },
      { type: "moveNode", id: "s2", position: { x: 9, y: 9 } },
      { type: "updateNode", id: "s1", patch: { title: "tmp" } },
      { type: "updateNode", id: "s2", patch: { title: "scores" } },
      { type: "updateNode", id: "s1", patch: { title: "other" } },
      { type: "bindPort", nodeId: "w", direction: "output", port: "out", storeId: "s2" },
      { type: "bindPort", nodeId: "w", direction: "input", port: "in", storeId: null },
    ]);
    const changes = documentChanges(now, version);
    const restored = applyGraphChanges(now, changes);
    expect({ ...restored, nodes: restored.nodes.map((n) => ({ ...n, trigger: n.trigger || undefined })) }).toEqual({ ...version, nodes: version.nodes.map((n) => ({ ...n, trigger: undefined })) });
  });

  it("replaces a node whose kind changed", () => {
    const now = doc(add(table("w")), add(table("s1", "scores")), add(table("s2", "other")));
    expectTurnsInto(now, version);
  });

  it("carries every patchable field, the run limits and retries too", () => {
    const before = doc(add({ ...python("p", "print(1)"), timeLimitSeconds: 60, retries: { count: 1, delaySeconds: 5 } }));
    const after = doc(add({ ...python("p", "print(1)"), timeLimitSeconds: 120, retries: { count: 3, delaySeconds: 1 }, webhookMode: "respond" }));
    expectTurnsInto(before, after);
  });
});
