import { describe, expect, it } from "vitest";
import { applyAndInvert, applyGraphChange, applyGraphChanges, emptyDocument, invertGraphChange, type GraphChange, type GraphDocument, type GraphNode } from "../src/index.ts";

const python = (id: string, code: string): GraphNode => ({ id, kind: "python", title: id, position: { x: 0, y: 0 }, code, inputs: {}, outputs: {}, parameterValues: {}, runtime: "server" });
const table = (id: string, title = id): GraphNode => ({ id, kind: "table", title, position: { x: 100, y: 0 }, code: "", inputs: {}, outputs: {}, parameterValues: {}, runtime: "server" });

const start: GraphDocument = applyGraphChanges(emptyDocument(), [
  { type: "addNode", node: python("w", 'from patterns import Table\nt = Table("out", "w")\nr = Table("in")') },
  { type: "addNode", node: table("s1", "scores") },
  { type: "addNode", node: table("s2", "in") },
  { type: "addNode", node: { ...python("p", "x = 1"), parameterValues: { limit: 3 }, trigger: "*/5 * * * *" } },
  { type: "bindPort", nodeId: "w", direction: "output", port: "out", storeId: "s1" },
  { type: "bindPort", nodeId: "w", direction: "input", port: "gone", storeId: null },
]);

/** Applying a change and then its inverse gives back the document it started from. */
function roundTrip(doc: GraphDocument, change: GraphChange): GraphDocument {
  const inverse = invertGraphChange(doc, change);
  return applyGraphChanges(applyGraphChange(doc, change), inverse);
}

describe("invertGraphChange", () => {
  const cases: [string, GraphChange][] = [
    ["adding a node", { type: "addNode", node: table("s3", "extra") }],
    ["removing a store other nodes are bound to", { type: "removeNode", id: "s1" }],
    ["removing a node in the middle of the list", { type: "removeNode", id: "s2" }],
    ["moving a node", { type: "moveNode", id: "w", position: { x: 40, y: -20 } }],
    ["renaming and editing code", { type: "updateNode", id: "w", patch: { title: "writer", code: "print(1)" } }],
    ["editing parameter values", { type: "updateNode", id: "p", patch: { parameterValues: { limit: 10, name: "x" } } }],
    ["changing a schedule", { type: "updateNode", id: "p", patch: { trigger: "0 * * * *" } }],
    ["binding an explicitly bound port elsewhere", { type: "bindPort", nodeId: "w", direction: "output", port: "out", storeId: "s2" }],
    ["binding a port that was bound by name", { type: "bindPort", nodeId: "w", direction: "input", port: "in", storeId: "s1" }],
    ["unbinding a port", { type: "bindPort", nodeId: "w", direction: "output", port: "out", storeId: null }],
    ["unsetting a mapping", { type: "unsetBinding", nodeId: "w", direction: "input", port: "gone" }],
    ["unsetting a mapping that is not there", { type: "unsetBinding", nodeId: "w", direction: "input", port: "never" }],
  ];
  it.each(cases)("undoes %s exactly", (_name, change) => {
    expect(roundTrip(start, change)).toEqual(start);
  });

  it("puts a removed node back at its place and rebinds the ports that pointed at it", () => {
    const inverse = invertGraphChange(start, { type: "removeNode", id: "s1" });
    expect(inverse).toEqual([
      { type: "addNode", node: start.nodes[1], index: 1 },
      { type: "bindPort", nodeId: "w", direction: "output", port: "out", storeId: "s1" },
    ]);
  });

  it("clears a schedule that was added, since JSON cannot carry an unset key", () => {
    const added = { type: "updateNode", id: "w", patch: { trigger: "0 * * * *" } } as const;
    expect(invertGraphChange(start, added)).toEqual([{ type: "updateNode", id: "w", patch: { trigger: "" } }]);
  });

  it("refuses a change to a node that is not there, like applyGraphChange", () => {
    expect(() => invertGraphChange(start, { type: "moveNode", id: "nope", position: { x: 0, y: 0 } })).toThrow(/No node with id "nope"/);
  });
});

describe("applyAndInvert", () => {
  it("inverts a whole batch, last change first", () => {
    const batch: GraphChange[] = [
      { type: "addNode", node: table("s3", "extra") },
      { type: "bindPort", nodeId: "w", direction: "output", port: "out", storeId: "s3" },
      { type: "removeNode", id: "s1" },
      { type: "moveNode", id: "w", position: { x: 1, y: 2 } },
      { type: "updateNode", id: "s3", patch: { title: "scores" } },
    ];
    const { document, inverse } = applyAndInvert(start, batch);
    expect(document).toEqual(applyGraphChanges(start, batch));
    expect(applyGraphChanges(document, inverse)).toEqual(start);
  });
});
