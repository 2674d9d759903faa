import { lstat, mkdir, readdir, readFile, realpath, stat, writeFile } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { GRAPH_YML, GRAPH_YML_LIMITS, graphYmlFileReferences } from "@patchbay/graph";
import { CliError } from "./cli-error.ts";

const utf8 = new TextDecoder("utf-8", { fatal: true });
// A character takes at most 4 bytes in UTF-8: a larger file cannot be within the character limit.
const MAX_FILE_BYTES = GRAPH_YML_LIMITS.maxFileChars * 4;

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}

/** True when `dir` is a folder holding a graph.yml. */
export async function isAppFolder(dir: string): Promise<boolean> {
  const info = await stat(join(dir, GRAPH_YML)).catch(() => null);
  return info?.isFile() ?? false;
}

/**
 * Reads an app folder: its graph.yml and every file it names (and the files
 * its subgraphs name), never anything outside the folder, links included.
 * A file it names but that is missing is left out: the import says which.
 */
export async function readAppFolder(dir: string): Promise<{ files: Record<string, string>; name: string }> {
  const root = await realpath(resolve(dir)).catch(() => null);
  if (root === null || !(await stat(root)).isDirectory()) throw new CliError(`No folder ${dir}. Give the folder of a Patterns app (the one holding graph.yml).`);
  if (!(await isAppFolder(root))) throw new CliError(`${dir} has no ${GRAPH_YML}. Give the folder of a Patterns app (the one holding graph.yml).`);
  const files: Record<string, string> = {};
  const tried = new Set<string>();
  const read = async (path: string): Promise<void> => {
    tried.add(path);
    const full = join(root, ...path.split("/"));
    if (!(await exists(full))) return;
    // A link may point anywhere; only its target's real place counts.
    const target = await realpath(full).catch(() => null);
    if (target === null) return;
    if (!isInside(root, target)) throw new CliError(`${path} in ${dir} links to ${target}, outside the app folder; copy the file into the folder instead.`);
    const info = await stat(target);
    if (!info.isFile()) throw new CliError(`${path} in ${dir} is not a file; graph.yml must name files.`);
    if (info.size > MAX_FILE_BYTES) {
      throw new CliError(`${path} in ${dir} is ${(info.size / 1_000_000).toFixed(1)} MB; a file of an app may have at most ${GRAPH_YML_LIMITS.maxFileChars.toLocaleString("en")} characters.`);
    }
    try {
      files[path] = utf8.decode(await readFile(target));
    } catch {
      throw new CliError(`${path} in ${dir} is not UTF-8 text; node files, readmes and charts must be text files.`);
    }
  };
  await read(GRAPH_YML);
  // Each round may add subgraph graph.ymls that name more files.
  for (;;) {
    const next = graphYmlFileReferences(files).filter((path) => !tried.has(path));
    if (next.length === 0) break;
    if (tried.size + next.length > GRAPH_YML_LIMITS.maxFiles) throw new CliError(`${dir}/${GRAPH_YML} names more than ${GRAPH_YML_LIMITS.maxFiles} files; import a smaller app.`);
    for (const path of next) await read(path);
  }
  return { files, name: basename(root) };
}

/**
 * Writes an exported app into `dir`. An existing folder must be empty unless
 * `overwrite`; even then nothing is written through a link or outside `dir`.
 */
export async function writeAppFolder(dir: string, files: Record<string, string>, overwrite: boolean): Promise<string[]> {
  const target = resolve(dir);
  await mkdir(target, { recursive: true });
  const root = await realpath(target);
  if (!(await stat(root)).isDirectory()) throw new CliError(`${dir} is not a folder.`);
  const entries = await readdir(root);
  if (entries.length > 0 && !overwrite) {
    throw new CliError(`${dir} is not empty. Export into a new or empty folder, or pass --force to overwrite the files the export writes.`);
  }
  const written: string[] = [];
  for (const [path, text] of Object.entries(files)) {
    const full = join(root, ...path.split("/"));
    await mkdir(dirname(full), { recursive: true });
    const parent = await realpath(dirname(full));
    const existing = await lstat(full).catch(() => null);
    if (!isInside(root, parent) || existing?.isSymbolicLink()) throw new CliError(`Refusing to write ${path}: it would go through a link out of ${dir}.`);
    await writeFile(full, text);
    written.push(path);
  }
  return written.sort();
}
