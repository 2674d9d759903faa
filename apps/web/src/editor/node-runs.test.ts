import { describe, expect, it } from "vitest";
import type { NodeRunDto } from "../api/client.ts";
import { formatDuration, mergeNodeRun } from "./node-runs.ts";
import { rowRangeLabel } from "./grid-pages.ts";
import { parseRoute } from "../routing.ts";

function run(id: string, createdAt: string, status: NodeRunDto["status"] = "queued"): NodeRunDto {
  return { id, runId: `r-${id}`, graphId: "g", nodeId: "n", status, runtime: "server", attempt: 1, storesWritten: [], codeVersion: null, logs: [], error: null, recordsIn: 0, recordsOut: 0, createdAt, startedAt: null, finishedAt: null };
}

describe("mergeNodeRun", () => {
  it("shows a newer run and updates of the same run, never an older run", () => {
    let runs = mergeNodeRun({}, run("1", "2026-01-01T00:00:01.000Z"));
    runs = mergeNodeRun(runs, run("2", "2026-01-01T00:00:02.000Z"));
    expect(runs.n?.id).toBe("2");
    runs = mergeNodeRun(runs, run("1", "2026-01-01T00:00:01.000Z", "succeeded"));
    expect(runs.n?.id).toBe("2");
    runs = mergeNodeRun(runs, run("2", "2026-01-01T00:00:02.000Z", "failed"));
    expect(runs.n?.status).toBe("failed");
  });
});

describe("small formatters", () => {
  it("formats durations", () => {
    expect(formatDuration({ startedAt: "2026-01-01T00:00:00.000Z", finishedAt: "2026-01-01T00:00:00.250Z" })).toBe("250 ms");
    expect(formatDuration({ startedAt: "2026-01-01T00:00:00.000Z", finishedAt: "2026-01-01T00:00:01.540Z" })).toBe("1.5 s");
    expect(formatDuration({ startedAt: null, finishedAt: null })).toBeNull();
  });

  it("labels row ranges", () => {
    expect(rowRangeLabel(0, 1, 2)).toBe("rows 1–2 of 2");
    expect(rowRangeLabel(50, 99, 120)).toBe("rows 51–100 of 120");
    expect(rowRangeLabel(0, -1, 0)).toBe("no rows (of 0)");
    expect(rowRangeLabel(999_990, 999_999, 1_000_000)).toBe("rows 999,991–1,000,000 of 1,000,000");
  });

  it("parses hash routes", () => {
    expect(parseRoute("#/graphs/abc")).toEqual({ page: "graph", graphId: "abc" });
    expect(parseRoute("")).toEqual({ page: "home" });
  });
});
