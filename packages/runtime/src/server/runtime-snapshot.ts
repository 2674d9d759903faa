import { fork } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { isObject } from "../json-guards.ts";
import { readPyodideVersion } from "./create-pyodide.ts";
import { readPatternsSources } from "./patterns-sources.ts";
import { sandboxExecArgv } from "./sandbox-exec-args.ts";

const MAKER_ENTRY = fileURLToPath(new URL("./snapshot-maker.ts", import.meta.url));
const MAKER_TIMEOUT_MS = 120_000;
// Bump when what goes into the snapshot changes in a way the hashed inputs miss.
const SNAPSHOT_FORMAT = "1";

const making = new Map<string, Promise<string>>();

/**
 * The path of a memory snapshot of Pyodide with the patterns runtime
 * imported, made once and cached in `cacheDir/snapshots/` under a name keyed
 * by the Pyodide build and a hash of the runtime's sources, so a changed
 * runtime or Pyodide gets a new snapshot. The snapshot is made in a one-off
 * child process with the sandbox's permissions and written by this process.
 */
export async function ensureRuntimeSnapshot(cacheDir: string, pyodideDir: string): Promise<string> {
  const key = await snapshotKey(pyodideDir);
  const path = join(cacheDir, "snapshots", `${key}.snapshot`);
  const existing = making.get(path);
  if (existing) return existing;
  const made = (async () => {
    if (await isFile(path)) return path;
    await mkdir(join(cacheDir, "snapshots"), { recursive: true, mode: 0o700 });
    const bytes = await makeSnapshotInChild(pyodideDir);
    // Written under a temporary name and renamed, so a reader never sees half a file.
    const partial = `${path}.${process.pid}.partial`;
    await writeFile(partial, bytes, { mode: 0o600 });
    await rename(partial, path);
    return path;
  })();
  making.set(path, made);
  made.catch(() => making.delete(path));
  return made;
}

async function snapshotKey(pyodideDir: string): Promise<string> {
  const hash = createHash("sha256");
  hash.update(SNAPSHOT_FORMAT);
  hash.update(process.version);
  // The wasm binary identifies the Pyodide build; a snapshot only fits the build that made it.
  hash.update(await readFile(join(pyodideDir, "pyodide.asm.wasm")));
  hash.update(await readFile(MAKER_ENTRY));
  for (const [fileName, source] of Object.entries(readPatternsSources())) hash.update(`${fileName}\0${source}\0`);
  return `pyodide-${readPyodideVersion(pyodideDir) ?? "unknown"}-${hash.digest("hex").slice(0, 16)}`;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

function makeSnapshotInChild(pyodideDir: string): Promise<Uint8Array> {
  const dir = pyodideDir.endsWith("/") ? pyodideDir : `${pyodideDir}/`;
  const child = fork(MAKER_ENTRY, [dir], {
    env: {},
    execArgv: sandboxExecArgv([dir]),
    stdio: ["ignore", "ignore", "pipe", "ipc"],
    // Structured clone: the ~31 MB snapshot crosses as bytes, not JSON.
    serialization: "advanced",
  });
  let stderr = "";
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  return new Promise<Uint8Array>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`Making the Pyodide memory snapshot took longer than ${MAKER_TIMEOUT_MS / 1000} s`));
    }, MAKER_TIMEOUT_MS);
    child.on("message", (message: unknown) => {
      if (isObject(message) && message.type === "snapshot" && message.bytes instanceof Uint8Array) {
        clearTimeout(timer);
        resolve(message.bytes);
      }
    });
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`Making the Pyodide memory snapshot failed (${signal ?? `exit code ${code}`}): ${stderr.trim() || "no output"}`));
    });
  });
}

/** Removes a folder made for one pool (a default cache). */
export async function removeCacheDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
