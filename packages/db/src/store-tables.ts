import type { Column, ColumnType, JsonRecord, JsonValue, StoreKind } from "@patchbay/runtime/protocol";
import { idPrefixAfter, newId } from "./ids.ts";
import { queryJson, quoteIdent, type SqlRunner } from "./sql.ts";
import { findUnstorableText } from "./unstorable-text.ts";

/** Postgres schema that holds the real tables behind Table and Stream stores (made by migration 0005_store_schema). */
export const STORE_SCHEMA = "store";
export const ID_COLUMN = "patterns_id";

export interface StoreRow {
  id: string;
  graphId: string;
  name: string;
  kind: string;
}

export interface ActiveVersion {
  versionId: string;
  physicalName: string;
}

export class StoreError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = "StoreError";
    this.code = code;
  }
}

export function sqlName(physicalName: string): string {
  return `${quoteIdent(STORE_SCHEMA)}.${quoteIdent(physicalName)}`;
}

export async function findStore(sql: SqlRunner, graphId: string, name: string): Promise<StoreRow | null> {
  const rows = await queryJson<StoreRow>(sql, `SELECT id, "graphId", name, kind FROM "Store" WHERE "graphId" = $1 AND name = $2`, graphId, name);
  return rows[0] ?? null;
}

/**
 * Finds or creates the store row and locks it until the transaction ends, so
 * writes to one store are serialized and its patterns_ids rise in commit order.
 */
export async function lockStore(tx: SqlRunner, graphId: string, name: string, kind: StoreKind): Promise<StoreRow> {
  await tx.$executeRawUnsafe(
    `INSERT INTO "Store" (id, "graphId", name, kind) VALUES ($1, $2, $3, $4) ON CONFLICT ("graphId", name) DO NOTHING`,
    newId(),
    graphId,
    name,
    kind,
  );
  const rows = await queryJson<StoreRow>(tx, `SELECT id, "graphId", name, kind FROM "Store" WHERE "graphId" = $1 AND name = $2 FOR UPDATE`, graphId, name);
  const store = rows[0];
  if (!store) throw new StoreError("store_missing", `Store "${name}" could not be created.`);
  return store;
}

export async function activeVersion(sql: SqlRunner, storeId: string): Promise<ActiveVersion | null> {
  const rows = await queryJson<ActiveVersion>(
    sql,
    `SELECT id AS "versionId", "physicalName" FROM "TableVersion" WHERE "storeId" = $1 AND active ORDER BY "createdAt" DESC LIMIT 1`,
    storeId,
  );
  return rows[0] ?? null;
}

/** Creates a new, empty, active version of a store (its own physical table) and deactivates the old one. */
export async function createVersion(tx: SqlRunner, storeId: string, columns: Column[] = []): Promise<ActiveVersion> {
  const versionId = newId();
  const physicalName = `t_${versionId.toLowerCase()}`;
  const columnSql = columns
    .filter((c) => c.name !== ID_COLUMN)
    .map((c) => `, ${quoteIdent(c.name)} ${c.type}`)
    .join("");
  await tx.$executeRawUnsafe(`CREATE TABLE ${sqlName(physicalName)} (${quoteIdent(ID_COLUMN)} text PRIMARY KEY${columnSql})`);
  await tx.$executeRawUnsafe(`UPDATE "TableVersion" SET active = false WHERE "storeId" = $1 AND active`, storeId);
  await tx.$executeRawUnsafe(
    `INSERT INTO "TableVersion" (id, "storeId", "physicalName", active) VALUES ($1, $2, $3, true)`,
    versionId,
    storeId,
    physicalName,
  );
  return { versionId, physicalName };
}

/**
 * Creates a new active version holding the rows of a read-only query, with
 * fresh patterns_ids in the query's row order: a 16-character ULID prefix
 * (time + randomness) and a zero-padded row number, still a valid,
 * increasing ULID. The rows never leave the database.
 */
export async function createVersionFromQuery(tx: SqlRunner, storeId: string, query: string): Promise<{ version: ActiveVersion; rows: number }> {
  const versionId = newId();
  const physicalName = `t_${versionId.toLowerCase()}`;
  const table = sqlName(physicalName);
  const rowNumber = "patchbay_row_number";
  await tx.$executeRawUnsafe(`CREATE TABLE ${table} AS SELECT * FROM (${query}) q WITH NO DATA`);
  const columns = (await tableColumns(tx, physicalName)).map((c) => c.name).filter((c) => c !== ID_COLUMN);
  await tx.$executeRawUnsafe(`ALTER TABLE ${table} DROP COLUMN IF EXISTS ${quoteIdent(ID_COLUMN)}`);
  await tx.$executeRawUnsafe(`ALTER TABLE ${table} ADD COLUMN ${quoteIdent(ID_COLUMN)} text PRIMARY KEY`);
  const list = columns.map(quoteIdent).join(", ");
  const rows = await tx.$executeRawUnsafe(
    `INSERT INTO ${table} (${quoteIdent(ID_COLUMN)}${list ? `, ${list}` : ""})
     SELECT $1 || lpad(${rowNumber}::text, 10, '0')${list ? `, ${list}` : ""}
       FROM (SELECT q.*, row_number() OVER () AS ${rowNumber} FROM (${query}) q) numbered`,
    idPrefixAfter(null),
  );
  await tx.$executeRawUnsafe(`UPDATE "TableVersion" SET active = false WHERE "storeId" = $1 AND active`, storeId);
  await tx.$executeRawUnsafe(`INSERT INTO "TableVersion" (id, "storeId", "physicalName", active) VALUES ($1, $2, $3, true)`, versionId, storeId, physicalName);
  return { version: { versionId, physicalName }, rows };
}

export async function tableColumns(sql: SqlRunner, physicalName: string): Promise<Column[]> {
  const rows = await queryJson<{ name: string; type: string }>(
    sql,
    `SELECT column_name AS name, data_type AS type FROM information_schema.columns
      WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
    STORE_SCHEMA,
    physicalName,
  );
  return rows.map((r) => ({ name: r.name, type: normalizeType(r.type) }));
}

function normalizeType(type: string): ColumnType {
  switch (type) {
    case "bigint":
    case "integer":
    case "smallint":
      return "bigint";
    case "double precision":
    case "real":
    case "numeric":
      return "double precision";
    case "boolean":
      return "boolean";
    case "jsonb":
    case "json":
      return "jsonb";
    case "timestamp with time zone":
    case "timestamp without time zone":
      return "timestamptz";
    case "date":
      return "date";
    default:
      return "text";
  }
}

/** The column type a JSON value needs. */
export function inferColumnType(value: JsonValue): ColumnType | null {
  if (value === null) return null;
  if (typeof value === "boolean") return "boolean";
  if (typeof value === "number") return Number.isSafeInteger(value) ? "bigint" : "double precision";
  if (typeof value === "string") return "text";
  return "jsonb";
}

/** The type that holds values of both types (bigint and double widen to double; anything else mixed to text or jsonb). */
function widen(a: ColumnType, b: ColumnType): ColumnType {
  if (a === b) return a;
  const numeric: ColumnType[] = ["bigint", "double precision"];
  if (numeric.includes(a) && numeric.includes(b)) return "double precision";
  if (a === "jsonb" || b === "jsonb") return "jsonb";
  return "text";
}

// PostgreSQL's own limits on a table: 1,600 columns (patterns_id is one) and
// names of 63 bytes (longer ones are silently cut, so two keys could meet in one column).
const MAX_COLUMNS = 1_599;
const MAX_COLUMN_NAME_BYTES = 63;

/** Adds missing columns and widens columns whose new values do not fit. */
async function fitColumns(tx: SqlRunner, physicalName: string, records: JsonRecord[], storeName: string): Promise<void> {
  const existing = new Map((await tableColumns(tx, physicalName)).map((c) => [c.name, c.type]));
  const needed = new Map<string, ColumnType | null>();
  for (const record of records) {
    for (const [name, value] of Object.entries(record)) {
      if (name === ID_COLUMN) continue;
      const type = inferColumnType(value);
      const seen = needed.get(name);
      needed.set(name, seen == null ? type : type === null ? seen : widen(seen, type));
    }
  }
  const added = [...needed.keys()].filter((name) => !existing.has(name)).length;
  // existing includes patterns_id.
  if (existing.size - 1 + added > MAX_COLUMNS) {
    throw new StoreError("too_many_columns", `"${storeName}" would get ${existing.size - 1 + added} columns; a table may have at most ${MAX_COLUMNS}. Put the values in one dict-valued column instead.`);
  }
  for (const [name, type] of needed) {
    const current = existing.get(name);
    if (current === undefined) {
      await tx.$executeRawUnsafe(`ALTER TABLE ${sqlName(physicalName)} ADD COLUMN ${quoteIdent(name)} ${type ?? "text"}`);
    } else if (type !== null && widen(current, type) !== current) {
      const target = widen(current, type);
      const using = target === "jsonb" ? `to_jsonb(${quoteIdent(name)})` : `${quoteIdent(name)}::${target}`;
      await tx.$executeRawUnsafe(`ALTER TABLE ${sqlName(physicalName)} ALTER COLUMN ${quoteIdent(name)} TYPE ${target} USING ${using}`);
    }
  }
}

// Rows per INSERT. Each statement costs a round trip through the driver, so
// batches are large; one JSON parameter carries them, so they are bounded by
// size (MAX_BATCH_CHARS), not by a parameter count.
const INSERT_BATCH = 50_000;
const MAX_BATCH_CHARS = 32_000_000;

/**
 * Refuses records PostgreSQL would reject deep inside the INSERT with an error
 * that names neither the store nor the value (on PGlite, with no message at all).
 */
function checkStorable(store: StoreRow, records: JsonRecord[]): void {
  const unstorable = findUnstorableText(records);
  if (unstorable) {
    throw new StoreError("unstorable_text", `A record written to "${store.name}" holds ${unstorable.what} at ${unstorable.path}, which PostgreSQL cannot store. Remove it from the value before writing.`);
  }
  const names = new Set<string>();
  for (const record of records) for (const name of Object.keys(record)) if (name !== ID_COLUMN) names.add(name);
  const tooLong = [...names].find((name) => Buffer.byteLength(name, "utf8") > MAX_COLUMN_NAME_BYTES);
  if (tooLong !== undefined) {
    throw new StoreError("column_name_too_long", `The column name "${tooLong.slice(0, 40)}…" for "${store.name}" is ${Buffer.byteLength(tooLong, "utf8")} bytes; PostgreSQL allows ${MAX_COLUMN_NAME_BYTES}. Use shorter keys.`);
  }
  if (names.size > MAX_COLUMNS) {
    throw new StoreError("too_many_columns", `The records written to "${store.name}" have ${names.size} different keys; a table may have at most ${MAX_COLUMNS} columns. Put the values in one dict-valued column instead.`);
  }
}

/** Appends records to a store's active version (creating it if needed); returns how many were written. */
export async function appendRecords(tx: SqlRunner, store: StoreRow, records: JsonRecord[], upsertOn: string[] | null = null): Promise<number> {
  if (records.length === 0) return 0;
  const version = (await activeVersion(tx, store.id)) ?? (await createVersion(tx, store.id));
  checkStorable(store, records);
  await fitColumns(tx, version.physicalName, records, store.name);
  const table = sqlName(version.physicalName);
  const maxRows = await queryJson<{ max: string | null }>(tx, `SELECT max(${quoteIdent(ID_COLUMN)}) AS max FROM ${table}`);
  const prefix = idPrefixAfter(maxRows[0]?.max ?? null);
  const columns = [...new Set(records.flatMap((r) => Object.keys(r)).filter((c) => c !== ID_COLUMN))];
  const targetList = [quoteIdent(ID_COLUMN), ...columns.map(quoteIdent)].join(", ");
  const sourceList = [`$2 || lpad((r.ordinality + $3)::text, 10, '0')`, ...columns.map((c) => `r.${quoteIdent(c)}`)].join(", ");
  let conflict = "";
  if (upsertOn) {
    await ensureUniqueIndex(tx, version.physicalName, upsertOn);
    const updates = [ID_COLUMN, ...columns].filter((c) => !upsertOn.includes(c)).map((c) => `${quoteIdent(c)} = EXCLUDED.${quoteIdent(c)}`);
    conflict = ` ON CONFLICT (${upsertOn.map(quoteIdent).join(", ")}) DO UPDATE SET ${updates.join(", ")}`;
  }
  // Records go in as JSON text typed by the table's own row type; their ids
  // are the prefix and their position, so the records are never copied.
  let start = 0;
  while (start < records.length) {
    let json = "";
    let end = start;
    while (end < records.length && end - start < INSERT_BATCH) {
      const text = JSON.stringify(records[end]);
      if (end > start && json.length + text.length > MAX_BATCH_CHARS) break;
      json += (end > start ? "," : "") + text;
      end++;
    }
    await tx.$executeRawUnsafe(
      `INSERT INTO ${table} (${targetList})
       SELECT ${sourceList} FROM json_populate_recordset(null::${table}, $1::json) WITH ORDINALITY AS r${conflict}`,
      `[${json}]`,
      prefix,
      start,
    );
    start = end;
  }
  return records.length;
}

async function ensureUniqueIndex(tx: SqlRunner, physicalName: string, columns: string[]): Promise<void> {
  const name = `u_${physicalName}_${columns.join("_")}`.slice(0, 63);
  await tx.$executeRawUnsafe(`CREATE UNIQUE INDEX IF NOT EXISTS ${quoteIdent(name)} ON ${sqlName(physicalName)} (${columns.map(quoteIdent).join(", ")})`);
}

export async function countRecords(sql: SqlRunner, physicalName: string): Promise<number> {
  const rows = await queryJson<{ n: number }>(sql, `SELECT count(*)::int AS n FROM ${sqlName(physicalName)}`);
  return rows[0]?.n ?? 0;
}

export interface ReadPage {
  offset: number;
  limit: number;
  orderBy?: { column: string; descending: boolean };
}

export async function readRecords(sql: SqlRunner, physicalName: string, page: ReadPage): Promise<JsonRecord[]> {
  const order = page.orderBy
    ? `${quoteIdent(page.orderBy.column)} ${page.orderBy.descending ? "DESC" : "ASC"} NULLS LAST, ${quoteIdent(ID_COLUMN)}`
    : quoteIdent(ID_COLUMN);
  return queryJson<JsonRecord>(sql, `SELECT * FROM ${sqlName(physicalName)} ORDER BY ${order} LIMIT $1 OFFSET $2`, page.limit, page.offset);
}

/** Records after a patterns_id ("" for the first ones), oldest first. */
export async function readAfter(sql: SqlRunner, physicalName: string, after: string, limit: number): Promise<JsonRecord[]> {
  return queryJson<JsonRecord>(
    sql,
    `SELECT * FROM ${sqlName(physicalName)} WHERE ${quoteIdent(ID_COLUMN)} > $1 ORDER BY ${quoteIdent(ID_COLUMN)} LIMIT $2`,
    after,
    limit,
  );
}
