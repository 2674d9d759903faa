import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readEnv } from "../src/env.ts";
import { startApp } from "../src/app.ts";

describe("server settings", () => {
  it("refuses RUN_WORKERS=false with the embedded database, where no worker could ever run a node", async () => {
    const dir = mkdtempSync(join(tmpdir(), "patchbay-config-"));
    try {
      await expect(startApp(readEnv({ PORT: "0", HOST: "127.0.0.1", DATA_DIR: dir, RUN_WORKERS: "false" }))).rejects.toThrow(/RUN_WORKERS=false needs DATABASE_URL/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
