import { describe, expect, it } from "vitest";
import { applyGraphChange, graphWarnings, type GraphDocument, type GraphNode } from "@patchbay/graph";
import { buildFlowEdges, buildFlowNodes, connectionToChange, edgeRemovalChange, onlyMeasurementsChanged, portHandleId, STORE_SOURCE_HANDLE, STORE_TARGET_HANDLE } from "./flow-mapping.ts";

function node(partial: Partial<GraphNode> & Pick<GraphNode, "id" | "kind" | "title">): GraphNode {
  return { position: { x: 0, y: 0 }, code: "", inputs: {}, outputs: {}, parameterValues: {}, runtime: "server", ...partial };
}

const doc: GraphDocument = {
  schemaVersion: 1,
  nodes: [
    node({ id: "gen", kind: "python", title: "generate", code: 'from patterns import Table\nt = Table("orders", "w")\n' }),
    node({ id: "orders", kind: "table", title: "orders", position: { x: 300, y: 0 } }),
    node({ id: "sum", kind: "python", title: "summarise", code: 'from patterns import Table\no = Table("orders")\ns = Table("summary", "w")\n' }),
  ],
};

describe("onlyMeasurementsChanged", () => {
  it("tells sizes React Flow measured from every other change", () => {
    const shown = buildFlowNodes(doc, []);
    const measured = shown.map((n) => (n.id === "orders" ? { ...n, measured: { width: 150, height: 44 } } : n));
    expect(onlyMeasurementsChanged(shown, measured)).toBe(true);
    expect(onlyMeasurementsChanged(shown, shown)).toBe(true);
    expect(onlyMeasurementsChanged(shown, measured.map((n) => (n.id === "gen" ? { ...n, selected: true } : n)))).toBe(false);
    expect(onlyMeasurementsChanged(shown, measured.map((n) => (n.id === "gen" ? { ...n, position: { x: 5, y: 0 } } : n)))).toBe(false);
    expect(onlyMeasurementsChanged(shown, measured.slice(1))).toBe(false);
    const moved = applyGraphChange(doc, { type: "moveNode", id: "sum", position: { x: 10, y: 10 } });
    expect(onlyMeasurementsChanged(shown, buildFlowNodes(moved, measured))).toBe(false);
  });
});

describe("buildFlowNodes", () => {
  it("gives Python nodes the ports their code declares", () => {
    const nodes = buildFlowNodes(doc, []);
    const summarise = nodes.find((n) => n.id === "sum");
    expect(summarise?.type).toBe("function");
    if (summarise?.type !== "function") return;
    expect(summarise.data.inputs.map((p) => p.name)).toEqual(["orders"]);
    expect(summarise.data.outputs.map((p) => p.name)).toEqual(["summary"]);
    expect(nodes.find((n) => n.id === "orders")?.type).toBe("store");
  });

  it("keeps measurements and selection, and follows code changes", () => {
    const first = buildFlowNodes(doc, []).map((n) => (n.id === "gen" ? { ...n, selected: true, measured: { width: 200, height: 90 } } : n));
    const edited = applyGraphChange(doc, { type: "updateNode", id: "gen", patch: { code: 'a = Table("a", "w")\nb = Table("b", "w")' } });
    const next = buildFlowNodes(edited, first);
    const gen = next.find((n) => n.id === "gen");
    expect(gen?.selected).toBe(true);
    expect(gen?.measured).toEqual({ width: 200, height: 90 });
    if (gen?.type !== "function") throw new Error("expected a function node");
    expect(gen.data.outputs.map((p) => p.name)).toEqual(["a", "b"]);
  });

  it("reuses a node's data while its code is unchanged", () => {
    const first = buildFlowNodes(doc, []);
    const moved = applyGraphChange(doc, { type: "moveNode", id: "sum", position: { x: 5, y: 6 } });
    const next = buildFlowNodes(moved, first);
    expect(next[2]?.data).toBe(first[2]?.data);
    expect(next[2]?.position).toEqual({ x: 5, y: 6 });
  });
});

describe("buildFlowEdges", () => {
  it("draws writer → store → reader edges on the port handles", () => {
    const edges = buildFlowEdges(doc, []);
    expect(edges.map((e) => [e.source, e.sourceHandle, e.target, e.targetHandle])).toEqual([
      ["gen", portHandleId("output", "orders"), "orders", STORE_TARGET_HANDLE],
      ["orders", STORE_SOURCE_HANDLE, "sum", portHandleId("input", "orders")],
    ]);
    expect(edges.every((e) => e.data?.implicit)).toBe(true);
  });
});

describe("connectionToChange", () => {
  it("binds an output port dropped on a store", () => {
    const result = connectionToChange(doc, { source: "sum", sourceHandle: portHandleId("output", "summary"), target: "orders", targetHandle: STORE_TARGET_HANDLE });
    expect(result).toEqual({ change: { type: "bindPort", nodeId: "sum", direction: "output", port: "summary", storeId: "orders" } });
  });

  it("binds an input port to the store it was dragged from", () => {
    const result = connectionToChange(doc, { source: "orders", sourceHandle: STORE_SOURCE_HANDLE, target: "gen", targetHandle: portHandleId("input", "x") });
    expect(result).toEqual({ change: { type: "bindPort", nodeId: "gen", direction: "input", port: "x", storeId: "orders" } });
  });

  it("refuses node-to-node connections with a reason", () => {
    const result = connectionToChange(doc, { source: "gen", sourceHandle: portHandleId("output", "orders"), target: "sum", targetHandle: portHandleId("input", "orders") });
    expect(result).toHaveProperty("error");
  });

  it("an explicit binding replaces the implicit one and deleting it unbinds the port", () => {
    const bound = applyGraphChange(doc, { type: "bindPort", nodeId: "sum", direction: "output", port: "summary", storeId: "orders" });
    const edge = buildFlowEdges(bound, []).find((e) => e.data?.port === "summary");
    expect(edge?.data?.implicit).toBe(false);
    const change = edge ? edgeRemovalChange(edge) : null;
    expect(change).toEqual({ type: "bindPort", nodeId: "sum", direction: "output", port: "summary", storeId: null });
    const unbound = applyGraphChange(bound, change ?? { type: "removeNode", id: "none" });
    expect(buildFlowEdges(unbound, []).some((e) => e.data?.port === "summary")).toBe(false);
  });
});

describe("typing errors and warnings", () => {
  it("shows the error of code being typed on a node whose drawn code is the last that parsed", () => {
    const first = buildFlowNodes(doc, []);
    const next = buildFlowNodes(doc, first, { gen: { line: 3, message: "unterminated string" } });
    const gen = next.find((n) => n.id === "gen");
    if (gen?.type !== "function") throw new Error("expected a function node");
    expect(gen.data.outputs.map((p) => p.name)).toEqual(["orders"]);
    expect(gen.data.syntaxError).toEqual({ line: 3, message: "unterminated string" });
    const fixed = buildFlowNodes(doc, next).find((n) => n.id === "gen");
    expect(fixed?.type === "function" ? fixed.data.syntaxError : "not a function").toBeNull();
  });

  it("marks the edges a warning names", () => {
    const twoWriters = applyGraphChange(doc, { type: "updateNode", id: "sum", patch: { code: 'Table("orders", "w")' } });
    const edges = buildFlowEdges(twoWriters, [], graphWarnings(twoWriters));
    expect(edges.filter((e) => e.className?.includes("edge-warning")).map((e) => e.data?.nodeId).sort()).toEqual(["gen", "sum"]);
    expect(edges[0]?.data?.warning).toContain('written by "generate" and "summarise"');
  });
});
