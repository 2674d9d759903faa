import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { GraphRepository, RunRepository, WebhookRepository, WorkspaceRepository, type Database } from "@patchbay/db";
import { testDatabaseEngines } from "@patchbay/db/testing";
import type { GraphNode } from "@patchbay/graph";
import { appRouter, type ApiContext } from "../src/index.ts";
import { memberContext } from "../src/testing.ts";

const table = (id: string): GraphNode => ({ id, kind: "table", title: id, position: { x: 0, y: 0 }, code: "", inputs: {}, outputs: {}, parameterValues: {}, runtime: "server" });

function notUsed(): never {
  throw new Error("not used by the versions router");
}

describe.each(testDatabaseEngines())("versions router on $name", (engine) => {
  let db: Database;
  let caller: ReturnType<typeof appRouter.createCaller>;
  let strangerCaller: ReturnType<typeof appRouter.createCaller>;
  let graphId: string;

  beforeAll(async () => {
    db = await engine.open();
    const workspace = await new WorkspaceRepository(db).ensureDefault();
    const other = await db.prisma.workspace.create({ data: { id: "other-ws", name: "Other" }, select: { id: true } });
    // A signed-in editor of each workspace (packages/api testing.ts).
    const context = (workspaceId: string): Promise<ApiContext> =>
      memberContext(db, workspaceId, "editor", {
        graphs: new GraphRepository(db),
        runs: new RunRepository(db),
        webhooks: new WebhookRepository(db),
        launcher: { start: notUsed, cancel: notUsed },
        events: { subscribe: notUsed },
        afterGraphChange: async () => {},
      });
    caller = appRouter.createCaller(await context(workspace.id));
    strangerCaller = appRouter.createCaller(await context(other.id));
    graphId = (await caller.graphs.create({ title: "Versioned" })).id;
  });
  afterAll(async () => db?.close());

  it("saves named snapshots of the saved document, lists them newest first and reads one back", async () => {
    await caller.graphs.applyChanges({ id: graphId, changes: [{ type: "addNode", node: table("orders") }] });
    const first = await caller.versions.create({ graphId, message: "  one table  " });
    expect(first).toMatchObject({ message: "one table", nodeCount: 1 });
    await caller.graphs.applyChanges({ id: graphId, changes: [{ type: "addNode", node: table("customers") }] });
    const second = await caller.versions.create({ graphId, message: "two tables" });

    const list = await caller.versions.list({ graphId });
    expect(list.map((v) => [v.message, v.nodeCount])).toEqual([["two tables", 2], ["one table", 1]]);
    expect(Date.parse(list[0]?.createdAt ?? "")).toBeGreaterThan(0);

    const version = await caller.versions.get({ graphId, versionId: first.id });
    expect(version.document.nodes.map((n) => n.title)).toEqual(["orders"]);
    // Later edits do not touch a snapshot.
    await caller.graphs.applyChanges({ id: graphId, changes: [{ type: "removeNode", id: "orders" }] });
    expect((await caller.versions.get({ graphId, versionId: second.id })).document.nodes).toHaveLength(2);
  });

  it("refuses an empty name with a message that says what to do", async () => {
    await expect(caller.versions.create({ graphId, message: "   " })).rejects.toThrow(/needs a name/);
  });

  it("hides another workspace's graph and its versions", async () => {
    const [version] = await caller.versions.list({ graphId });
    const notFound = (promise: Promise<unknown>) => expect(promise).rejects.toSatisfy((e) => e instanceof TRPCError && e.code === "NOT_FOUND");
    await notFound(strangerCaller.versions.list({ graphId }));
    await notFound(strangerCaller.versions.create({ graphId, message: "mine now" }));
    await notFound(strangerCaller.versions.get({ graphId, versionId: version?.id ?? "" }));
    await notFound(caller.versions.get({ graphId, versionId: "no-such-version" }));
  });
});
