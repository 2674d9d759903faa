import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GraphNode } from "@patchbay/graph";
import { readEnv } from "../src/env.ts";
import { openServices, type Services } from "../src/services.ts";
import { testNode } from "./support/graph-nodes.ts";

const node = (id: string, kind: GraphNode["kind"], code = "", trigger?: string): GraphNode => testNode(id, kind, code, trigger ? { trigger } : {});

describe("cron schedules", () => {
  let dir: string;
  let services: Services;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "patchbay-schedules-"));
    services = await openServices(readEnv({ DATA_DIR: dir, WORKERS: "1", SEED_EXAMPLE: "false" }), { work: true, seed: false });
  }, 120_000);
  afterAll(async () => {
    await services?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("registers a node's trigger, fires it as a run of that node, and drops it when the trigger goes", async () => {
    const { graphs, queue, schedules, workspaceId, db } = services;
    const graphId = (await graphs.create(workspaceId, "Scheduled")).id;
    await graphs.applyChanges(graphId, [
      { type: "addNode", node: node("tick", "python", 'from patterns import Table\nTable("ticks", "w").append({"at": 1})', "*/5 * * * *") },
      { type: "addNode", node: node("ticks", "table") },
      { type: "addNode", node: node("weird id/with:colons", "python", "print(1)", "0 6 * * *") },
    ]);
    await services.afterGraphChange(graphId);
    expect(Object.fromEntries(await queue.schedulesOf(graphId))).toEqual({ tick: "*/5 * * * *", "weird id/with:colons": "0 6 * * *" });

    // One tick of the schedule, as pg-boss delivers it.
    await schedules.fire({ graphId, nodeId: "tick" });
    const run = await db.prisma.run.findFirst({ where: { graphId, trigger: "schedule" }, select: { id: true } });
    expect(run).not.toBeNull();
    expect((await services.runs.waitForRun(run?.id ?? "", 60_000)).status).toBe("succeeded");

    await graphs.applyChanges(graphId, [{ type: "updateNode", id: "tick", patch: { trigger: "" } }]);
    await services.afterGraphChange(graphId);
    expect(Object.fromEntries(await queue.schedulesOf(graphId))).toEqual({ "weird id/with:colons": "0 6 * * *" });
  });

  it("refuses an invalid cron expression when the graph is saved, naming the node", async () => {
    const graphId = (await services.graphs.create(services.workspaceId, "Bad cron")).id;
    await expect(services.graphs.applyChanges(graphId, [{ type: "addNode", node: node("x", "python", "", "every day") }])).rejects.toThrow(/schedule of node "x" is not a valid cron expression/);
  });
});
