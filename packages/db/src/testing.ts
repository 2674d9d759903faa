import pg from "pg";
import { openDatabase, type Database } from "./database.ts";
import { migrate } from "./migrations.ts";

/** A database engine the integration tests run against. */
export interface TestDatabaseEngine {
  name: "pglite" | "postgres";
  /** A fresh, migrated, empty database. */
  open(): Promise<Database>;
}

/**
 * PGlite always; a PostgreSQL server too when PATCHBAY_TEST_DATABASE_URL
 * points at one (a role that may create databases). Each `open()` gets its
 * own new database, dropped when it is closed.
 */
export function testDatabaseEngines(): TestDatabaseEngine[] {
  const engines: TestDatabaseEngine[] = [
    {
      name: "pglite",
      async open() {
        const db = await openDatabase();
        await migrate(db);
        return db;
      },
    },
  ];
  const serverUrl = process.env["PATCHBAY_TEST_DATABASE_URL"];
  if (serverUrl) engines.push({ name: "postgres", open: () => openFreshServerDatabase(serverUrl) });
  return engines;
}

let counter = 0;

/** Creates a new, empty database on the server behind `serverUrl`; `drop()` removes it. */
export async function createServerDatabase(serverUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `patchbay_t_${process.pid}_${Date.now()}_${counter++}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/** Creates a new database on the server behind `serverUrl` and opens it, migrated. */
export async function openFreshServerDatabase(serverUrl: string): Promise<Database> {
  const created = await createServerDatabase(serverUrl);
  const db = await openDatabase({ url: created.url });
  await migrate(db);
  return {
    ...db,
    async close() {
      await db.close();
      await created.drop();
    },
  };
}
