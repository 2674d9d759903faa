/** A lexical token of Python or of the Python-like expressions in SQL templates. */
export interface Token {
  kind: "name" | "string" | "number" | "op" | "newline";
  text: string;
  /** For strings: the decoded value. */
  value?: string;
  line: number;
}

export class TokenizeError extends Error {
  readonly line: number;
  constructor(message: string, line: number) {
    super(message);
    this.line = line;
  }
}

const STRING_PREFIX = /^[rRbBuUfF]{0,2}$/;

/**
 * Splits Python source into tokens, skipping comments and whitespace. It is not
 * a full parser: it knows strings, names, numbers and brackets, which is what
 * port inference needs, and reports unterminated strings and brackets.
 */
export function tokenizePython(source: string, firstLine = 1): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = firstLine;
  const depth: { char: string; line: number }[] = [];
  const closing: Record<string, string> = { ")": "(", "]": "[", "}": "{" };
  while (i < source.length) {
    const c = source[i] as string;
    if (c === "\n") {
      if (depth.length === 0) tokens.push({ kind: "newline", text: "\n", line });
      line++;
      i++;
    } else if (c === "#") {
      while (i < source.length && source[i] !== "\n") i++;
    } else if (c === " " || c === "\t" || c === "\r" || c === "\f") {
      i++;
    } else if (c === "\\" && source[i + 1] === "\n") {
      i += 2;
      line++;
    } else if (/[A-Za-z_\u00C0-\uFFFF]/.test(c)) {
      let j = i + 1;
      while (j < source.length && /[A-Za-z0-9_\u00C0-\uFFFF]/.test(source[j] as string)) j++;
      const word = source.slice(i, j);
      if ((source[j] === '"' || source[j] === "'") && STRING_PREFIX.test(word)) {
        const s = readString(source, j, line, word);
        tokens.push({ kind: "string", text: source.slice(i, s.end), value: s.value, line });
        line += s.newlines;
        i = s.end;
      } else {
        tokens.push({ kind: "name", text: word, line });
        i = j;
      }
    } else if (c === '"' || c === "'") {
      const s = readString(source, i, line, "");
      tokens.push({ kind: "string", text: source.slice(i, s.end), value: s.value, line });
      line += s.newlines;
      i = s.end;
    } else if (/[0-9]/.test(c) || (c === "." && /[0-9]/.test(source[i + 1] ?? ""))) {
      let j = i + 1;
      while (j < source.length && /[0-9a-zA-Z_.]/.test(source[j] as string)) {
        if ((source[j] === "e" || source[j] === "E") && (source[j + 1] === "-" || source[j + 1] === "+")) j++;
        j++;
      }
      tokens.push({ kind: "number", text: source.slice(i, j), line });
      i = j;
    } else {
      if (c === "(" || c === "[" || c === "{") depth.push({ char: c, line });
      if (c === ")" || c === "]" || c === "}") {
        const open = depth.pop();
        if (!open || open.char !== closing[c]) throw new TokenizeError(`unmatched '${c}'`, line);
      }
      const two = source.slice(i, i + 2);
      const op = ["**", "//", "==", "!=", "<=", ">=", "->", ":=", "+=", "-=", "*=", "/="].includes(two) ? two : c;
      tokens.push({ kind: "op", text: op, line });
      i += op.length;
    }
  }
  const open = depth.pop();
  if (open) throw new TokenizeError(`'${open.char}' was never closed`, open.line);
  return tokens;
}

function readString(source: string, start: number, line: number, prefix: string): { end: number; value: string; newlines: number } {
  const quote = source[start] as string;
  const triple = source.slice(start, start + 3) === quote.repeat(3);
  const delimiter = triple ? quote.repeat(3) : quote;
  const raw = /[rR]/.test(prefix);
  let i = start + delimiter.length;
  let value = "";
  let newlines = 0;
  while (i < source.length) {
    if (source.startsWith(delimiter, i)) return { end: i + delimiter.length, value, newlines };
    const c = source[i] as string;
    if (c === "\n") {
      if (!triple) break;
      newlines++;
    }
    if (c === "\\" && i + 1 < source.length) {
      const next = source[i + 1] as string;
      if (next === "\n") newlines++;
      value += raw ? c + next : (({ n: "\n", t: "\t", "\\": "\\", "'": "'", '"': '"' }) as Record<string, string>)[next] ?? c + next;
      i += 2;
      continue;
    }
    value += c;
    i++;
  }
  throw new TokenizeError("unterminated string literal", line);
}
