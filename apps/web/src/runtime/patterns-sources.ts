// The Python `patterns` package, bundled as text at build time: the same
// files the server's workers read from packages/runtime/python/patterns.
const modules = import.meta.glob<string>("../../../../packages/runtime/python/patterns/*.py", { query: "?raw", import: "default", eager: true });

/** File name (e.g. "table.py") → source, as loadPatternsRuntime takes them. */
export function patternsSources(): Record<string, string> {
  const sources: Record<string, string> = {};
  for (const [path, source] of Object.entries(modules)) {
    const fileName = path.slice(path.lastIndexOf("/") + 1);
    sources[fileName] = source;
  }
  if (!sources["__init__.py"]) throw new Error("The patterns Python package is missing from this build.");
  return sources;
}
