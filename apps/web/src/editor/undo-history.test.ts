import { describe, expect, it } from "vitest";
import type { GraphChange } from "@patchbay/graph";
import { MERGE_WINDOW_MS, UndoHistory } from "./undo-history.ts";

const code = (text: string): GraphChange => ({ type: "updateNode", id: "n", patch: { code: text } });
const move = (x: number): GraphChange => ({ type: "moveNode", id: "n", position: { x, y: 0 } });

describe("UndoHistory", () => {
  it("merges a burst of typing into one step that goes back to before the burst", () => {
    const history = new UndoHistory();
    history.record({ changes: [code("a")], inverse: [code("")], mergeKey: "code:n", at: 0 });
    history.record({ changes: [code("ab")], inverse: [code("a")], mergeKey: "code:n", at: 300 });
    history.record({ changes: [code("abc")], inverse: [code("ab")], mergeKey: "code:n", at: 600 });
    const step = history.popUndo();
    expect(step?.changes).toEqual([code("abc")]);
    expect(step?.inverse).toEqual([code("")]);
    expect(history.canUndo).toBe(false);
  });

  it("starts a new step after a pause, after seal(), or for another key", () => {
    const history = new UndoHistory();
    history.record({ changes: [code("a")], inverse: [code("")], mergeKey: "code:n", at: 0 });
    history.record({ changes: [code("ab")], inverse: [code("a")], mergeKey: "code:n", at: MERGE_WINDOW_MS + 1 });
    history.seal();
    history.record({ changes: [code("abc")], inverse: [code("ab")], mergeKey: "code:n", at: MERGE_WINDOW_MS + 2 });
    history.record({ changes: [move(5)], inverse: [move(0)], at: MERGE_WINDOW_MS + 3 });
    let steps = 0;
    while (history.popUndo()) steps++;
    expect(steps).toBe(4);
  });

  it("drops a burst that ends where it began, and clears redo on a new step", () => {
    const history = new UndoHistory();
    history.record({ changes: [move(5)], inverse: [move(0)], at: 0 });
    history.record({ changes: [code("z")], inverse: [code("")], mergeKey: "code:n", at: 10 });
    history.record({ changes: [code("")], inverse: [code("z")], mergeKey: "code:n", at: 20 });
    const step = history.popUndo();
    expect(step?.changes).toEqual([move(5)]);
    if (step) history.undone(step);
    expect(history.canRedo).toBe(true);
    history.record({ changes: [move(9)], inverse: [move(0)], at: 30 });
    expect(history.canRedo).toBe(false);
  });
});
