import { isPair, isScalar, LineCounter, parseDocument, visit, type Document } from "yaml";
import { GRAPH_YML_LIMITS } from "./limits.ts";
import type { ProblemList } from "./problems.ts";

/** A key path into a YAML value, e.g. ["functions", 2, "node_file"]. */
export type KeyPath = readonly (string | number)[];

/** `functions[2].node_file` */
export function formatKeyPath(path: KeyPath): string {
  let text = "";
  for (const part of path) text += typeof part === "number" ? `[${part}]` : text ? `.${part}` : part;
  return text;
}

/** A parsed YAML file: its plain value, and the line of any key path for error messages. */
export interface YamlSource {
  file: string;
  value: unknown;
  lineOf(path: KeyPath): number | undefined;
}

/**
 * Parses YAML text into plain data, reporting syntax errors with their line,
 * alias bombs, non-text keys, `__proto__` keys, non-finite numbers and deep
 * nesting as problems. Returns null when the file cannot be used at all.
 */
export function parseYamlSource(file: string, text: string, problems: ProblemList): YamlSource | null {
  const lineCounter = new LineCounter();
  let doc: Document.Parsed;
  try {
    // prettyErrors is what fills in each error's line and column.
    doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: true });
  } catch (error) {
    // The parser recurses; absurd nesting ends in a RangeError rather than a YAML error.
    problems.error({ file, message: `could not be read as YAML (${error instanceof Error ? error.message : String(error)}); nesting may be too deep` });
    return null;
  }
  if (doc.errors.length) {
    // The parser records its own stack overflow on absurd nesting as a syntax error at some column;
    // "check indentation" would send the user the wrong way.
    if (doc.errors.some((error) => error.message.includes("Maximum call stack size exceeded"))) {
      problems.error({ file, message: `nests lists and mappings too deeply to be read (at most ${GRAPH_YML_LIMITS.maxValueDepth} levels are allowed); flatten it.` });
      return null;
    }
    for (const error of doc.errors.slice(0, 5)) {
      const position = error.linePos?.[0];
      problems.error({
        file,
        ...(position ? { line: position.line } : {}),
        message: `YAML syntax error${position ? ` at column ${position.col}` : ""}: ${(error.message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "")}. Fix the YAML there (check indentation, colons and brackets).`,
      });
    }
    return null;
  }
  const lineAt = (offset: number | undefined) => (offset === undefined ? undefined : lineCounter.linePos(offset).line);
  let badKeys = 0;
  visit(doc, {
    Pair(_, pair) {
      if (!isPair(pair)) return;
      const key = pair.key;
      const line = isScalar(key) ? lineAt(key.range?.[0]) : undefined;
      const where = line !== undefined ? { line } : {};
      if (!isScalar(key) || (key.value !== null && typeof key.value === "object")) {
        problems.error({ file, ...where, message: "uses a list or mapping as a key; keys must be plain text" });
        badKeys++;
      } else if (key.value === "__proto__") {
        // Harmless in the parsed data, but a trap for any code that copies it into a plain object later.
        problems.error({ file, ...where, message: 'uses the key "__proto__", which is not allowed; rename it' });
        badKeys++;
      }
    },
  });
  if (badKeys) return null;
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: GRAPH_YML_LIMITS.maxAliasCount });
  } catch (error) {
    if (error instanceof ReferenceError) {
      problems.error({ file, message: `uses YAML aliases (*name) that expand too far (${error.message}); a file that multiplies itself like this is refused. Write the values out instead of aliasing them.` });
    } else {
      problems.error({ file, message: `could not be read as YAML (${error instanceof Error ? error.message : String(error)})` });
    }
    return null;
  }
  const source: YamlSource = {
    file,
    value,
    lineOf(path) {
      // The nearest node along the path that exists, so an empty value still points at its key.
      for (let length = path.length; length >= 0; length--) {
        const node: unknown = doc.getIn(path.slice(0, length), true);
        if (node && typeof node === "object" && "range" in node && Array.isArray(node.range)) {
          const start: unknown = node.range[0];
          if (typeof start === "number") return lineAt(start);
        }
      }
      return undefined;
    },
  };
  if (!checkPlainValue(source, value, [], problems)) return null;
  return source;
}

/** Rejects what JSON cannot hold (NaN, ±Infinity) and nesting deeper than the limit. */
function checkPlainValue(source: YamlSource, value: unknown, path: (string | number)[], problems: ProblemList): boolean {
  if (path.length > GRAPH_YML_LIMITS.maxValueDepth) {
    problems.error({ file: source.file, key: formatKeyPath(path.slice(0, 3)), message: `nests lists and mappings more than ${GRAPH_YML_LIMITS.maxValueDepth} levels deep` });
    return false;
  }
  if (typeof value === "number" && !Number.isFinite(value)) {
    const line = source.lineOf(path);
    problems.error({ file: source.file, key: formatKeyPath(path), ...(line !== undefined ? { line } : {}), message: "is not a finite number (.inf or .nan); write a number or a quoted string" });
    return false;
  }
  if (Array.isArray(value)) return value.every((item, index) => checkPlainValue(source, item, [...path, index], problems));
  if (value && typeof value === "object") return Object.entries(value).every(([key, item]) => checkPlainValue(source, item, [...path, key], problems));
  return true;
}
