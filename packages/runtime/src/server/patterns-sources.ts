import { readdirSync, readFileSync } from "node:fs";

/** The folder holding the Python `patterns` package. */
export const PATTERNS_PYTHON_DIR = new URL("../../python/patterns/", import.meta.url);

/** Reads the `patterns` package's .py files (file name → source) for loadPatternsRuntime. */
export function readPatternsSources(): Record<string, string> {
  const sources: Record<string, string> = {};
  for (const fileName of readdirSync(PATTERNS_PYTHON_DIR).sort()) {
    if (fileName.endsWith(".py")) sources[fileName] = readFileSync(new URL(fileName, PATTERNS_PYTHON_DIR), "utf8");
  }
  return sources;
}
