/**
 * Pyodide's start-up calls process.binding("constants"), which Node's
 * permission model refuses; it only needs these to exist. Imported first by
 * the entries of sandboxed child processes (Pyodide is imported later, inside
 * createPyodide, so this runs before it).
 */
const originalBinding: unknown = Reflect.get(process, "binding");
Reflect.set(process, "binding", (name: string): unknown => {
  if (name === "constants") return { os: { signals: {}, errno: {} }, fs: {}, crypto: {} };
  if (typeof originalBinding !== "function") throw new Error(`process.binding(${name}) is not available`);
  return Reflect.apply(originalBinding, process, [name]);
});
