import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import type { Invocation, PortBinding } from "../src/protocol.ts";

export function input(port: string, storeName: string | null = port, kind: "table" | "stream" = "table"): PortBinding {
  return { port, direction: "input", kind, storeName };
}

export function output(port: string, storeName: string | null = port, kind: "table" | "stream" = "table"): PortBinding {
  return { port, direction: "output", kind, storeName };
}

/** An invocation of a node titled "test_node" (its code is dedented). */
export function invocation(code: string, ports: PortBinding[] = [], extra: Partial<Invocation> = {}): Invocation {
  return {
    graphId: "graph-1",
    nodeId: "node-1",
    nodeTitle: "test_node",
    nodeRunId: "run-1",
    code: dedent(code),
    ports,
    parameters: {},
    timeLimitMs: 30_000,
    ...extra,
  };
}

function dedent(code: string): string {
  const lines = code.replace(/^\n/, "").split("\n");
  const indents = lines.filter((line) => line.trim()).map((line) => /^ */.exec(line)?.[0].length ?? 0);
  const indent = Math.min(...indents);
  return lines.map((line) => line.slice(indent)).join("\n");
}

/**
 * Cache folder (memory snapshot, packages) shared by the test files and kept
 * between test runs, so the snapshot is made once per runtime version.
 */
export const TEST_RUNTIME_CACHE_DIR = join(tmpdir(), `patchbay-runtime-test-cache-${userInfo().uid}`);
