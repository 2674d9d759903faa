import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GraphNode } from "@patchbay/graph";
import { createServerDatabase } from "@patchbay/db/testing";
import { readEnv } from "../src/env.ts";
import { openServices, type Services } from "../src/services.ts";
import { testNode } from "./support/graph-nodes.ts";

const serverUrl = process.env["PATCHBAY_TEST_DATABASE_URL"];
const WORKER = fileURLToPath(new URL("../src/worker.ts", import.meta.url));
const CONSUMERS = 4;
const RUNS_PER_CONSUMER = 50;
const BATCH = 5;

const node = testNode;

const consumer = (i: number) => `from patterns import Stream, Table
import time
events = Stream("events_${i}")
seen = Table("seen_${i}", "w")
batch = []
for record in events.consume_records():
    batch.append({"n": record["n"]})
    if len(batch) == ${BATCH}:
        break
time.sleep(0.03)
seen.append(batch)
`;

describe.skipIf(!serverUrl)("scale-out on a PostgreSQL server", () => {
  let drop: () => Promise<void>;
  let url: string;
  let services: Services;
  const workers: ChildProcess[] = [];

  function startWorker(): ChildProcess {
    const child = spawn(process.execPath, [WORKER], {
      env: { PATH: process.env["PATH"] ?? "", DATABASE_URL: url, WORKERS: "1", RUN_TIME_LIMIT_SECONDS: "60" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stderr?.on("data", (chunk: Buffer) => process.stderr.write(`[worker ${child.pid}] ${chunk}`));
    workers.push(child);
    return child;
  }

  beforeAll(async () => {
    const created = await createServerDatabase(serverUrl ?? "");
    url = created.url;
    drop = created.drop;
    services = await openServices(readEnv({ DATABASE_URL: url, SEED_EXAMPLE: "false" }), { work: false, seed: false });
  }, 120_000);

  afterAll(async () => {
    for (const child of workers) child.kill("SIGKILL");
    await services?.close();
    await drop?.();
  });

  it("runs 200 invocations across two workers, one SIGKILLed midway, each exactly once", async () => {
    const { graphs, runs, workspaceId, db } = services;
    const graphId = (await graphs.create(workspaceId, "Scale out")).id;
    const nodes: GraphNode[] = [node("produce", "python", `from patterns import Stream\nfor i in range(${CONSUMERS}):\n    Stream(f"events_{i}", "w").write([{"n": n} for n in range(${RUNS_PER_CONSUMER * BATCH})])\n`)];
    for (let i = 0; i < CONSUMERS; i++) nodes.push(node(`events_${i}`, "stream"), node(`seen_${i}`, "table"), node(`consume_${i}`, "python", consumer(i)));
    // The producer's code names its streams only through an f-string, so bind them explicitly.
    nodes[0] = { ...nodes[0]!, code: Array.from({ length: CONSUMERS }, (_, i) => `from patterns import Stream\nStream("events_${i}", "w").write([{"n": n} for n in range(${RUNS_PER_CONSUMER * BATCH})])`).join("\n") };
    await graphs.applyChanges(graphId, nodes.map((n) => ({ type: "addNode" as const, node: n })));

    const first = startWorker();
    startWorker();
    const produced = await runs.start({ graphId, nodeId: "produce", scope: "node", includeDownstream: false, startedBy: "test" });
    expect((await runs.waitForRun(produced.runId, 120_000)).status).toBe("succeeded");

    const runIds: string[] = [];
    for (let r = 0; r < RUNS_PER_CONSUMER; r++) {
      for (let i = 0; i < CONSUMERS; i++) runIds.push((await runs.start({ graphId, nodeId: `consume_${i}`, scope: "node", startedBy: "test" })).runId);
    }
    // Kill one worker once a fair share of the invocations is done.
    for (;;) {
      const done = await db.prisma.nodeRun.count({ where: { graphId, status: "succeeded", nodeId: { startsWith: "consume_" } } });
      if (done >= 60) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    first.kill("SIGKILL");

    const results = [];
    for (const runId of runIds) results.push(await runs.waitForRun(runId, 240_000));
    expect(results.filter((r) => r.status !== "succeeded")).toEqual([]);
    const byWorkerTakeover = results.flatMap((r) => r.nodeRuns).filter((n) => n.status === "succeeded");
    expect(byWorkerTakeover).toHaveLength(CONSUMERS * RUNS_PER_CONSUMER);

    for (let i = 0; i < CONSUMERS; i++) {
      const rows = await db.prisma.$queryRawUnsafe<{ n: number }[]>(
        `SELECT (r->>'n')::int AS n FROM (SELECT to_jsonb(t) r FROM store.${await physical(services, graphId, `seen_${i}`)} t) x ORDER BY 1`,
      );
      // Every record of the stream consumed once: none lost, none twice.
      expect(rows.map((r) => r.n)).toEqual(Array.from({ length: RUNS_PER_CONSUMER * BATCH }, (_, n) => n));
    }
  }, 300_000);
});

async function physical(services: Services, graphId: string, storeName: string): Promise<string> {
  const rows = await services.db.prisma.$queryRawUnsafe<{ name: string }[]>(
    `SELECT v."physicalName" AS name FROM "TableVersion" v JOIN "Store" s ON s.id = v."storeId" WHERE s."graphId" = $1 AND s.name = $2 AND v.active`,
    graphId,
    storeName,
  );
  const name = rows[0]?.name;
  if (!name) throw new Error(`no table for ${storeName}`);
  return `"${name}"`;
}
