import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { mkdirSync } from "node:fs";
import { PrismaClient } from "./generated/prisma/client.ts";

export type { PrismaClient } from "./generated/prisma/client.ts";

export interface DatabaseOptions {
  /** postgres://… of a PostgreSQL server. When absent, an embedded PGlite is used. */
  url?: string;
  /** Folder of the embedded PGlite database; absent means in memory. */
  dataDir?: string;
}

/** One open database: a Prisma client plus a way to run multi-statement scripts. */
export type Database = EmbeddedDatabase | ServerDatabase;

interface DatabaseBase {
  readonly prisma: PrismaClient;
  /** Runs SQL that may hold several statements (migrations), outside Prisma. */
  execScript(sql: string): Promise<void>;
  close(): Promise<void>;
}

export interface EmbeddedDatabase extends DatabaseBase {
  readonly kind: "pglite";
  /** The PGlite instance, for the job queue, which shares its single connection. */
  readonly pglite: PGlite;
}

export interface ServerDatabase extends DatabaseBase {
  readonly kind: "postgres";
  readonly url: string;
}

/**
 * Prisma's adapter for `pool`, with transactions that always give their
 * connection back. Prisma 6.19 sends COMMIT or ROLLBACK and only then releases
 * the connection: when that query fails (the server restarted under the
 * transaction), the connection stayed checked out for ever, so each restart
 * shrank the pool by one (at 10, every query would wait for ever) and
 * `pool.end()` never returned. Found by test/hostile/faults-hostile.test.ts.
 */
function releasingAdapter(pool: pg.Pool): PrismaPg {
  const factory = new PrismaPg(pool);
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    const startTransaction = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (isolationLevel) => {
      const tx = await startTransaction(isolationLevel);
      // commit() and rollback() each release the connection: at most once between them.
      let released = false;
      const once = (end: () => Promise<void>) => async () => {
        if (released) return;
        released = true;
        await end();
      };
      const rollback = once(tx.rollback.bind(tx));
      tx.commit = once(tx.commit.bind(tx));
      tx.rollback = rollback;
      const executeRaw = tx.executeRaw.bind(tx);
      tx.executeRaw = async (query) => {
        try {
          return await executeRaw(query);
        } catch (error) {
          // A dead connection is not queryable, so the pool drops it instead of reusing it.
          if (query.sql === "COMMIT" || query.sql === "ROLLBACK") await rollback().catch(() => {});
          throw error;
        }
      };
      return tx;
    };
    return adapter;
  };
  return factory;
}

/** Opens the embedded PGlite database, or a PostgreSQL server when `url` is given. */
export async function openDatabase(options: DatabaseOptions = {}): Promise<Database> {
  if (options.url) {
    // Timestamps are stored without a zone and read as UTC: every session runs in UTC,
    // whatever the server's own default time zone.
    const pool = new pg.Pool({ connectionString: options.url, max: 10, options: "-c TimeZone=UTC" });
    // An idle connection that the server closes (restart, failover, a dropped
    // database) must not crash the process; the pool opens a new one on demand.
    pool.on("error", (error) => console.error(`Database: an idle connection was closed (${error.message})`));
    const prisma = new PrismaClient({ adapter: releasingAdapter(pool) });
    return {
      kind: "postgres",
      url: options.url,
      prisma,
      async execScript(sql) {
        await pool.query(sql);
      },
      async close() {
        await prisma.$disconnect();
        await pool.end();
      },
    };
  }
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const pglite = options.dataDir ? new PGlite(options.dataDir) : new PGlite();
  await pglite.waitReady;
  const prisma = new PrismaClient({
    // @ts-expect-error pglite-prisma-adapter 0.6.1 is typed against @prisma/driver-adapter-utils 6.10,
    // Prisma 6.19 against 6.19; the runtime interface is the same (the integration tests run on it).
    adapter: new PrismaPGlite(pglite),
  });
  return {
    kind: "pglite",
    pglite,
    prisma,
    async execScript(sql) {
      await pglite.exec(sql);
    },
    async close() {
      await prisma.$disconnect();
      await pglite.close();
    },
  };
}
