import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GraphNode } from "@patchbay/graph";
import { pruneHistory } from "@patchbay/db";
import { readEnv } from "../src/env.ts";
import { openServices, type Services } from "../src/services.ts";
import { testNode } from "./support/graph-nodes.ts";

const node = testNode;

describe("run engine", () => {
  let dir: string;
  let services: Services;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "patchbay-engine-"));
    services = await openServices(readEnv({ DATA_DIR: dir, WORKERS: "1", SEED_EXAMPLE: "false" }), { work: true, seed: false });
  }, 120_000);
  afterAll(async () => {
    await services?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function graphWith(title: string, nodes: GraphNode[]): Promise<string> {
    const graphId = (await services.graphs.create(services.workspaceId, title)).id;
    await services.graphs.applyChanges(graphId, nodes.map((n) => ({ type: "addNode" as const, node: n })));
    return graphId;
  }

  it("retries a failing node with backoff, and the wave ends after the last attempt", async () => {
    const graphId = await graphWith("Retries", [node("flaky", "python", "raise RuntimeError('down')", { retries: { count: 2, delaySeconds: 0.2 } })]);
    const { runId } = await services.runs.start({ graphId, nodeId: "flaky", scope: "node", startedBy: "test" });
    const result = await services.runs.waitForRun(runId, 60_000);
    expect(result.status).toBe("failed");
    expect(result.nodeRuns.map((r) => [r.attempt, r.status])).toEqual([[1, "failed"], [2, "failed"], [3, "failed"]]);
    expect(result.nodeRuns[2]?.error).toContain("RuntimeError: down");
  });

  it("runs downstream nodes only when their inputs got new data (scope node), and all of them with scope downstream", async () => {
    const graphId = await graphWith("Reactive", [
      node("writer", "python", 'from patterns import Table, Parameter\nif Parameter("write", type=bool, default=True):\n    Table("t", "w").append({"a": 1})', { parameterValues: { write: false } }),
      node("t", "table"),
      node("reader", "python", 'from patterns import Table\nTable("t")\nprint("read")'),
    ]);
    const quiet = await services.runs.waitForRun((await services.runs.start({ graphId, nodeId: "writer", scope: "node", startedBy: "test" })).runId, 60_000);
    expect(quiet.nodeRuns.map((r) => r.nodeId)).toEqual(["writer"]);
    await services.graphs.applyChanges(graphId, [{ type: "updateNode", id: "writer", patch: { parameterValues: { write: true } } }]);
    const fed = await services.runs.waitForRun((await services.runs.start({ graphId, nodeId: "writer", scope: "node", startedBy: "test" })).runId, 60_000);
    expect(fed.nodeRuns.map((r) => [r.nodeId, r.status])).toEqual([["writer", "succeeded"], ["reader", "succeeded"]]);
    await services.graphs.applyChanges(graphId, [{ type: "updateNode", id: "writer", patch: { parameterValues: { write: false } } }]);
    const all = await services.runs.waitForRun((await services.runs.start({ graphId, nodeId: "writer", scope: "downstream", startedBy: "test" })).runId, 60_000);
    expect(all.nodeRuns.map((r) => r.nodeId)).toEqual(["writer", "reader"]);
  });

  it("cancels a running node at once: the sandbox is stopped and nothing it wrote is kept", async () => {
    const graphId = await graphWith("Cancel", [node("spin", "python", 'from patterns import Table\nTable("out", "w").append({"a": 1})\nwhile True:\n    pass'), node("out", "table")]);
    const { runId } = await services.runs.start({ graphId, nodeId: "spin", scope: "node", startedBy: "test" });
    for (;;) {
      const nodeRun = (await services.runRepository.nodeRunsOfRun(runId))[0];
      if (nodeRun?.status === "running") break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const cancelledAt = Date.now();
    await services.runs.cancel(runId);
    const result = await services.runs.waitForRun(runId, 30_000);
    expect(result.status).toBe("cancelled");
    expect(result.nodeRuns[0]?.status).toBe("cancelled");
    // The worker is free again soon: a normal run succeeds right after.
    const next = await graphWith("After cancel", [node("ok", "python", "print('fine')")]);
    const ok = await services.runs.waitForRun((await services.runs.start({ graphId: next, nodeId: "ok", scope: "node", startedBy: "test" })).runId, 60_000);
    expect(ok.status).toBe("succeeded");
    expect(Date.now() - cancelledAt).toBeLessThan(30_000);
    const store = await services.db.prisma.store.findFirst({ where: { graphId, name: "out" }, select: { versions: { select: { id: true } } } });
    expect(store?.versions ?? []).toEqual([]);
  });

  it("prunes old runs and old inactive table versions, keeping the active one", async () => {
    const graphId = await graphWith("Retention", [node("w", "python", 'from patterns import Table\nTable("t", "w").replace([{"a": 1}])'), node("t", "table")]);
    for (let i = 0; i < 3; i++) await services.runs.waitForRun((await services.runs.start({ graphId, nodeId: "w", scope: "node", startedBy: "test" })).runId, 60_000);
    const { db } = services;
    expect(await db.prisma.tableVersion.count({ where: { store: { graphId } } })).toBe(3);
    await db.prisma.$executeRawUnsafe(`UPDATE "Run" SET "createdAt" = now() - interval '40 days' WHERE "graphId" = $1`, graphId);
    await db.prisma.$executeRawUnsafe(`UPDATE "TableVersion" SET "createdAt" = now() - interval '10 days' WHERE "storeId" IN (SELECT id FROM "Store" WHERE "graphId" = $1)`, graphId);
    const pruned = await pruneHistory(db, { runDays: 30, versionDays: 7 });
    expect(pruned.runs).toBeGreaterThanOrEqual(3);
    expect(pruned.versions).toBeGreaterThanOrEqual(2);
    const left = await db.prisma.tableVersion.findMany({ where: { store: { graphId } }, select: { active: true } });
    expect(left).toEqual([{ active: true }]);
    expect(await db.prisma.run.count({ where: { graphId } })).toBe(0);
  });
});
