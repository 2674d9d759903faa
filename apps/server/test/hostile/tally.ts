import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// Counts of the hostile-input suite: each test file records how many hostile
// attempts it made, how many were refused clearly, and how many times it
// proved the stored data unchanged; the suite's global teardown
// (hostile-summary.ts) prints the totals.

export interface TallyCounts {
  attempts: number;
  refusals: number;
  intactChecks: number;
}

/** Where this run's test files leave their counts (set by hostile-summary.ts; a fixed folder when run without it). */
export function tallyDir(): string {
  return process.env["PATCHBAY_HOSTILE_TALLY_DIR"] ?? join(tmpdir(), "patchbay-hostile-tally");
}

export class Tally implements TallyCounts {
  readonly name: string;
  attempts = 0;
  refusals = 0;
  intactChecks = 0;

  constructor(name: string) {
    this.name = name;
  }

  /** One hostile attempt made. */
  attempt(count = 1): void {
    this.attempts += count;
  }

  /** One attempt answered with a clear refusal. */
  refused(count = 1): void {
    this.refusals += count;
  }

  /** The stored data was compared with a snapshot and found unchanged. */
  intact(): void {
    this.intactChecks += 1;
  }

  /** Writes the counts; called once from the file's afterAll. */
  save(): void {
    const dir = tallyDir();
    mkdirSync(dir, { recursive: true });
    const counts: TallyCounts = { attempts: this.attempts, refusals: this.refusals, intactChecks: this.intactChecks };
    writeFileSync(join(dir, `${this.name}.json`), JSON.stringify(counts));
  }
}

function isCounts(value: unknown): value is TallyCounts {
  return (
    typeof value === "object" && value !== null &&
    "attempts" in value && typeof value.attempts === "number" &&
    "refusals" in value && typeof value.refusals === "number" &&
    "intactChecks" in value && typeof value.intactChecks === "number"
  );
}

/** The counts every file left in `dir`, by file name. */
export function readTallies(dir: string): Map<string, TallyCounts> {
  const tallies = new Map<string, TallyCounts>();
  let names: string[] = [];
  try {
    names = readdirSync(dir).filter((name) => name.endsWith(".json")).sort();
  } catch {
    return tallies;
  }
  for (const name of names) {
    const parsed: unknown = JSON.parse(readFileSync(join(dir, name), "utf8"));
    if (isCounts(parsed)) tallies.set(name.slice(0, -".json".length), parsed);
  }
  return tallies;
}

/** The summary table printed at the end of a run. */
export function formatTallies(tallies: Map<string, TallyCounts>): string {
  const rows = [...tallies].map(([name, c]) => [name, String(c.attempts), String(c.refusals), String(c.intactChecks)]);
  const total = [...tallies.values()].reduce((sum, c) => ({ attempts: sum.attempts + c.attempts, refusals: sum.refusals + c.refusals, intactChecks: sum.intactChecks + c.intactChecks }), { attempts: 0, refusals: 0, intactChecks: 0 });
  rows.push(["total", String(total.attempts), String(total.refusals), String(total.intactChecks)]);
  const header = ["hostile-input suite", "attempts", "refused", "data intact checks"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join("  ");
  return [line(header), ...rows.map(line)].join("\n");
}
