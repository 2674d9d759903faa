import type { ApiClass } from "./node-api-docs.ts";

/** What the code editor should offer at the cursor. */
export type CompletionContext =
  /** Inside the name string of `Table("…` / `Stream("…`: the graph's store names. */
  | { type: "storeName"; kind: "table" | "stream" }
  /** After `orders.` where `orders = Table(...)`: that class's methods. */
  | { type: "member"; className: ApiClass["name"] }
  /** Inside the brackets of a call of the node API: its keyword arguments. */
  | { type: "argument"; className: ApiClass["name"]; member: string | null; used: string[] }
  /** After `type=` in a Parameter call. */
  | { type: "parameterType" }
  /** SQL after FROM or JOIN: store references as templates. */
  | { type: "sqlStore" }
  /** SQL inside `{{ … }}`: Table(...) and Parameter(...). */
  | { type: "sqlTemplate" }
  | { type: "global" };

const STORE_STRING = /\b(Table|Stream)\(\s*(?:name\s*=\s*)?["']([^"'\n]*)$/;

function classOfVariable(code: string, name: string): ApiClass["name"] | null {
  if (name === "Table" || name === "Stream" || name === "State") return null;
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const assignment = new RegExp(`^\\s*${escaped}\\s*(?::[^=]*)?=\\s*(Table|Stream|State)\\s*\\(`, "m").exec(code);
  const kind = assignment?.[1];
  return kind === "Table" || kind === "Stream" || kind === "State" ? kind : null;
}

/** The completion context in Python code at `offset` (characters from the start). */
export function pythonCompletionContext(code: string, offset: number): CompletionContext {
  const before = code.slice(0, offset);
  const line = before.slice(before.lastIndexOf("\n") + 1);
  const store = STORE_STRING.exec(line);
  if (store) return { type: "storeName", kind: store[1] === "Stream" ? "stream" : "table" };
  if (/\bParameter\(.*\btype\s*=\s*\w*$/.test(line)) return { type: "parameterType" };
  const direct = /\b(Table|Stream|State)\([^()]*\)\.\w*$/.exec(line);
  if (direct?.[1] === "Table" || direct?.[1] === "Stream" || direct?.[1] === "State") return { type: "member", className: direct[1] };
  const call = openCall(code, line);
  if (call) return call;
  const member = /([A-Za-z_]\w*)\.\w*$/.exec(line);
  if (member?.[1]) {
    const className = classOfVariable(code, member[1]);
    return className ? { type: "member", className } : { type: "global" };
  }
  return { type: "global" };
}

/** The completion context in a SQL node's template at `offset`. */
export function sqlCompletionContext(code: string, offset: number): CompletionContext {
  const before = code.slice(0, offset);
  if (before.lastIndexOf("{{") > before.lastIndexOf("}}")) {
    const inside = before.slice(before.lastIndexOf("{{") + 2);
    const store = STORE_STRING.exec(inside);
    if (store) return { type: "storeName", kind: store[1] === "Stream" ? "stream" : "table" };
    return { type: "sqlTemplate" };
  }
  if (/\b(from|join)\s+[\w"]*$/i.test(before)) return { type: "sqlStore" };
  return { type: "global" };
}

/** The method or class named at a hover: `orders.append` gives Table's `append`. */
export function hoverTarget(code: string, lineText: string, wordStart: number, word: string): { className: ApiClass["name"] | null; member: string | null } {
  if (word === "Table" || word === "Stream" || word === "State" || word === "Parameter" || word === "Connection") return { className: word, member: null };
  const prefix = lineText.slice(0, wordStart);
  const owner = /([A-Za-z_]\w*)\.$/.exec(prefix)?.[1];
  if (owner) return { className: classOfVariable(code, owner), member: word };
  const direct = /\b(Table|Stream|State)\([^()]*\)\.$/.exec(prefix)?.[1];
  if (direct === "Table" || direct === "Stream" || direct === "State") return { className: direct, member: word };
  return { className: null, member: null };
}

const API_CLASSES = ["Table", "Stream", "State", "Parameter", "Connection"] as const;

/**
 * The node API call whose brackets the line ends inside, at the start of an argument
 * (after "(" or ","): `Table("x", |` or `orders.read(|`.
 */
function openCall(code: string, line: string): CompletionContext | null {
  if (!/[(,]\s*\w*$/.test(line)) return null;
  let depth = 0;
  let quote: string | null = null;
  let open = -1;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] ?? "";
    if (quote) {
      if (ch === quote && line[i - 1] !== "\\") quote = null;
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === "(") {
      depth++;
      if (depth === 1) open = i;
    } else if (ch === ")") {
      depth--;
      if (depth === 0) open = -1;
    }
  }
  if (quote || depth !== 1 || open < 0) return null;
  const callee = /([A-Za-z_]\w*)(?:\.([A-Za-z_]\w*))?\s*$/.exec(line.slice(0, open));
  if (!callee?.[1]) return null;
  const used = [...line.slice(open + 1).matchAll(/([A-Za-z_]\w*)\s*=/g)].map((m) => m[1] ?? "");
  const className = API_CLASSES.find((c) => c === callee[1]);
  if (className && !callee[2]) return { type: "argument", className, member: null, used };
  if (callee[2]) {
    const owner = classOfVariable(code, callee[1]);
    if (owner) return { type: "argument", className: owner, member: callee[2], used };
  }
  return null;
}

/** The parameter names of a documented signature, e.g. `read(as_format="records", chunksize=None)`. */
export function signatureParameters(signature: string): string[] {
  const start = signature.indexOf("(");
  const end = signature.lastIndexOf(")");
  if (start < 0 || end <= start) return [];
  const names: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of signature.slice(start + 1, end)) {
    if ("([{".includes(ch)) depth++;
    if (")]}".includes(ch)) depth--;
    if (ch === "," && depth === 0) {
      names.push(current);
      current = "";
    } else current += ch;
  }
  names.push(current);
  return names.map((part) => (part.split("=")[0] ?? "").trim()).filter((name) => /^[A-Za-z_]\w*$/.test(name));
}
