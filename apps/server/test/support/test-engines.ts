import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServerDatabase } from "@patchbay/db/testing";

/** Where a test app keeps its data: embedded PGlite, or a PostgreSQL server. */
export interface TestEngine {
  name: "pglite" | "postgres";
  /**
   * A fresh, empty place: a temporary DATA_DIR (holding PGlite's files, or with a new database
   * on the PostgreSQL server), as env for readEnv, and how to remove it again.
   */
  setup(): Promise<{ env: Record<string, string>; dataDir: string; cleanup(): Promise<void> }>;
}

/**
 * PGlite always; the PostgreSQL server too when PATCHBAY_TEST_DATABASE_URL names one (and
 * `postgres` is not false). `prefix` names the temporary folders.
 */
export function testEngines(prefix: string, options: { postgres: boolean } = { postgres: true }): TestEngine[] {
  const engines: TestEngine[] = [
    {
      name: "pglite",
      async setup() {
        const dir = mkdtempSync(join(tmpdir(), prefix));
        return { env: { DATA_DIR: dir }, dataDir: dir, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
      },
    },
  ];
  const serverUrl = process.env["PATCHBAY_TEST_DATABASE_URL"];
  if (serverUrl && options.postgres) {
    engines.push({
      name: "postgres",
      async setup() {
        const created = await createServerDatabase(serverUrl);
        const dir = mkdtempSync(join(tmpdir(), prefix));
        return {
          env: { DATABASE_URL: created.url, DATA_DIR: dir },
          dataDir: dir,
          cleanup: async () => {
            await created.drop();
            rmSync(dir, { recursive: true, force: true });
          },
        };
      },
    });
  }
  return engines;
}
