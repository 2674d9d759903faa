import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PortBinding } from "@patchbay/runtime/protocol";
import { BridgeError } from "@patchbay/runtime/protocol";
import { createStoreBridge, GraphRepository, migrate, WorkspaceRepository, type Database } from "../src/index.ts";
import { testDatabaseEngines } from "../src/testing.ts";

describe.each(testDatabaseEngines())("store bridge on $name", (engine) => {
  let db: Database;
  let graphId: string;
  const ports: PortBinding[] = [
    { port: "orders", direction: "output", kind: "table", storeName: "orders" },
    { port: "events", direction: "input", kind: "stream", storeName: "events" },
    { port: "events_out", direction: "output", kind: "stream", storeName: "events" },
    { port: "loose", direction: "output", kind: "table", storeName: null },
  ];
  const bridge = () => createStoreBridge(db, { graphId, nodeId: "n1", nodeTitle: "writer", ports });

  beforeAll(async () => {
    db = await engine.open();
    const workspace = await new WorkspaceRepository(db).ensureDefault();
    graphId = (await new GraphRepository(db).create(workspace.id, "Bridge test")).id;
  });
  afterAll(async () => db.close());

  it("migrating again applies nothing", async () => {
    expect(await migrate(db)).toEqual([]);
  });

  it("appends records with increasing patterns_ids and reads them back", async () => {
    const result = await bridge().call({
      op: "commit",
      writes: [{ op: "append", port: "orders", records: [{ id: 1, item: "apple", price: 1.5, paid: true }, { id: 2, item: "pear", price: 2, paid: false, note: { a: 1 } }] }],
      cursors: [],
      state: { last: 2 },
    });
    expect(result).toEqual({ op: "commit", recordsWritten: 2 });
    const read = await bridge().call({ op: "readTable", port: "orders", offset: 0, limit: 10 });
    if (read.op !== "readTable") throw new Error("wrong response");
    expect(read.records.map((r) => r["item"])).toEqual(["apple", "pear"]);
    expect(read.records[1]?.["note"]).toEqual({ a: 1 });
    const ids = read.records.map((r) => String(r["patterns_id"]));
    expect(ids[0]! < ids[1]!).toBe(true);
    const info = await bridge().call({ op: "storeInfo", port: "orders" });
    if (info.op !== "storeInfo") throw new Error("wrong response");
    expect(info.info.recordCount).toBe(2);
    expect(info.info.columns.find((c) => c.name === "price")?.type).toBe("double precision");
    expect(await bridge().call({ op: "getState" })).toEqual({ op: "getState", state: { last: 2 } });
  });

  it("rolls back the whole commit when one write fails", async () => {
    const before = await bridge().call({ op: "readTable", port: "orders", offset: 0, limit: 100 });
    await expect(
      bridge().call({
        op: "commit",
        writes: [
          { op: "append", port: "orders", records: [{ id: 3, item: "plum" }] },
          { op: "executeSql", port: "orders", sql: "INSERT INTO no_such_table VALUES (1)" },
        ],
        cursors: [],
        state: { last: 3 },
      }),
    ).rejects.toThrow(BridgeError);
    expect(await bridge().call({ op: "readTable", port: "orders", offset: 0, limit: 100 })).toEqual(before);
    expect(await bridge().call({ op: "getState" })).toEqual({ op: "getState", state: { last: 2 } });
  });

  it("refuses ports the node does not have, and unbound ports, by name", async () => {
    await expect(bridge().call({ op: "readTable", port: "secrets", offset: 0, limit: 1 })).rejects.toThrow(/may not read "secrets"/);
    await expect(bridge().call({ op: "commit", writes: [{ op: "append", port: "events", records: [{ a: 1 }] }], cursors: [], state: null })).rejects.toThrow(/not one of its output ports/);
    await expect(bridge().call({ op: "commit", writes: [{ op: "append", port: "loose", records: [{ a: 1 }] }], cursors: [], state: null })).rejects.toThrow(/not connected to a store/);
  });

  it("refuses SQL that reads tables outside the node's ports", async () => {
    await expect(bridge().call({ op: "readSql", sql: 'SELECT * FROM "Graph"', limit: 10 })).rejects.toThrow(/may only query its own stores/);
    const info = await bridge().call({ op: "storeInfo", port: "orders" });
    if (info.op !== "storeInfo" || !info.info.sqlName) throw new Error("no sql name");
    const rows = await bridge().call({ op: "readSql", sql: `SELECT item FROM ${info.info.sqlName} WHERE price > 1.6`, limit: 10 });
    expect(rows).toEqual({ op: "readSql", records: [{ item: "pear" }] });
  });

  it("delivers stream records once per consumer, from its committed cursor", async () => {
    await bridge().call({ op: "commit", writes: [{ op: "append", port: "events_out", records: [{ n: 1 }, { n: 2 }, { n: 3 }] }], cursors: [], state: null });
    const start = await bridge().call({ op: "storeInfo", port: "events" });
    expect(start).toMatchObject({ info: { exists: true, recordCount: 3, cursor: null } });
    const first = await bridge().call({ op: "readStream", port: "events", after: "", limit: 2 });
    if (first.op !== "readStream") throw new Error("wrong response");
    expect(first.records.map((r) => r["n"])).toEqual([1, 2]);
    const position = String(first.records[1]?.["patterns_id"]);
    await bridge().call({ op: "commit", writes: [], cursors: [{ port: "events", position }], state: null });
    const info = await bridge().call({ op: "storeInfo", port: "events" });
    expect(info).toMatchObject({ info: { cursor: position } });
    const rest = await bridge().call({ op: "readStream", port: "events", after: position, limit: 10 });
    if (rest.op !== "readStream") throw new Error("wrong response");
    expect(rest.records.map((r) => r["n"])).toEqual([3]);
    const rewound = await bridge().call({ op: "readStream", port: "events", after: "", limit: 10 });
    if (rewound.op !== "readStream") throw new Error("wrong response");
    expect(rewound.records).toHaveLength(3);
  });

  it("replace makes a new version with only the new rows", async () => {
    await bridge().call({ op: "commit", writes: [{ op: "replace", port: "orders", records: [{ item: "fig" }] }], cursors: [], state: null });
    const read = await bridge().call({ op: "readTable", port: "orders", offset: 0, limit: 10 });
    if (read.op !== "readTable") throw new Error("wrong response");
    expect(read.records.map((r) => r["item"])).toEqual(["fig"]);
  });
});

describe.each(testDatabaseEngines())("first writes of a new database on $name", (engine) => {
  let db: Database;
  beforeAll(async () => {
    db = await engine.open();
  });
  afterAll(async () => db.close());

  // The store schema comes with the migrations; writes made it on the fly before, and two
  // first writes at once could both try to create it.
  it("land side by side in two graphs, on the schema the migrations made", async () => {
    const workspace = await new WorkspaceRepository(db).ensureDefault();
    const graphs = new GraphRepository(db);
    const writers = await Promise.all(
      ["a", "b", "c"].map(async (name) => {
        const graphId = (await graphs.create(workspace.id, `First ${name}`)).id;
        return createStoreBridge(db, { graphId, nodeId: "n1", nodeTitle: "writer", ports: [{ port: "out", direction: "output", kind: "table", storeName: "out" }] });
      }),
    );
    const results = await Promise.all(writers.map((writer) => writer.call({ op: "commit", writes: [{ op: "append", port: "out", records: [{ n: 1 }] }], cursors: [], state: null })));
    expect(results).toEqual(writers.map(() => ({ op: "commit", recordsWritten: 1 })));
  });
});
