import type { JsonRecord, StoreKind } from "@patchbay/runtime/protocol";
import type { Database } from "./database.ts";
import { appendRecords, lockStore } from "./store-tables.ts";

/**
 * Appends records to a store outside any node run (webhooks), in one
 * transaction under the store's lock, like a node's commit.
 */
export async function appendToStore(db: Database, graphId: string, storeName: string, kind: StoreKind, records: JsonRecord[]): Promise<number> {
  return db.prisma.$transaction(async (tx) => {
    const store = await lockStore(tx, graphId, storeName, kind);
    return appendRecords(tx, store, records);
  });
}
