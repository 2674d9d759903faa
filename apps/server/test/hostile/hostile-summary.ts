import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatTallies, readTallies } from "./tally.ts";

// Vitest global setup of apps/server: gives the hostile-input test files a
// fresh folder for their counts (through the environment the test workers
// inherit) and prints the totals once every file has finished.
export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), "patchbay-hostile-tally-"));
  process.env["PATCHBAY_HOSTILE_TALLY_DIR"] = dir;
  return () => {
    const tallies = readTallies(dir);
    if (tallies.size > 0) console.log(`\n${formatTallies(tallies)}\n`);
    rmSync(dir, { recursive: true, force: true });
  };
}
