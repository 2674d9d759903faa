import { STORE_SCHEMA, type Database } from "@patchbay/db";

// "A fingerprint of everything stored": one hash per table, so a hostile
// attempt can be proved to have changed nothing, and a failure names the
// table that changed.

/**
 * The app's tables and what of each is compared. Sessions are left out (every
 * sign-in makes one), and so are API tokens' last-used times and graphs'
 * updatedAt (an edit always bumps the revision, which is compared).
 */
const TABLES: Record<string, string> = {
  Workspace: `id, name`,
  User: `id, email, "passwordHash"`,
  Membership: `"userId", "workspaceId", role`,
  ApiToken: `id, "workspaceId", "userId", name, role, "tokenHash"`,
  Invite: `*`,
  Secret: `*`,
  Graph: `id, "workspaceId", title, slug, description, document, revision, settings`,
  GraphVersion: `*`,
  Webhook: `*`,
  Store: `*`,
  TableVersion: `*`,
  StreamCursor: `*`,
  NodeState: `*`,
  Run: `*`,
  NodeRun: `*`,
};

/** Table name → "<rows>:<md5 of all rows>", for the app's tables and every store table (`store.<name>`). */
export async function fingerprintStored(db: Database): Promise<Record<string, string>> {
  const print: Record<string, string> = {};
  const hash = async (from: string, columns: string): Promise<string> => {
    const rows = await db.prisma.$queryRawUnsafe<{ n: number; digest: string }[]>(
      `SELECT count(*)::int AS n, md5(coalesce(string_agg(r::text, '|' ORDER BY r::text), '')) AS digest FROM (SELECT ${columns} FROM ${from}) r`,
    );
    const row = rows[0];
    return row ? `${row.n}:${row.digest}` : "?";
  };
  for (const [table, columns] of Object.entries(TABLES)) print[table] = await hash(`"${table}"`, columns);
  const stores = await db.prisma.$queryRawUnsafe<{ name: string }[]>(
    `SELECT table_name::text AS name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1`,
    STORE_SCHEMA,
  );
  for (const { name } of stores) print[`store.${name}`] = await hash(`"${STORE_SCHEMA}"."${name.replace(/"/g, '""')}"`, "*");
  return print;
}

/** The tables whose fingerprint differs between two snapshots (empty: nothing stored changed). */
export function changedTables(before: Record<string, string>, after: Record<string, string>): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((name) => before[name] !== after[name]).sort();
}
