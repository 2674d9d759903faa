import { tokenizePython, TokenizeError, type Token } from "./python-tokens.ts";
import type { StoreKind } from "./document.ts";

export const PARAMETER_TYPES = ["str", "text", "bool", "int", "float", "date", "datetime", "list", "schema", "connection"] as const;
export type ParameterType = (typeof PARAMETER_TYPES)[number];

/** A store port declared by a node's code, e.g. `Table("orders", "w")`. */
export interface PortSpec {
  name: string;
  direction: "input" | "output";
  kind: StoreKind;
  description?: string;
  required: boolean;
  line: number;
}

/** A parameter declared by a node's code, e.g. `Parameter("limit", type=int, default=3)`. */
export interface ParameterSpec {
  name: string;
  type: ParameterType;
  /** For `Connection("kind")` parameters: the connection kind. */
  connectionKind?: string;
  hasDefault: boolean;
  default?: unknown;
  description?: string;
  line: number;
}

export interface SyntaxProblem {
  line: number;
  message: string;
}

export interface InferredPorts {
  ports: PortSpec[];
  parameters: ParameterSpec[];
  usesState: boolean;
  /** Set when the code could not be read; ports are then whatever could be found before it. */
  syntaxError?: SyntaxProblem;
}

/** Modes that make a Table or Stream an output; the same list as _WRITE_MODES in python/patterns/table.py. */
const WRITE_MODES: readonly string[] = ["w", "write", "a", "append"];

/** The implicit output of a SQL node: its SELECT writes a new version of this store. */
export const SQL_OUTPUT_PORT = "output_table";

type ArgValue = { kind: "string"; value: string } | { kind: "number"; value: number } | { kind: "bool"; value: boolean } | { kind: "none" } | { kind: "name"; value: string } | { kind: "call"; name: string; args: Args } | { kind: "other"; text: string };
interface Args {
  positional: ArgValue[];
  keywords: Map<string, ArgValue>;
}

class Cursor {
  private index = 0;
  private readonly tokens: Token[];
  constructor(tokens: Token[]) {
    this.tokens = tokens;
  }
  peek(offset = 0): Token | undefined {
    return this.tokens[this.index + offset];
  }
  next(): Token | undefined {
    return this.tokens[this.index++];
  }
  done(): boolean {
    return this.index >= this.tokens.length;
  }
}

/** Reads call arguments after the opening bracket, up to and including the closing one. */
function readArgs(cursor: Cursor): Args {
  const args: Args = { positional: [], keywords: new Map() };
  while (!cursor.done()) {
    const token = cursor.peek();
    if (!token) break;
    if (token.kind === "op" && token.text === ")") {
      cursor.next();
      break;
    }
    if (token.kind === "op" && token.text === ",") {
      cursor.next();
      continue;
    }
    const after = cursor.peek(1);
    if (token.kind === "name" && after?.kind === "op" && after.text === "=") {
      cursor.next();
      cursor.next();
      args.keywords.set(token.text, readValue(cursor));
    } else {
      args.positional.push(readValue(cursor));
    }
  }
  return args;
}

/** Reads one argument expression; simple literals are decoded, the rest kept as text. */
function readValue(cursor: Cursor): ArgValue {
  const first = cursor.peek();
  const second = cursor.peek(1);
  const endsHere = (t: Token | undefined) => !t || (t.kind === "op" && (t.text === "," || t.text === ")"));
  if (first && endsHere(second)) {
    cursor.next();
    if (first.kind === "string") return { kind: "string", value: first.value ?? "" };
    if (first.kind === "number") return { kind: "number", value: Number(first.text.replaceAll("_", "")) };
    if (first.kind === "name") {
      if (first.text === "True" || first.text === "False") return { kind: "bool", value: first.text === "True" };
      if (first.text === "None") return { kind: "none" };
      return { kind: "name", value: first.text };
    }
  }
  if (first?.kind === "op" && first.text === "-" && second?.kind === "number" && endsHere(cursor.peek(2))) {
    cursor.next();
    cursor.next();
    return { kind: "number", value: -Number(second.text.replaceAll("_", "")) };
  }
  if (first?.kind === "name" && second?.kind === "op" && second.text === "(") {
    cursor.next();
    cursor.next();
    const args = readArgs(cursor);
    if (endsHere(cursor.peek())) return { kind: "call", name: first.text, args };
  }
  // Anything else: skip to the end of this argument, keeping nested brackets.
  let depth = 0;
  const parts: string[] = [];
  while (!cursor.done()) {
    const t = cursor.peek() as Token;
    if (depth === 0 && endsHere(t)) break;
    if (t.kind === "op" && "([{".includes(t.text)) depth++;
    if (t.kind === "op" && ")]}".includes(t.text)) depth--;
    parts.push(t.text);
    cursor.next();
  }
  return { kind: "other", text: parts.join(" ") };
}

function literal(value: ArgValue | undefined): unknown {
  if (!value) return undefined;
  switch (value.kind) {
    case "string":
    case "number":
    case "bool":
      return value.value;
    case "none":
      return null;
    case "other": {
      try {
        return JSON.parse(value.text.replaceAll("'", '"').replace(/\bTrue\b/g, "true").replace(/\bFalse\b/g, "false").replace(/\bNone\b/g, "null"));
      } catch {
        return value.text;
      }
    }
    default:
      return undefined;
  }
}

function stringArg(args: Args, position: number, keyword: string): string | undefined {
  const value = args.keywords.get(keyword) ?? args.positional[position];
  return value?.kind === "string" ? value.value : undefined;
}

function parameterType(value: ArgValue | undefined): { type: ParameterType; connectionKind?: string } {
  if (!value) return { type: "str" };
  if (value.kind === "call" && value.name === "Connection") {
    const kind = stringArg(value.args, 0, "connection_type");
    return kind ? { type: "connection", connectionKind: kind } : { type: "connection" };
  }
  const name = value.kind === "name" ? value.value : value.kind === "string" ? value.value : "";
  const lower = name.toLowerCase();
  if ((PARAMETER_TYPES as readonly string[]).includes(lower)) return { type: lower as ParameterType };
  if (lower === "boolean") return { type: "bool" };
  if (lower === "integer") return { type: "int" };
  return { type: "str" };
}

function declarationFrom(name: string, args: Args, line: number, into: InferredPorts): void {
  if (name === "Table" || name === "Stream") {
    const storeName = stringArg(args, 0, "name");
    if (!storeName) return;
    const mode = stringArg(args, 1, "mode") ?? "r";
    const direction = WRITE_MODES.includes(mode) ? "output" : "input";
    if (into.ports.some((p) => p.name === storeName && p.direction === direction)) return;
    const description = stringArg(args, 2, "description");
    const required = literal(args.keywords.get("required"));
    into.ports.push({
      name: storeName,
      direction,
      kind: name === "Table" ? "table" : "stream",
      ...(description !== undefined ? { description } : {}),
      required: required !== false,
      line,
    });
  } else if (name === "Parameter") {
    const paramName = stringArg(args, 0, "name");
    if (!paramName || into.parameters.some((p) => p.name === paramName)) return;
    const description = stringArg(args, 1, "description");
    const typeArg = args.keywords.get("type") ?? args.positional[2];
    const defaultArg = args.keywords.get("default") ?? args.positional[3];
    into.parameters.push({
      name: paramName,
      ...parameterType(typeArg),
      hasDefault: defaultArg !== undefined,
      ...(defaultArg !== undefined ? { default: literal(defaultArg) } : {}),
      ...(description !== undefined ? { description } : {}),
      line,
    });
  } else if (name === "State") {
    into.usesState = true;
  }
}

function scan(tokens: Token[], into: InferredPorts): void {
  const cursor = new Cursor(tokens);
  while (!cursor.done()) {
    const token = cursor.next() as Token;
    const open = cursor.peek();
    if (token.kind !== "name" || open?.kind !== "op" || open.text !== "(") continue;
    if (!["Table", "Stream", "Parameter", "State"].includes(token.text)) continue;
    cursor.next();
    declarationFrom(token.text, readArgs(cursor), token.line, into);
  }
}

/**
 * Finds the ports, parameters and state a node's code declares, without
 * running it: the canvas, the server and the importer all use this one function.
 */
export function inferPorts(kind: "python" | "sql", code: string): InferredPorts {
  // Every graph read (canvas redraws, run plans, each webhook request and node
  // run) asks again for code that rarely changed: reading it once is enough.
  const key = `${kind}\u0000${code}`;
  const cached = inferred.get(key);
  if (cached) {
    // Map order is insertion order: re-inserting keeps recently used code last.
    inferred.delete(key);
    inferred.set(key, cached);
    return cached;
  }
  const result = deepFreeze(readPorts(kind, code));
  inferred.set(key, result);
  if (inferred.size > MAX_CACHED_CODES) {
    const oldest = inferred.keys().next();
    if (!oldest.done) inferred.delete(oldest.value);
  }
  return result;
}

// Enough for a few thousand-node graphs; each entry is one node's code and its ports.
const MAX_CACHED_CODES = 5_000;
const inferred = new Map<string, InferredPorts>();

/** Freezes a result shared through the cache, so no caller can change it for the others. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

function readPorts(kind: "python" | "sql", code: string): InferredPorts {
  const result: InferredPorts = { ports: [], parameters: [], usesState: false };
  if (kind === "python") {
    try {
      scan(tokenizePython(code), result);
    } catch (error) {
      if (!(error instanceof TokenizeError)) throw error;
      result.syntaxError = { line: error.line, message: error.message };
    }
    return result;
  }
  const template = /\{\{([\s\S]*?)\}\}/g;
  for (const match of code.matchAll(template)) {
    const line = code.slice(0, match.index).split("\n").length;
    try {
      scan(tokenizePython(match[1] ?? "", line), result);
    } catch (error) {
      if (!(error instanceof TokenizeError)) throw error;
      result.syntaxError ??= { line: error.line, message: error.message };
    }
  }
  result.ports.push({ name: SQL_OUTPUT_PORT, direction: "output", kind: "table", required: false, line: 1 });
  return result;
}
