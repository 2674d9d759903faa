import type { Column, JsonRecord } from "@patchbay/runtime/protocol";
import type { Database } from "./database.ts";
import { activeVersion, countRecords, findStore, readRecords, tableColumns } from "./store-tables.ts";

export interface StorePreview {
  exists: boolean;
  columns: Column[];
  rows: JsonRecord[];
  total: number;
}

const MAX_PREVIEW_ROWS = 500;

/** A page of a store's active version, for the data preview. */
export async function previewStore(
  db: Database,
  graphId: string,
  storeName: string,
  page: { offset: number; limit: number; orderBy?: { column: string; descending: boolean } },
): Promise<StorePreview> {
  const store = await findStore(db.prisma, graphId, storeName);
  const version = store ? await activeVersion(db.prisma, store.id) : null;
  if (!version) return { exists: false, columns: [], rows: [], total: 0 };
  const columns = await tableColumns(db.prisma, version.physicalName);
  const orderBy = page.orderBy && columns.some((c) => c.name === page.orderBy?.column) ? page.orderBy : undefined;
  return {
    exists: true,
    columns,
    total: await countRecords(db.prisma, version.physicalName),
    rows: await readRecords(db.prisma, version.physicalName, {
      offset: Math.max(0, page.offset),
      limit: Math.min(Math.max(1, page.limit), MAX_PREVIEW_ROWS),
      ...(orderBy ? { orderBy } : {}),
    }),
  };
}
