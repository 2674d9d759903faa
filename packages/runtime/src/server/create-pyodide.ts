import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { PyodideAPI } from "pyodide";
import { loadPatternsRuntime } from "../executor.ts";
import { isObject } from "../json-guards.ts";
import { readPatternsSources } from "./patterns-sources.ts";

export interface CreatePyodideOptions {
  /** Folder of the Pyodide distribution (pyodide.mjs, pyodide.asm.wasm, …); default: the installed npm package. */
  indexURL?: string;
  /** Where Python's stdout goes before node runs redirect it (start-up messages). */
  stdout?(line: string): void;
  stderr?(line: string): void;
  /** A memory snapshot made by makeRuntimeSnapshot: start from it instead of booting Python (~0.3 s instead of ~3 s). */
  snapshot?: Uint8Array;
  /** Boot so that `makeMemorySnapshot()` can be called afterwards (see makeRuntimeSnapshot). */
  makeSnapshot?: boolean;
  /** Folder packages are loaded from by name (Node only; default: indexURL). */
  packageCacheDir?: string;
}

/** The folder of the installed `pyodide` npm package, with a trailing slash. */
export function findPyodideDir(): string {
  return `${dirname(fileURLToPath(import.meta.resolve("pyodide")))}/`;
}

/** The version of the Pyodide distribution in a folder (from its package.json), or null. */
export function readPyodideVersion(pyodideDir: string): string | null {
  try {
    const parsed: unknown = JSON.parse(readFileSync(join(pyodideDir, "package.json"), "utf8"));
    if (isObject(parsed) && typeof parsed.version === "string" && /^[\w.+-]+$/.test(parsed.version)) return parsed.version;
  } catch {
    // A Pyodide folder without package.json (e.g. a copied distribution).
  }
  return null;
}

/** The official CDN index of the packages built for a Pyodide version. */
export function defaultPackageIndexUrl(pyodideDir: string): string {
  return `https://cdn.jsdelivr.net/pyodide/v${readPyodideVersion(pyodideDir) ?? "0.0.0"}/full/`;
}

/**
 * Loads Pyodide in Node with an empty environment and installs the patterns
 * runtime, either by booting Python or from a memory snapshot that already
 * has it imported.
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
    ...(options.packageCacheDir ? { packageCacheDir: options.packageCacheDir } : {}),
    ...(options.makeSnapshot ? { _makeSnapshot: true } : {}),
    ...(options.snapshot ? { _loadSnapshot: options.snapshot } : {}),
  });
  // From a snapshot the modules are already imported, but the file system is
  // not part of it: this writes the sources back (for tracebacks) and
  // captures the state every run is reset to.
  loadPatternsRuntime(pyodide, readPatternsSources());
  return pyodide;
}

type LoadPyodide = typeof import("pyodide").loadPyodide;

function isPyodideModule(value: unknown): value is { loadPyodide: LoadPyodide } {
  return typeof value === "object" && value !== null && "loadPyodide" in value && typeof value.loadPyodide === "function";
}
