/** A file path named in graph.yml, checked and made relative to the app folder, or why it was refused. */
export type AppPathResult = { ok: true; path: string } | { ok: false; reason: string };

const MAX_PATH_CHARS = 500;

/** The folder part of an app-relative path: "" for "graph.yml", "sub/" for "sub/graph.yml". */
export function folderOf(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? "" : path.slice(0, slash + 1);
}

/**
 * Resolves `reference` (as written in the graph.yml at `fromFile`) to a path
 * relative to the app folder. Anything that could leave the folder is refused
 * outright, `..` included, so a reader can never be pointed outside it.
 */
export function resolveAppPath(fromFile: string, reference: unknown): AppPathResult {
  if (typeof reference !== "string" || reference.trim() === "") return { ok: false, reason: "must be a file path, e.g. transform.py" };
  if (reference.length > MAX_PATH_CHARS) return { ok: false, reason: `is longer than ${MAX_PATH_CHARS} characters` };
  // Control characters (NUL above all) can truncate paths in the layers below.
  if (/[\u0000-\u001f\u007f]/.test(reference)) return { ok: false, reason: "contains control characters" };
  if (reference.includes("\\")) return { ok: false, reason: `uses backslashes; write "${reference.replaceAll("\\", "/")}" with forward slashes` };
  if (reference.startsWith("/") || reference.startsWith("~") || /^[A-Za-z]:/.test(reference)) {
    return { ok: false, reason: `"${reference}" is an absolute path; name files relative to the app folder, e.g. "transform.py"` };
  }
  const segments = `${folderOf(fromFile)}${reference}`.split("/").filter((segment) => segment !== "" && segment !== ".");
  if (segments.includes("..")) return { ok: false, reason: `"${reference}" uses "..": files must be inside the app folder` };
  if (segments.length === 0) return { ok: false, reason: "must name a file" };
  return { ok: true, path: segments.join("/") };
}
