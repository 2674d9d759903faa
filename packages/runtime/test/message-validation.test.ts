import { describe, expect, it } from "vitest";
import { parseBridgeRequest } from "../src/bridge-request.ts";
import { BridgeError } from "../src/protocol.ts";
import { parseWorkerMessage } from "../src/server/worker-messages.ts";

describe("parseBridgeRequest", () => {
  it("accepts well-formed requests", () => {
    expect(parseBridgeRequest({ op: "readTable", port: "a", offset: 0, limit: 10 })).toEqual({ op: "readTable", port: "a", offset: 0, limit: 10 });
    const commit = {
      op: "commit",
      writes: [
        { op: "init", port: "a", schema: [{ name: "id", type: "bigint" }], uniqueOn: ["id"], addMonotonicId: "patterns_id" },
        { op: "upsert", port: "a", records: [{ id: 1, tags: ["x"] }], uniqueOn: ["id"] },
        { op: "reset", port: "a" },
      ],
      cursors: [{ port: "s", position: "01J" }],
      state: { n: 1 },
    };
    expect(parseBridgeRequest(commit)).toEqual({ ...commit, final: false });
  });

  it("refuses malformed requests with a BridgeError", () => {
    const bad: unknown[] = [
      null,
      { op: "dropDatabase" },
      { op: "readTable", port: "a", offset: -1, limit: 10 },
      { op: "readStream", port: "a", after: 5, limit: 10 },
      { op: "commit", writes: [{ op: "append", port: "a", records: [1] }], cursors: [], state: null },
      { op: "commit", writes: [{ op: "init", port: "a", schema: [{ name: "x", type: "money" }], uniqueOn: null, addMonotonicId: null }], cursors: [], state: null },
      { op: "commit", writes: [], cursors: [{ port: "s" }], state: null },
      { op: "commit", writes: [], cursors: [], state: { n: Number.NaN } },
    ];
    for (const value of bad) expect(() => parseBridgeRequest(value), JSON.stringify(value)).toThrow(BridgeError);
  });
});

describe("parseWorkerMessage", () => {
  it("accepts the known messages and nothing else", () => {
    expect(parseWorkerMessage({ type: "ready" })).toEqual({ type: "ready" });
    expect(parseWorkerMessage({ type: "log", entry: { level: "info", message: "hi", time: 1 } })).toEqual({
      type: "log",
      entry: { level: "info", message: "hi", time: 1 },
    });
    expect(parseWorkerMessage({ type: "log", entry: { level: "shout", message: "hi" } })).toBeNull();
    expect(parseWorkerMessage({ type: "bridge", id: "1", request: {} })).toBeNull();
    expect(parseWorkerMessage({ type: "done", result: { status: "succeeded" } })).toBeNull();
    expect(parseWorkerMessage({ type: "exec", code: "x" })).toBeNull();
    const done = parseWorkerMessage({
      type: "done",
      result: { status: "failed", error: "e", recordsRead: 1, recordsWritten: 0, durationMs: 5, logs: [{ forged: true }], responses: [{ requestKey: 1 }] },
    });
    expect(done).toEqual({
      type: "done",
      result: { status: "failed", error: "e", recordsRead: 1, recordsWritten: 0, durationMs: 5, logs: [], newRunRequest: null, responses: [] },
      retire: null,
    });
  });

  it("accepts package requests of plain import names only", () => {
    expect(parseWorkerMessage({ type: "packages", id: 3, imports: ["numpy", "my_pkg"] })).toEqual({ type: "packages", id: 3, imports: ["numpy", "my_pkg"] });
    expect(parseWorkerMessage({ type: "packages", id: 3, imports: ["../etc"] })).toBeNull();
    expect(parseWorkerMessage({ type: "packages", id: 3, imports: ["a b"] })).toBeNull();
    expect(parseWorkerMessage({ type: "packages", id: 3, imports: Array.from({ length: 65 }, (_, i) => `m${i}`) })).toBeNull();
  });
});
