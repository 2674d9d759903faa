// `npm test`: typecheck, unit and integration tests (PGlite, and a PostgreSQL
// server when PATCHBAY_TEST_DATABASE_URL names one), then the end-to-end tests
// in a real Chromium. Ends with one line: "tests: N passed, N failed".
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { findChromium } from "../apps/web/e2e/find-chromium.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", FORCE_COLOR: process.env["CI"] ? "0" : "1" };
const totals = { passed: 0, failed: 0, skipped: 0 };

function step(title: string, command: string, args: string[]): void {
  console.log(`\n=== ${title}: ${command} ${args.join(" ")}`);
  const result = spawnSync(command, args, { cwd: root, env, stdio: "inherit" });
  if (result.status !== 0) {
    console.error(`\n${title} failed (exit ${result.status ?? result.signal}).`);
    summary();
    process.exit(1);
  }
}

function vitest(title: string, config: string): void {
  const report = join(mkdtempSync(join(tmpdir(), "patchbay-test-")), "report.json");
  const args = ["node_modules/vitest/vitest.mjs", "run", "-c", config, "--reporter=default", "--reporter=json", `--outputFile.json=${report}`];
  console.log(`\n=== ${title}`);
  const result = spawnSync(process.execPath, args, { cwd: root, env, stdio: "inherit" });
  try {
    const json: { numPassedTests: number; numFailedTests: number; numPendingTests: number } = JSON.parse(readFileSync(report, "utf8"));
    totals.passed += json.numPassedTests;
    totals.failed += json.numFailedTests;
    totals.skipped += json.numPendingTests;
  } catch {
    totals.failed += 1;
  }
  rmSync(join(report, ".."), { recursive: true, force: true });
  if (result.status !== 0) {
    console.error(`\n${title} failed.`);
    summary();
    process.exit(1);
  }
}

function summary(): void {
  console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
}

// Fail at once, with the install command, when there is no browser for the end-to-end tests.
let chromium: string;
try {
  chromium = findChromium();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
env["PATCHBAY_CHROMIUM"] = chromium;
console.log(`Chromium: ${chromium}`);
console.log(
  env["PATCHBAY_TEST_DATABASE_URL"]
    ? "PostgreSQL server for integration tests: PATCHBAY_TEST_DATABASE_URL"
    : "No PATCHBAY_TEST_DATABASE_URL: integration tests run on PGlite only (.ci/run also starts a PostgreSQL server).",
);

step("Typecheck", process.execPath, ["node_modules/turbo/bin/turbo", "run", "typecheck", "--output-logs=errors-only"]);
vitest("Unit and integration tests", "vitest.config.ts");
step("Build the web app", "npm", ["run", "build", "-w", "@patchbay/web"]);
vitest("End-to-end tests (Chromium)", "apps/web/vitest.e2e.config.ts");
summary();
