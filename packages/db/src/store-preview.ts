import type { Column, JsonRecord } from "@patchbay/runtime/protocol";
import type { Database } from "./database.ts";
import { queryJson, quoteIdent, type SqlRunner } from "./sql.ts";
import { activeVersion, countRecords, findStore, ID_COLUMN, sqlName, STORE_SCHEMA, StoreError, tableColumns, type StoreRow } from "./store-tables.ts";

export interface StorePreview {
  exists: boolean;
  /** "table" or "stream"; null when no store of that name was ever written. */
  kind: string | null;
  /** The version shown (the active one unless another was asked for). */
  versionId: string | null;
  columns: Column[];
  rows: JsonRecord[];
  /** Per row, the columns whose value was cut to `CELL_PREVIEW_CHARS`; fetch them whole with `readStoreCell`. */
  truncated: string[][];
  /** Rows in the version, or null when the caller did not ask for the count. */
  total: number | null;
  /** The order applied: a stream shows its newest records first unless told otherwise. */
  orderBy: { column: string; descending: boolean };
}

export interface PreviewRequest {
  offset: number;
  limit: number;
  orderBy?: { column: string; descending: boolean } | undefined;
  /** A version of the store other than the active one. */
  versionId?: string | undefined;
  /** Count the rows too (a full scan: callers paging through a big table ask once). */
  countTotal?: boolean | undefined;
}

const MAX_PREVIEW_ROWS = 500;
/** Characters of a text or JSON cell the preview sends; the rest is fetched on demand. */
export const CELL_PREVIEW_CHARS = 200;
/** Longest value `readStoreCell` returns whole. */
const MAX_CELL_CHARS = 50_000_000;
const TRUNCATED_KEY = "patchbay_truncated";

interface VersionRef {
  versionId: string;
  physicalName: string;
}

/** The version a preview reads: the asked-for one if it belongs to the store, else the active one. */
async function resolveVersion(sql: SqlRunner, store: StoreRow, versionId: string | undefined): Promise<VersionRef | null> {
  if (!versionId) return activeVersion(sql, store.id);
  const rows = await queryJson<VersionRef>(
    sql,
    `SELECT id AS "versionId", "physicalName" FROM "TableVersion"
      WHERE id = $1 AND "storeId" = $2 AND to_regclass(format('%I.%I', $3::text, "physicalName")) IS NOT NULL`,
    versionId,
    store.id,
    STORE_SCHEMA,
  );
  const version = rows[0];
  if (!version) throw new StoreError("version_missing", `The store "${store.name}" has no version "${versionId}" any more. Pick another version.`);
  return version;
}

/**
 * The select list of a preview page: long text and JSON values are cut on the
 * server, so a page of a table with megabyte cells stays a few kilobytes.
 */
function previewSelectList(columns: Column[]): string {
  const parts: string[] = [];
  const cut: string[] = [];
  for (const column of columns) {
    const name = quoteIdent(column.name);
    if (column.type === "text") {
      parts.push(`left(p.${name}, ${CELL_PREVIEW_CHARS}) AS ${name}`);
      cut.push(`CASE WHEN length(p.${name}) > ${CELL_PREVIEW_CHARS} THEN ${quoteLiteral(column.name)} END`);
    } else if (column.type === "jsonb") {
      // A cut JSON value is no longer JSON: it is sent as the text of its beginning.
      parts.push(`CASE WHEN length(p.${name}::text) > ${CELL_PREVIEW_CHARS} THEN to_jsonb(left(p.${name}::text, ${CELL_PREVIEW_CHARS})) ELSE p.${name} END AS ${name}`);
      cut.push(`CASE WHEN length(p.${name}::text) > ${CELL_PREVIEW_CHARS} THEN ${quoteLiteral(column.name)} END`);
    } else {
      parts.push(`p.${name}`);
    }
  }
  parts.push(`${cut.length ? `array_remove(ARRAY[${cut.join(", ")}]::text[], NULL)` : "ARRAY[]::text[]"} AS ${quoteIdent(TRUNCATED_KEY)}`);
  return parts.join(", ");
}

function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** A page of one version of a store (the active one by default), for the data preview. */
export async function previewStore(db: Database, graphId: string, storeName: string, request: PreviewRequest): Promise<StorePreview> {
  const store = await findStore(db.prisma, graphId, storeName);
  const defaultOrder = { column: ID_COLUMN, descending: store?.kind === "stream" };
  const empty: StorePreview = { exists: false, kind: store?.kind ?? null, versionId: null, columns: [], rows: [], truncated: [], total: 0, orderBy: defaultOrder };
  if (!store) return empty;
  const version = await resolveVersion(db.prisma, store, request.versionId);
  if (!version) return empty;
  const columns = await tableColumns(db.prisma, version.physicalName);
  const asked = request.orderBy;
  const orderBy = asked && columns.some((c) => c.name === asked.column) ? asked : defaultOrder;
  const direction = orderBy.descending ? "DESC" : "ASC";
  // patterns_id breaks ties, so pages never overlap or skip rows.
  const order = (prefix: string) =>
    orderBy.column === ID_COLUMN
      ? `${prefix}${quoteIdent(ID_COLUMN)} ${direction}`
      : `${prefix}${quoteIdent(orderBy.column)} ${direction} NULLS LAST, ${prefix}${quoteIdent(ID_COLUMN)} ${direction}`;
  const limit = Math.min(Math.max(1, request.limit), MAX_PREVIEW_ROWS);
  // Sort and page the whole rows first, then cut the long values of the page only.
  const page = await queryJson<JsonRecord>(
    db.prisma,
    `SELECT ${previewSelectList(columns)}
       FROM (SELECT * FROM ${sqlName(version.physicalName)} ORDER BY ${order("")} LIMIT $1 OFFSET $2) p
      ORDER BY ${order("p.")}`,
    limit,
    Math.max(0, request.offset),
  );
  const rows: JsonRecord[] = [];
  const truncated: string[][] = [];
  for (const row of page) {
    const { [TRUNCATED_KEY]: cut, ...values } = row;
    rows.push(values);
    truncated.push(Array.isArray(cut) ? cut.filter((c): c is string => typeof c === "string") : []);
  }
  return {
    exists: true,
    kind: store.kind,
    versionId: version.versionId,
    columns,
    rows,
    truncated,
    total: request.countTotal === false ? null : await countRecords(db.prisma, version.physicalName),
    orderBy,
  };
}

/** One cell's whole value as text (JSON as its text), for a cell the preview cut short. */
export async function readStoreCell(
  db: Database,
  graphId: string,
  storeName: string,
  cell: { versionId?: string | undefined; patternsId: string; column: string },
): Promise<{ value: string | null; length: number; complete: boolean }> {
  const store = await findStore(db.prisma, graphId, storeName);
  if (!store) throw new StoreError("store_missing", `There is no store "${storeName}" in this graph.`);
  const version = await resolveVersion(db.prisma, store, cell.versionId);
  if (!version) throw new StoreError("store_empty", `The store "${storeName}" has no data yet.`);
  const columns = await tableColumns(db.prisma, version.physicalName);
  if (!columns.some((c) => c.name === cell.column)) throw new StoreError("column_missing", `The store "${storeName}" has no column "${cell.column}".`);
  const name = quoteIdent(cell.column);
  const rows = await queryJson<{ value: string | null; length: number | null }>(
    db.prisma,
    `SELECT left(${name}::text, ${MAX_CELL_CHARS}) AS value, length(${name}::text) AS length FROM ${sqlName(version.physicalName)} WHERE ${quoteIdent(ID_COLUMN)} = $1`,
    cell.patternsId,
  );
  const row = rows[0];
  if (!row) throw new StoreError("row_missing", `The row ${cell.patternsId} is no longer in "${storeName}"; it was replaced or deleted. Refresh the preview.`);
  const length = row.length ?? 0;
  return { value: row.value, length, complete: length <= MAX_CELL_CHARS };
}
