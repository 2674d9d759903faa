import { fileURLToPath } from "node:url";

/** This package's folder: a process loading Pyodide reads its runtime sources from here. */
const RUNTIME_PACKAGE_DIR = fileURLToPath(new URL("../../", import.meta.url));

/**
 * Node options for a child process that loads Pyodide (the sandbox workers, and the one-off
 * process that makes the memory snapshot they start from): Node's permission model, reading
 * only this package and `readDirs` (no writes, no child processes, no native addons), no
 * JavaScript compiled from strings (code that escapes Python cannot compile JavaScript), and
 * at most `memoryLimitMb` of heap.
 */
export function sandboxExecArgv(readDirs: readonly string[], memoryLimitMb: number | null = null): string[] {
  return [
    "--permission",
    `--allow-fs-read=${RUNTIME_PACKAGE_DIR}`,
    ...readDirs.map((dir) => `--allow-fs-read=${dir}`),
    "--disallow-code-generation-from-strings",
    "--disable-warning=ExperimentalWarning",
    ...(memoryLimitMb !== null ? [`--max-old-space-size=${memoryLimitMb}`] : []),
  ];
}
