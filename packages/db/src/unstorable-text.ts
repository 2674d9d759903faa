/** Where a value holds text PostgreSQL cannot store, and what it is. */
export interface UnstorableText {
  /** A path like `changes[0].node.code`, or "(the value)". */
  path: string;
  /** What was found, for the message, e.g. "a NUL character (\u0000)". */
  what: string;
}

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function problemOf(text: string): string | null {
  if (text.includes("\u0000")) return "a NUL character (\\u0000)";
  // A lone half of a surrogate pair is not Unicode text: jsonb refuses it as "\ud800".
  if (LONE_SURROGATE.test(text)) return "an unpaired surrogate (a broken \\ud800-\\udfff escape)";
  return null;
}

/**
 * The first string or object key in `value` that PostgreSQL cannot store in
 * text or jsonb (a NUL character, an unpaired UTF-16 surrogate); null when
 * there is none. Input is checked with this at the boundary and refused with
 * the path, instead of failing deep inside a query as a server error.
 * Iterative: a hostile nesting depth cannot overflow the stack.
 */
export function findUnstorableText(value: unknown): UnstorableText | null {
  const stack: { value: unknown; path: string }[] = [{ value, path: "" }];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const { value: current, path } = item;
    if (typeof current === "string") {
      const what = problemOf(current);
      if (what) return { path: path || "(the value)", what };
    } else if (Array.isArray(current)) {
      current.forEach((child: unknown, index) => stack.push({ value: child, path: `${path}[${index}]` }));
    } else if (current !== null && typeof current === "object") {
      for (const [key, child] of Object.entries(current)) {
        const childPath = path ? `${path}.${key}` : key;
        const what = problemOf(key);
        if (what) return { path: childPath, what };
        stack.push({ value: child, path: childPath });
      }
    }
  }
  return null;
}
