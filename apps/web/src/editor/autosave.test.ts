import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { GraphChange } from "@patchbay/graph";
import { Autosaver, type SaveStatus } from "./autosave.ts";

const move = (id: string): GraphChange => ({ type: "moveNode", id, position: { x: 1, y: 2 } });
const code = (id: string, text: string): GraphChange => ({ type: "updateNode", id, patch: { code: text } });

describe("Autosaver", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function setup(fail = false) {
    const sent: GraphChange[][] = [];
    const statuses: SaveStatus["state"][] = [];
    const saver = new Autosaver({
      send: async (changes) => {
        if (fail) throw new Error("offline");
        sent.push(changes);
      },
      onStatus: (s) => statuses.push(s.state),
      describe: (e) => `could not save: ${e instanceof Error ? e.message : String(e)}`,
      delayMs: 400,
    });
    return { saver, sent, statuses };
  }

  it("sends only the last code edit after a pause", async () => {
    const { saver, sent } = setup();
    saver.pushDebounced("code:a", code("a", "x"));
    saver.pushDebounced("code:a", code("a", "xy"));
    await vi.advanceTimersByTimeAsync(399);
    expect(sent).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    await saver.flush();
    expect(sent).toEqual([[code("a", "xy")]]);
  });

  it("releases pending code edits before a later change, keeping the order", async () => {
    const { saver, sent } = setup();
    saver.pushDebounced("code:a", code("a", "x"));
    saver.push(move("a"));
    await saver.flush();
    expect(sent.flat()).toEqual([code("a", "x"), move("a")]);
  });

  it("sends one request at a time and batches what queued meanwhile", async () => {
    const { saver, sent, statuses } = setup();
    saver.push(move("a"));
    saver.push(move("b"));
    saver.push(move("c"));
    await saver.flush();
    expect(sent).toEqual([[move("a")], [move("b"), move("c")]]);
    expect(statuses.at(-1)).toBe("saved");
    expect(saver.hasUnsavedChanges).toBe(false);
  });

  it("keeps failed changes and reports the failure", async () => {
    const { saver, statuses } = setup(true);
    saver.push(move("a"));
    await expect(saver.flush()).rejects.toThrow("could not save: offline");
    expect(statuses.at(-1)).toBe("error");
    expect(saver.hasUnsavedChanges).toBe(true);
  });
});
