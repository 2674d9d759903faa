import { createHash } from "node:crypto";
import { mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { isObject, isStringArray } from "../json-guards.ts";

/** One package of a pyodide-lock.json, the fields the server uses. */
interface LockPackage {
  name: string;
  version: string;
  fileName: string;
  sha256: string;
  depends: string[];
  imports: string[];
  packageType: string;
}

interface Lock {
  abiVersion: string | null;
  packages: Map<string, LockPackage>;
  /** Import name → normalized package name. */
  byImport: Map<string, string>;
}

export interface PackageIndexOptions {
  /** Base URL of the index: `${indexUrl}pyodide-lock.json` and the files it names. */
  indexUrl: string;
  /** Folder downloaded package files are kept in (readable by the sandbox workers). */
  packagesDir: string;
  /** The lock file of the bundled Pyodide: its ABI must match, and it names packages when the index is down. */
  bundledLockPath: string;
  /** Deadline of one `prepare` call: fetching the lock and every file (default 9 s). */
  timeoutMs?: number;
  /** Largest package file accepted (default 100 MB). */
  maxFileBytes?: number;
}

/** A package file ready for a worker to load, in install order (dependencies first). */
export interface PreparedPackage {
  name: string;
  version: string;
  fileName: string;
}

const MAX_LOCK_BYTES = 20 * 1024 * 1024;
// Only plain file names next to the lock file: no paths, no other hosts.
const FILE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.+-]*\.whl$/;
const SHA256 = /^[0-9a-f]{64}$/;

/**
 * Fetches Python packages from a Pyodide package index on behalf of the
 * sandbox workers, which have no network: maps import names to packages
 * with the index's pyodide-lock.json, downloads the files (and their
 * dependencies) into a folder the workers may read, and checks each file's
 * sha256 against the lock.
 */
export class PackageIndex {
  readonly indexUrl: string;
  private readonly packagesDir: string;
  private readonly bundledLockPath: string;
  private readonly timeoutMs: number;
  private readonly maxFileBytes: number;
  private lock: Lock | null = null;
  private bundled: Lock | null = null;
  private readonly downloads = new Map<string, Promise<void>>();

  constructor(options: PackageIndexOptions) {
    this.indexUrl = options.indexUrl.endsWith("/") ? options.indexUrl : `${options.indexUrl}/`;
    this.packagesDir = options.packagesDir;
    this.bundledLockPath = options.bundledLockPath;
    this.timeoutMs = options.timeoutMs ?? 9_000;
    this.maxFileBytes = options.maxFileBytes ?? 100 * 1024 * 1024;
  }

  /**
   * The packages (with dependencies) that provide these import names, in
   * install order, downloaded into the packages folder. Import names no
   * package provides are left out: the node's import fails with Python's own
   * error. Throws an Error whose message names the package and the URL.
   */
  async prepare(importNames: string[]): Promise<PreparedPackage[]> {
    const signal = AbortSignal.timeout(this.timeoutMs);
    let lock: Lock;
    try {
      lock = await this.indexLock(signal);
    } catch (error) {
      const names = await this.namesFromBundledLock(importNames);
      throw new Error(
        `Could not load the Python package${names.length === 1 ? "" : "s"} ${names.join(", ")}: ` +
          `the Pyodide package index at ${this.indexUrl} ${describeFailure(error, signal, this.timeoutMs)}. ` +
          "Check that the server can reach it, or point PATCHBAY_PYODIDE_INDEX_URL at a reachable mirror.",
      );
    }
    const order = resolveOrder(lock, importNames);
    await mkdir(this.packagesDir, { recursive: true, mode: 0o700 });
    await Promise.all(
      order.map(async (pkg) => {
        try {
          await this.download(pkg, signal);
        } catch (error) {
          throw new Error(
            `Could not load the Python package '${pkg.name}' from ${this.indexUrl}${pkg.fileName}: ` +
              `${describeFailure(error, signal, this.timeoutMs)}.`,
          );
        }
      }),
    );
    return order.map((pkg) => ({ name: pkg.name, version: pkg.version, fileName: pkg.fileName }));
  }

  private async indexLock(signal: AbortSignal): Promise<Lock> {
    if (this.lock) return this.lock;
    const bytes = await fetchLimited(`${this.indexUrl}pyodide-lock.json`, MAX_LOCK_BYTES, signal);
    const lock = parseLock(JSON.parse(new TextDecoder().decode(bytes)));
    const bundled = await this.bundledLock();
    if (lock.abiVersion !== bundled.abiVersion) {
      throw new Error(`is for Pyodide ABI ${lock.abiVersion ?? "unknown"}, but this server runs ABI ${bundled.abiVersion ?? "unknown"}`);
    }
    this.lock = lock;
    return lock;
  }

  private async bundledLock(): Promise<Lock> {
    this.bundled ??= parseLock(JSON.parse(await readFile(this.bundledLockPath, "utf8")));
    return this.bundled;
  }

  /** Package names for an error message, even when the index's lock is out of reach. */
  private async namesFromBundledLock(importNames: string[]): Promise<string[]> {
    let bundled: Lock | null = null;
    try {
      bundled = await this.bundledLock();
    } catch {
      // Fall back to the import names.
    }
    return [...new Set(importNames.map((name) => `'${bundled?.byImport.get(name) ?? name}'`))];
  }

  private download(pkg: LockPackage, signal: AbortSignal): Promise<void> {
    const target = join(this.packagesDir, pkg.fileName);
    let pending = this.downloads.get(target);
    if (!pending) {
      pending = (async () => {
        if (await hasSha256(target, pkg.sha256)) return;
        const bytes = await fetchLimited(`${this.indexUrl}${pkg.fileName}`, this.maxFileBytes, signal);
        const digest = createHash("sha256").update(bytes).digest("hex");
        if (digest !== pkg.sha256) throw new Error(`the file's sha256 is ${digest}, but the index's lock file says ${pkg.sha256}`);
        const partial = `${target}.${process.pid}.partial`;
        await writeFile(partial, bytes, { mode: 0o600 });
        await rename(partial, target);
      })();
      this.downloads.set(target, pending);
      // A failed download is tried again by the next run.
      pending.catch(() => this.downloads.delete(target));
    }
    return pending;
  }
}

/** The packages providing importNames and their dependencies, dependencies first. */
function resolveOrder(lock: Lock, importNames: string[]): LockPackage[] {
  const order: LockPackage[] = [];
  const visiting = new Set<string>();
  const done = new Set<string>();
  const visit = (name: string, neededBy: string): void => {
    const key = normalizeName(name);
    if (done.has(key) || visiting.has(key)) return;
    const pkg = lock.packages.get(key);
    if (!pkg) throw new Error(`The package index's lock file lists no package '${name}' (needed by '${neededBy}').`);
    visiting.add(key);
    for (const dependency of pkg.depends) visit(dependency, pkg.name);
    visiting.delete(key);
    done.add(key);
    if (pkg.packageType !== "package") {
      throw new Error(`The Python package '${pkg.name}' is a ${pkg.packageType}, which the server runtime cannot load yet.`);
    }
    order.push(pkg);
  };
  for (const importName of importNames) {
    const packageName = lock.byImport.get(importName);
    if (packageName) visit(packageName, importName);
  }
  return order;
}

function parseLock(value: unknown): Lock {
  if (!isObject(value) || !isObject(value.packages)) throw new Error("is not a pyodide-lock.json (no packages)");
  const abiVersion = isObject(value.info) && typeof value.info.abi_version === "string" ? value.info.abi_version : null;
  const packages = new Map<string, LockPackage>();
  const byImport = new Map<string, string>();
  for (const [key, entry] of Object.entries(value.packages)) {
    if (!isObject(entry)) continue;
    const { name, version, file_name: fileName, sha256, depends, imports, package_type: packageType } = entry;
    if (typeof name !== "string" || typeof version !== "string" || typeof fileName !== "string") continue;
    // Entries the server could not fetch safely are left out, as if unknown.
    if (!FILE_NAME.test(fileName) && packageType !== "shared_library") continue;
    if (typeof sha256 !== "string" || !SHA256.test(sha256)) continue;
    const pkg: LockPackage = {
      name,
      version,
      fileName,
      sha256,
      depends: isStringArray(depends) ? depends : [],
      imports: isStringArray(imports) ? imports : [],
      packageType: typeof packageType === "string" ? packageType : "package",
    };
    packages.set(normalizeName(key), pkg);
    for (const importName of pkg.imports) byImport.set(importName, normalizeName(key));
  }
  return { abiVersion, packages, byImport };
}

/** PEP 503 names: case and runs of -_. do not matter. */
function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}

async function hasSha256(path: string, sha256: string): Promise<boolean> {
  try {
    if (!(await stat(path)).isFile()) return false;
    return createHash("sha256").update(await readFile(path)).digest("hex") === sha256;
  } catch {
    return false;
  }
}

/** GETs a URL into memory, refusing bodies over maxBytes. */
async function fetchLimited(url: string, maxBytes: number, signal: AbortSignal): Promise<Uint8Array> {
  const response = await fetch(url, { signal, redirect: "follow" });
  if (!response.ok) throw new Error(`answered HTTP ${response.status} for ${url}`);
  const declared = Number(response.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw new Error(`${url} is larger than the limit of ${maxBytes} bytes`);
  if (!response.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of response.body) {
    total += chunk.byteLength;
    if (total > maxBytes) throw new Error(`${url} is larger than the limit of ${maxBytes} bytes`);
    chunks.push(chunk);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

function describeFailure(error: unknown, signal: AbortSignal, timeoutMs: number): string {
  if (signal.aborted) return `did not answer within ${Math.round(timeoutMs / 100) / 10} s`;
  const message = error instanceof Error ? error.message : String(error);
  const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : "";
  if (message === "fetch failed") return `cannot be reached${cause}`;
  return message.startsWith("answered") || message.startsWith("is ") ? message : `failed: ${message}${cause}`;
}
