import type { Database } from "./database.ts";
import { sqlName } from "./store-tables.ts";

export interface RetentionPolicy {
  /** Runs (and their node runs and logs) older than this are deleted; 0 keeps them. */
  runDays: number;
  /** Inactive table versions older than this are dropped; 0 keeps them. */
  versionDays: number;
}

/**
 * Deletes old runs and drops old, inactive table versions. The active
 * version of a store is never dropped, however old.
 */
export async function pruneHistory(db: Database, policy: RetentionPolicy): Promise<{ runs: number; versions: number }> {
  let runs = 0;
  if (policy.runDays > 0) {
    runs = await db.prisma.$executeRawUnsafe(
      `DELETE FROM "Run" WHERE "createdAt" < now() - make_interval(days => $1) AND status IN ('succeeded', 'failed', 'cancelled')`,
      policy.runDays,
    );
  }
  let versions = 0;
  if (policy.versionDays > 0) {
    const old = await db.prisma.$queryRawUnsafe<{ id: string; physicalName: string }[]>(
      `SELECT id, "physicalName" FROM "TableVersion" WHERE NOT active AND "createdAt" < now() - make_interval(days => $1)`,
      policy.versionDays,
    );
    for (const version of old) {
      await db.prisma.$transaction(async (tx) => {
        await tx.$executeRawUnsafe(`DROP TABLE IF EXISTS ${sqlName(version.physicalName)}`);
        await tx.$executeRawUnsafe(`DELETE FROM "TableVersion" WHERE id = $1 AND NOT active`, version.id);
      });
      versions++;
    }
  }
  return { runs, versions };
}
