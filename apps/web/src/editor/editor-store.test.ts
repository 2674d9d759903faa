import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { applyGraphChanges, emptyDocument, type GraphChange, type GraphNode } from "@patchbay/graph";
import { applyChanges, editCode, PORT_REFRESH_MS, redo, undo, unloadGraph, useEditorStore } from "./editor-store.ts";
import { buildFlowNodes } from "./flow-mapping.ts";

const python = (id: string, code: string): GraphNode => ({ id, kind: "python", title: id, position: { x: 0, y: 0 }, code, inputs: {}, outputs: {}, parameterValues: {}, runtime: "server" });
const table = (id: string): GraphNode => ({ id, kind: "table", title: id, position: { x: 300, y: 0 }, code: "", inputs: {}, outputs: {}, parameterValues: {}, runtime: "server" });

/** Opens a document in the store without a server (no autosaver: nothing is sent). */
function open(...nodes: GraphNode[]) {
  const document = applyGraphChanges(emptyDocument(), nodes.map((node): GraphChange => ({ type: "addNode", node })));
  useEditorStore.setState({ graphId: "g", document, flowNodes: buildFlowNodes(document, []) });
}

const state = () => useEditorStore.getState();
const outputs = (id: string) => {
  const node = state().flowNodes.find((n) => n.id === id);
  return node?.type === "function" ? node.data.outputs.map((p) => p.name) : [];
};

describe("editor store", () => {
  beforeEach(() => unloadGraph());
  afterEach(() => vi.useRealTimers());

  it("undoes and redoes a batch as one step, and never records the replays", () => {
    open(python("a", ""), table("t"));
    applyChanges([{ type: "moveNode", id: "a", position: { x: 5, y: 5 } }, { type: "moveNode", id: "t", position: { x: 9, y: 9 } }]);
    applyChanges([{ type: "removeNode", id: "t" }]);
    undo();
    expect(state().document?.nodes.map((n) => n.id)).toEqual(["a", "t"]);
    undo();
    expect(state().document?.nodes.map((n) => n.position)).toEqual([{ x: 0, y: 0 }, { x: 300, y: 0 }]);
    expect(state().canUndo).toBe(false);
    redo();
    redo();
    expect(state().document?.nodes.map((n) => n.id)).toEqual(["a"]);
    expect(state().canRedo).toBe(false);
    expect(state().canUndo).toBe(true);
  });

  it("redraws ports after a pause in typing, keeping the last ports that parsed while the code is broken", () => {
    vi.useFakeTimers();
    open(python("a", 'Table("one", "w")'));
    expect(outputs("a")).toEqual(["one"]);
    editCode("a", 'Table("two", "w")');
    expect(outputs("a")).toEqual(["one"]);
    vi.advanceTimersByTime(PORT_REFRESH_MS);
    expect(outputs("a")).toEqual(["two"]);

    editCode("a", 'Table("two", "w")\nx = "unclosed');
    vi.advanceTimersByTime(PORT_REFRESH_MS);
    const node = state().flowNodes.find((n) => n.id === "a");
    expect(outputs("a")).toEqual(["two"]);
    expect(node?.type === "function" ? node.data.syntaxError?.line : null).toBe(2);

    // Undo is not typing: its code is drawn at once, and the whole burst goes in one step.
    undo();
    expect(state().document?.nodes[0]?.code).toBe('Table("one", "w")');
    expect(outputs("a")).toEqual(["one"]);
  });

  it("refuses edits while a version is being viewed", () => {
    open(table("t"));
    const doc = state().document;
    if (!doc) throw new Error("no document");
    useEditorStore.setState({ viewing: { id: "v", message: "old", createdAt: "", document: doc } });
    expect(applyChanges([{ type: "removeNode", id: "t" }])).toBe(false);
    expect(state().notice).toContain("read-only");
  });
});
