import type { Database } from "./database.ts";
import { isoTimestamp, queryJson } from "./sql.ts";
import { countRecords, findStore, STORE_SCHEMA } from "./store-tables.ts";

/** One version of a Table or Stream: its own physical table. */
export interface StoreVersionInfo {
  id: string;
  active: boolean;
  createdAt: string;
  /** Rows in it; null when its table is gone (dropped by retention). */
  rows: number | null;
}

// Versions listed per store; a store reset in a loop would otherwise make the list unbounded.
const MAX_VERSIONS = 50;

/** The versions of a store, newest first, with their row counts. */
export async function listStoreVersions(db: Database, graphId: string, storeName: string): Promise<StoreVersionInfo[]> {
  const store = await findStore(db.prisma, graphId, storeName);
  if (!store) return [];
  const versions = await queryJson<{ id: string; active: boolean; createdAt: string; physicalName: string; present: boolean }>(
    db.prisma,
    `SELECT id, active, ${isoTimestamp("createdAt")} AS "createdAt", "physicalName",
            to_regclass(format('%I.%I', $2::text, "physicalName")) IS NOT NULL AS present
       FROM "TableVersion" WHERE "storeId" = $1 ORDER BY "createdAt" DESC, id DESC LIMIT ${MAX_VERSIONS}`,
    store.id,
    STORE_SCHEMA,
  );
  const result: StoreVersionInfo[] = [];
  for (const version of versions) {
    const rows = version.present ? await countRecords(db.prisma, version.physicalName) : null;
    result.push({ id: version.id, active: version.active, createdAt: version.createdAt, rows });
  }
  return result;
}
