import { describe, expect, it } from "vitest";
import { parseWorkerMessage } from "./worker-protocol.ts";

// Node code in the worker can post anything: the page checks each message it gets.
describe("parseWorkerMessage", () => {
  it("cuts a log message as long as the server refuses, as the server cuts it", () => {
    const parsed = parseWorkerMessage({ type: "log", entry: { level: "info", message: "x".repeat(100_000), time: 1 } });
    expect(parsed?.type).toBe("log");
    if (parsed?.type !== "log") return;
    expect(parsed.entry.message.length).toBeLessThan(16_100);
    expect(parsed.entry.message.endsWith("… (cut)")).toBe(true);
    expect(parsed.entry.time).toBe(1);
  });

  it("refuses a log entry of the wrong shape", () => {
    expect(parseWorkerMessage({ type: "log", entry: { level: "loud", message: "hi", time: 1 } })).toBeNull();
    expect(parseWorkerMessage({ type: "log", entry: { level: "info", message: 42, time: 1 } })).toBeNull();
    expect(parseWorkerMessage({ type: "log" })).toBeNull();
  });
});
