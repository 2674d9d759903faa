import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GraphRepository, listStoreVersions, previewStore, readStoreCell, WorkspaceRepository, CELL_PREVIEW_CHARS, type Database } from "../src/index.ts";
import { appendRecords, createVersion, lockStore } from "../src/store-tables.ts";
import { testDatabaseEngines } from "../src/testing.ts";

describe.each(testDatabaseEngines())("store preview on $name", (engine) => {
  let db: Database;
  let graphId: string;
  const long = "x".repeat(CELL_PREVIEW_CHARS * 10);

  beforeAll(async () => {
    db = await engine.open();
    const workspace = await new WorkspaceRepository(db).ensureDefault();
    graphId = (await new GraphRepository(db).create(workspace.id, "Preview test")).id;
    await db.prisma.$transaction(async (tx) => {
      const table = await lockStore(tx, graphId, "items", "table");
      await appendRecords(tx, table, [{ n: 1, label: "old" }]);
      await createVersion(tx, table.id);
      await appendRecords(tx, table, [
        { n: 3, label: "c", doc: { big: long } },
        { n: 1, label: long, doc: { small: true } },
        { n: 2, label: "b", doc: null },
      ]);
      const stream = await lockStore(tx, graphId, "events", "stream");
      await appendRecords(tx, stream, [{ e: 1 }, { e: 2 }, { e: 3 }]);
    });
  });
  afterAll(async () => db.close());

  it("cuts long text and JSON on the server and says which cells it cut", async () => {
    const page = await previewStore(db, graphId, "items", { offset: 0, limit: 10 });
    expect(page.total).toBe(3);
    expect(page.rows.map((r) => r["n"])).toEqual([3, 1, 2]);
    expect(page.truncated).toEqual([["doc"], ["label"], []]);
    expect(String(page.rows[1]?.["label"]).length).toBe(CELL_PREVIEW_CHARS);
    expect(typeof page.rows[0]?.["doc"]).toBe("string");
    expect(page.rows[1]?.["doc"]).toEqual({ small: true });
  });

  it("sorts by a column, pages, and skips the count when asked", async () => {
    const page = await previewStore(db, graphId, "items", { offset: 1, limit: 1, orderBy: { column: "n", descending: true }, countTotal: false });
    expect(page.total).toBeNull();
    expect(page.rows.map((r) => r["n"])).toEqual([2]);
    expect(page.orderBy).toEqual({ column: "n", descending: true });
  });

  it("returns a cut cell whole", async () => {
    const page = await previewStore(db, graphId, "items", { offset: 0, limit: 10 });
    const id = String(page.rows[1]?.["patterns_id"]);
    const cell = await readStoreCell(db, graphId, "items", { patternsId: id, column: "label" });
    expect(cell).toEqual({ value: long, length: long.length, complete: true });
  });

  it("lists versions with row counts and previews an older one", async () => {
    const versions = await listStoreVersions(db, graphId, "items");
    expect(versions.map((v) => [v.active, v.rows])).toEqual([
      [true, 3],
      [false, 1],
    ]);
    const old = await previewStore(db, graphId, "items", { offset: 0, limit: 10, versionId: versions[1]?.id });
    expect(old.rows.map((r) => r["label"])).toEqual(["old"]);
    await expect(previewStore(db, graphId, "items", { offset: 0, limit: 10, versionId: "nope" })).rejects.toThrow(/no version/);
  });

  it("shows a stream's newest records first", async () => {
    const page = await previewStore(db, graphId, "events", { offset: 0, limit: 10 });
    expect(page.rows.map((r) => r["e"])).toEqual([3, 2, 1]);
    expect(page.orderBy).toEqual({ column: "patterns_id", descending: true });
  });
});
