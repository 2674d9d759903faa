import { dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { PyodideAPI } from "pyodide";
import { loadPatternsRuntime } from "../executor.ts";
import { readPatternsSources } from "./patterns-sources.ts";

export interface CreatePyodideOptions {
  /** Folder of the Pyodide distribution (pyodide.mjs, pyodide.asm.wasm, …); default: the installed npm package. */
  indexURL?: string;
  /** Where Python's stdout goes before node runs redirect it (start-up messages). */
  stdout?(line: string): void;
  stderr?(line: string): void;
}

/** The folder of the installed `pyodide` npm package, with a trailing slash. */
export function findPyodideDir(): string {
  return `${dirname(fileURLToPath(import.meta.resolve("pyodide")))}/`;
}

/**
 * Loads Pyodide in Node with an empty environment and installs the patterns
 * runtime. (A memory snapshot taken after this step is the planned way to
 * make start-up fast: it would replace the two steps here.)
 */
export async function createPyodide(options: CreatePyodideOptions = {}): Promise<PyodideAPI> {
  const indexURL = options.indexURL ?? findPyodideDir();
  const dir = indexURL.endsWith("/") ? indexURL : `${indexURL}/`;
  // Import from indexURL itself, so the JS and the wasm always match.
  const module: unknown = await import(pathToFileURL(`${dir}pyodide.mjs`).href);
  const loadPyodide = isPyodideModule(module) ? module.loadPyodide : null;
  if (!loadPyodide) throw new Error(`No Pyodide found in ${dir}`);
  const pyodide = await loadPyodide({
    indexURL: dir,
    env: { HOME: "/home/pyodide" },
    stdout: options.stdout ?? (() => {}),
    stderr: options.stderr ?? (() => {}),
  });
  loadPatternsRuntime(pyodide, readPatternsSources());
  return pyodide;
}

type LoadPyodide = typeof import("pyodide").loadPyodide;

function isPyodideModule(value: unknown): value is { loadPyodide: LoadPyodide } {
  return typeof value === "object" && value !== null && "loadPyodide" in value && typeof value.loadPyodide === "function";
}
