import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const LOCK_FILE = "patchbay.pid";

/** The embedded database is in use by another process. */
export class DataDirLockedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DataDirLockedError";
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return error instanceof Error && "code" in error && error.code === "EPERM";
  }
}

/**
 * Claims DATA_DIR for this process. The embedded database (PGlite) is one
 * process's files: a second process opening them at the same time corrupts
 * them, and PGlite itself does not stop it. `<DATA_DIR>/patchbay.pid` names
 * the holder; a holder that is gone leaves a stale file that is taken over.
 * PGlite's own `postmaster.pid` without a live holder means a server that
 * does not take this lock has the database open, or one stopped abruptly.
 * Returns the release function.
 */
export function acquireDataDirLock(dataDir: string, pgliteDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const lockPath = join(dataDir, LOCK_FILE);
  if (existsSync(lockPath)) {
    const pid = Number.parseInt(readFileSync(lockPath, "utf8").trim(), 10);
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
      throw new DataDirLockedError(
        `Another Patchbay process (pid ${pid}) is using the embedded database in ${dataDir}. ` +
          "PGlite allows one process at a time: stop that process (the server, or another patchbay command) and try again, " +
          "or point DATABASE_URL at a PostgreSQL server, which any number of processes may share.",
      );
    }
  } else if (existsSync(join(pgliteDir, "postmaster.pid"))) {
    throw new DataDirLockedError(
      `The embedded database in ${pgliteDir} is open in another process (is the Patchbay server running on this DATA_DIR?), ` +
        "or a process using it was stopped abruptly. PGlite allows one process at a time: stop the server and try again. " +
        `If nothing is using it, delete ${join(pgliteDir, "postmaster.pid")} and try again.`,
    );
  }
  writeFileSync(lockPath, `${process.pid}\n`);
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    try {
      if (readFileSync(lockPath, "utf8").trim() === String(process.pid)) rmSync(lockPath, { force: true });
    } catch {
      // Already gone: nothing to release.
    }
  };
  process.once("exit", release);
  return release;
}
