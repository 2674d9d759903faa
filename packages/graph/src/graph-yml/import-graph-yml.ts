import { CURRENT_SCHEMA_VERSION, GraphError, parseGraphDocument, type GraphDocument, type GraphNode, type Position, type StoreKind, isCronExpression } from "../document.ts";
import { inferPorts } from "../infer-ports.ts";
import { CHART_INPUT_PORT, WEBHOOK_OUTPUT_PORT } from "../special-ports.ts";
import { resolveAppPath } from "./app-paths.ts";
import { DISPLAY_KEYS, GRID_CELL } from "./layout.ts";
import { GRAPH_YML, GRAPH_YML_LIMITS } from "./limits.ts";
import { fileReferencesIn, isPlainRecord, unknownKeys, type PlainRecord } from "./plain-data.ts";
import { ProblemList, type GraphYmlProblem } from "./problems.ts";
import { formatKeyPath, parseYamlSource, type KeyPath, type YamlSource } from "./yaml-source.ts";


export interface GraphYmlImportOptions {
  /** Path of the graph.yml inside `files`; "graph.yml" unless given. */
  root?: string;
  /** The title when graph.yml has none, e.g. the app folder's name. */
  defaultTitle?: string;
}

/** An imported app: what to create the graph with, and what the person should know. */
export interface GraphYmlImport {
  title: string;
  /** graph.yml's `slug`, if it has one. */
  slug: string | null;
  document: GraphDocument;
  warnings: GraphYmlProblem[];
}

const TOP_KEYS = ["title", "slug", "description_file", "functions", "stores", "docs", "dashboards"] as const;
const FUNCTION_KEYS = ["id", "title", "node_file", "trigger", "inputs", "outputs", "parameter_values", "parameters", "display", "runtime"] as const;
const CHART_KEYS = ["id", "title", "node_file", "chart_input", "display"] as const;
const WEBHOOK_KEYS = ["id", "title", "webhook", "webhook_mode", "display"] as const;
const STORE_KEYS = ["id", "table", "stream", "display"] as const;
const DOC_KEYS = ["id", "title", "markdown_file", "display"] as const;
const MAX_TITLE = 200;
const MAX_ID = 200;

type NodeFileKind = "python" | "sql" | "chart" | "markdown" | "subgraph";

function nodeFileKind(path: string): NodeFileKind | null {
  const name = path.slice(path.lastIndexOf("/") + 1).toLowerCase();
  if (name.endsWith(".py")) return "python";
  if (name.endsWith(".sql")) return "sql";
  if (name.endsWith(".json")) return "chart";
  if (name.endsWith(".md")) return "markdown";
  if (name.endsWith(".yml") || name.endsWith(".yaml")) return "subgraph";
  return null;
}

/** "ingest_orders.py" → "ingest_orders" */
function fileStem(path: string): string {
  const name = path.slice(path.lastIndexOf("/") + 1);
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(0, dot) : name;
}

/** Reads one app folder: the graph.yml at `root` and the files it names. */
class AppImport {
  readonly problems: ProblemList;
  private readonly files: Readonly<Record<string, string>>;
  private readonly yml: YamlSource;
  private readonly ids = new Set<string>();
  private readonly storesByName = new Map<string, GraphNode>();
  private readonly storesById = new Map<string, GraphNode>();
  readonly functionNodes: GraphNode[] = [];
  readonly storeNodes: GraphNode[] = [];
  readonly docNodes: GraphNode[] = [];
  readonly components: PlainRecord[] = [];
  readonly attachments: Record<string, string> = {};
  private usedChars = 0;
  private usedFiles = 0;

  constructor(files: Readonly<Record<string, string>>, yml: YamlSource, problems: ProblemList) {
    this.files = files;
    this.yml = yml;
    this.problems = problems;
  }

  at(path: KeyPath, file = this.yml.file, source: YamlSource | null = this.yml): Pick<GraphYmlProblem, "file" | "key" | "line"> {
    const line = source?.lineOf(path);
    return { file, ...(path.length ? { key: formatKeyPath(path) } : {}), ...(line !== undefined ? { line } : {}) };
  }

  error(path: KeyPath, message: string): void {
    this.problems.error({ ...this.at(path), message });
  }

  warn(path: KeyPath, message: string): void {
    this.problems.warn({ ...this.at(path), message });
  }

  /**
   * The text of a file named at `path` in the graph.yml `fromFile`, or null
   * (with the problem recorded: an error when `required`, else a warning).
   */
  readNamedFile(fromFile: string, reference: unknown, path: KeyPath, required: boolean, source: YamlSource | null = this.yml): { path: string; text: string } | null {
    const resolved = resolveAppPath(fromFile, reference);
    if (!resolved.ok) {
      this.problems.error({ ...this.at(path, fromFile, source), message: `${resolved.reason}.` });
      return null;
    }
    const text = this.files[resolved.path];
    if (text === undefined) {
      const message = `names the file "${resolved.path}", which is not in the app folder. Add the file or fix the path${required ? "" : "; the reference is kept, without the file"}.`;
      if (required) this.problems.error({ ...this.at(path, fromFile, source), message });
      else this.problems.warn({ ...this.at(path, fromFile, source), message });
      return null;
    }
    if (text.length > GRAPH_YML_LIMITS.maxFileChars) {
      this.problems.error({ ...this.at(path, fromFile, source), message: `names "${resolved.path}", which has ${text.length.toLocaleString("en")} characters; a file may have at most ${GRAPH_YML_LIMITS.maxFileChars.toLocaleString("en")}. Split it or leave it out.` });
      return null;
    }
    this.usedChars += text.length;
    this.usedFiles++;
    if (this.usedFiles > GRAPH_YML_LIMITS.maxFiles || this.usedChars > GRAPH_YML_LIMITS.maxTotalChars) {
      this.problems.error({ ...this.at(path, fromFile, source), message: `the app names more than ${GRAPH_YML_LIMITS.maxFiles} files or ${GRAPH_YML_LIMITS.maxTotalChars.toLocaleString("en")} characters in all; import a smaller app.` });
      return null;
    }
    return { path: resolved.path, text };
  }

  /** A node id from graph.yml (text or a number), or a new one made from `base` when absent. */
  nodeId(entry: PlainRecord, path: KeyPath, base: string): string | null {
    const raw = entry["id"];
    if (raw === undefined || raw === null) {
      const stem = base.replace(/[^A-Za-z0-9_-]+/g, "_").slice(0, 60) || "node";
      let id = stem;
      for (let n = 2; this.ids.has(id); n++) id = `${stem}_${n}`;
      this.ids.add(id);
      this.warn(path, `has no id; Patchbay gave it the id "${id}", which export writes back.`);
      return id;
    }
    if (typeof raw !== "string" && typeof raw !== "number") {
      this.error([...path, "id"], "must be text, e.g. id: ab12cd34.");
      return null;
    }
    const id = String(raw);
    if (id.trim() === "" || id.length > MAX_ID || /[\u0000-\u001f\u007f]/.test(id)) {
      this.error([...path, "id"], `must be 1 to ${MAX_ID} printable characters.`);
      return null;
    }
    if (this.ids.has(id)) {
      this.error([...path, "id"], `"${id}" is used by another function, store or doc; give each a different id.`);
      return null;
    }
    this.ids.add(id);
    return id;
  }

  title(entry: PlainRecord, path: KeyPath, fallback: string): string {
    const raw = entry["title"];
    if (raw === undefined || raw === null || raw === "") return fallback.slice(0, MAX_TITLE) || "untitled";
    if (typeof raw !== "string" && typeof raw !== "number") {
      this.error([...path, "title"], "must be text.");
      return fallback;
    }
    const title = String(raw).trim();
    if (title.length > MAX_TITLE) {
      this.error([...path, "title"], `is longer than ${MAX_TITLE} characters; shorten it.`);
      return title.slice(0, MAX_TITLE);
    }
    return title || fallback;
  }

  /** `display: {x, y, width, height}` → canvas position and size; unknown display keys go to `extraDisplay`. */
  display(entry: PlainRecord, path: KeyPath, fallback: Position): { position: Position; size?: { width: number; height: number }; extraDisplay?: PlainRecord } {
    const raw = entry["display"];
    if (raw === undefined || raw === null) return { position: fallback };
    if (!isPlainRecord(raw)) {
      this.error([...path, "display"], "must be a mapping like {x: 0, y: 1}.");
      return { position: fallback };
    }
    const number = (key: string): number | undefined => {
      const value = raw[key];
      if (value === undefined || value === null) return undefined;
      if (typeof value !== "number") {
        this.error([...path, "display", key], "must be a number.");
        return undefined;
      }
      return value;
    };
    const x = number("x");
    const y = number("y");
    const width = number("width");
    const height = number("height");
    const extraDisplay = unknownKeys(raw, DISPLAY_KEYS);
    // A size needs both sides; a lone width or height is kept as written.
    const sized = width !== undefined && height !== undefined && width > 0 && height > 0;
    if (!sized) {
      if (width !== undefined) extraDisplay["width"] = width;
      if (height !== undefined) extraDisplay["height"] = height;
    }
    return {
      position: { x: x !== undefined ? x * GRID_CELL.width : fallback.x, y: y !== undefined ? y * GRID_CELL.height : fallback.y },
      ...(sized ? { size: { width: width * GRID_CELL.width, height: height * GRID_CELL.height } } : {}),
      ...(Object.keys(extraDisplay).length ? { extraDisplay } : {}),
    };
  }

  /** Keys this version does not know, plus unknown display keys, with the files they name attached. */
  extra(entry: PlainRecord, known: readonly string[], path: KeyPath, extraDisplay: PlainRecord | undefined, own: PlainRecord = {}): PlainRecord | undefined {
    const unknown = unknownKeys(entry, known);
    this.attachFilesIn(unknown, path);
    const extra: PlainRecord = { ...own, ...unknown, ...(extraDisplay ? { display: extraDisplay } : {}) };
    return Object.keys(extra).length ? extra : undefined;
  }

  /** Files named under unknown keys (a node's description_file, schema_file…) are kept so export writes them back. */
  attachFilesIn(value: unknown, path: KeyPath, fromFile = this.yml.file, source: YamlSource | null = this.yml): void {
    for (const reference of fileReferencesIn(value)) {
      const file = this.readNamedFile(fromFile, reference.reference, [...path, ...reference.path], false, source);
      if (file) this.attachments[file.path] = file.text;
    }
  }

  addStore(node: GraphNode, path: KeyPath): void {
    const clash = this.storesByName.get(node.title);
    if (clash) {
      this.error(path, `declares the store "${node.title}" a second time (store "${clash.id}" has that name); store names must be unique, so rename one.`);
      return;
    }
    this.storesByName.set(node.title, node);
    this.storesById.set(node.id, node);
    this.storeNodes.push(node);
  }

  /**
   * The store a port mapping names: by store name (what Patterns writes), else by
   * store id. A name no store has gets a new store of the port's kind, as Patterns
   * creates one, with a warning.
   */
  storeFor(reference: unknown, path: KeyPath, kind: StoreKind, near: Position): string | null {
    if (reference === null) return null;
    if (typeof reference !== "string" && typeof reference !== "number") {
      this.error(path, "must name a store, e.g. orders.");
      return null;
    }
    const name = String(reference);
    if (name === "" || name.length > MAX_TITLE) {
      this.error(path, `must name a store in 1 to ${MAX_TITLE} characters.`);
      return null;
    }
    const store = this.storesByName.get(name) ?? this.storesById.get(name);
    if (store) return store.id;
    let id = name.replace(/[^A-Za-z0-9_-]+/g, "_").slice(0, 60) || "store";
    for (let n = 2; this.ids.has(id); n++) id = `${name}_${n}`;
    this.ids.add(id);
    this.addStore(storeNode(id, kind, name, { x: near.x + GRID_CELL.width, y: near.y }), path);
    this.warn(path, `names the store "${name}", which \`stores\` does not declare; Patchbay added a ${kind === "table" ? "Table" : "Stream"} store "${name}".`);
    return id;
  }

  /** An `inputs` / `outputs` mapping: port name → store id. */
  bindings(entry: PlainRecord, key: "inputs" | "outputs", path: KeyPath, code: { kind: "python" | "sql"; text: string }, near: Position): Record<string, string | null> {
    const raw = entry[key];
    if (raw === undefined || raw === null) return {};
    if (!isPlainRecord(raw)) {
      this.error([...path, key], `must map port names to stores, e.g. ${key}: {orders: orders}.`);
      return {};
    }
    const ports = inferPorts(code.kind, code.text).ports;
    const direction = key === "inputs" ? "input" : "output";
    const result: Record<string, string | null> = {};
    for (const [port, target] of Object.entries(raw)) {
      if (port.length > MAX_TITLE) {
        this.error([...path, key, port], `port names may be at most ${MAX_TITLE} characters.`);
        continue;
      }
      const kind = ports.find((p) => p.name === port && p.direction === direction)?.kind ?? "table";
      result[port] = this.storeFor(target, [...path, key, port], kind, near);
    }
    return result;
  }

  parameterValues(entry: PlainRecord, path: KeyPath): Record<string, unknown> {
    const values: Record<string, unknown> = {};
    for (const key of ["parameters", "parameter_values"] as const) {
      const raw = entry[key];
      if (raw === undefined || raw === null) continue;
      if (!isPlainRecord(raw)) {
        this.error([...path, key], `must map parameter names to values, e.g. ${key}: {limit: 10}.`);
        continue;
      }
      Object.assign(values, raw);
    }
    if (isPlainRecord(entry["parameters"]) && isPlainRecord(entry["parameter_values"])) {
      this.warn(path, "has both `parameters` and `parameter_values`; they were merged, `parameter_values` winning, and export writes `parameter_values`.");
    }
    return values;
  }

  readStores(list: unknown): void {
    if (list === undefined || list === null) return;
    if (!Array.isArray(list)) {
      this.error(["stores"], "must be a list of stores, each like `- {id: ab12cd34, table: orders}`.");
      return;
    }
    list.forEach((entry: unknown, index) => {
      const path = ["stores", index];
      if (!isPlainRecord(entry)) {
        this.error(path, "must be a mapping like {id: ab12cd34, table: orders}.");
        return;
      }
      const hasTable = entry["table"] !== undefined && entry["table"] !== null;
      const hasStream = entry["stream"] !== undefined && entry["stream"] !== null;
      if (hasTable === hasStream) {
        this.error(path, hasTable ? "has both `table` and `stream`; a store is one or the other." : "needs `table: <name>` or `stream: <name>`.");
        return;
      }
      const kind: StoreKind = hasTable ? "table" : "stream";
      const rawName = entry[kind];
      if ((typeof rawName !== "string" && typeof rawName !== "number") || String(rawName).trim() === "" || String(rawName).length > MAX_TITLE) {
        this.error([...path, kind], `must be the store's name, 1 to ${MAX_TITLE} characters.`);
        return;
      }
      const name = String(rawName);
      const id = this.nodeId(entry, path, name);
      if (id === null) return;
      const { position, size, extraDisplay } = this.display(entry, path, { x: GRID_CELL.width, y: index * GRID_CELL.height });
      const extra = this.extra(entry, STORE_KEYS, path, extraDisplay);
      this.addStore({ ...storeNode(id, kind, name, position), ...(size ? { size } : {}), ...(extra ? { extra } : {}) }, path);
    });
  }

  readFunctions(list: unknown): void {
    if (list === undefined || list === null) return;
    if (!Array.isArray(list)) {
      this.error(["functions"], "must be a list of functions, each like `- {id: ab12cd34, node_file: transform.py}`.");
      return;
    }
    list.forEach((entry: unknown, index) => {
      const path = ["functions", index];
      if (!isPlainRecord(entry)) {
        this.error(path, "must be a mapping like {id: ab12cd34, node_file: transform.py}.");
        return;
      }
      const fallback = { x: 0, y: index * GRID_CELL.height };
      if (entry["uses"] !== undefined && entry["uses"] !== null) {
        this.keepComponent(entry, path, `uses the component "${String(entry["uses"])}"`);
        return;
      }
      if (entry["webhook"] !== undefined && entry["webhook"] !== null) {
        this.readWebhook(entry, path, fallback);
        return;
      }
      if (entry["node_file"] === undefined || entry["node_file"] === null) {
        this.error(path, "needs `node_file` (a .py, .sql or chart .json file), `webhook` or `uses`.");
        return;
      }
      const resolved = resolveAppPath(this.yml.file, entry["node_file"]);
      if (!resolved.ok) {
        this.error([...path, "node_file"], `${resolved.reason}.`);
        return;
      }
      const kind = nodeFileKind(resolved.path);
      if (kind === null) {
        this.error([...path, "node_file"], `"${resolved.path}" is not a node file Patchbay knows; use a .py, .sql, chart .json, .md or subgraph graph.yml file.`);
        return;
      }
      if (kind === "subgraph") {
        this.keepSubgraph(entry, path, resolved.path);
        return;
      }
      const file = this.readNamedFile(this.yml.file, entry["node_file"], [...path, "node_file"], true);
      if (!file) return;
      const id = this.nodeId(entry, path, fileStem(file.path));
      if (id === null) return;
      const title = this.title(entry, path, fileStem(file.path));
      const { position, size, extraDisplay } = this.display(entry, path, fallback);
      const base = { id, title, position, ...(size ? { size } : {}), code: file.text, parameterValues: {}, runtime: "server" as const };
      if (kind === "chart") {
        this.readChart(entry, path, { ...base, position }, file, extraDisplay);
        return;
      }
      if (kind === "markdown") {
        const extra = this.extra(entry, ["id", "title", "node_file", "display"], path, extraDisplay, { markdown_file: file.path });
        this.docNodes.push({ ...base, kind: "markdown", inputs: {}, outputs: {}, ...(extra ? { extra } : {}) });
        return;
      }
      const code = { kind, text: file.text };
      const runtime = entry["runtime"];
      if (runtime !== undefined && runtime !== "server" && runtime !== "browser") this.error([...path, "runtime"], 'must be "server" or "browser".');
      const trigger = entry["trigger"];
      let cron: string | undefined;
      const own: PlainRecord = { node_file: file.path };
      if (trigger !== undefined && trigger !== null) {
        if (typeof trigger === "string" && isCronExpression(trigger)) cron = trigger.trim();
        else {
          own["trigger"] = trigger;
          this.warn([...path, "trigger"], `${JSON.stringify(trigger)} is not a cron schedule (e.g. "0 * * * *"); it is kept but the node is not scheduled.`);
        }
      }
      const extra = this.extra(entry, FUNCTION_KEYS, path, extraDisplay, own);
      this.functionNodes.push({
        ...base,
        kind,
        inputs: this.bindings(entry, "inputs", path, code, position),
        outputs: this.bindings(entry, "outputs", path, code, position),
        parameterValues: this.parameterValues(entry, path),
        runtime: runtime === "browser" ? "browser" : "server",
        ...(cron !== undefined ? { trigger: cron } : {}),
        ...(extra ? { extra } : {}),
      });
    });
  }

  private readChart(entry: PlainRecord, path: KeyPath, base: Omit<GraphNode, "kind" | "inputs" | "outputs">, file: { path: string; text: string }, extraDisplay: PlainRecord | undefined): void {
    try {
      const spec: unknown = JSON.parse(file.text);
      if (!isPlainRecord(spec)) throw new SyntaxError("the file holds no JSON object");
    } catch (error) {
      this.error([...path, "node_file"], `"${file.path}" is not a Vega-Lite chart spec: ${error instanceof Error ? error.message : String(error)}. Charts are JSON objects.`);
      return;
    }
    const input = entry["chart_input"];
    const inputs: Record<string, string | null> = {};
    if (input !== undefined && input !== null) inputs[CHART_INPUT_PORT] = this.storeFor(input, [...path, "chart_input"], "table", base.position);
    const extra = this.extra(entry, CHART_KEYS, path, extraDisplay, { node_file: file.path });
    this.functionNodes.push({ ...base, kind: "chart", inputs, outputs: {}, ...(extra ? { extra } : {}) });
  }

  private readWebhook(entry: PlainRecord, path: KeyPath, fallback: Position): void {
    const name = entry["webhook"];
    if (typeof name !== "string" || name.trim() === "") {
      this.error([...path, "webhook"], "must name the table the webhook's requests go to, e.g. webhook: incoming.");
      return;
    }
    const id = this.nodeId(entry, path, name);
    if (id === null) return;
    const mode = entry["webhook_mode"];
    if (mode !== undefined && mode !== null && mode !== "ingest" && mode !== "respond") {
      this.error([...path, "webhook_mode"], 'must be "ingest" (answer at once) or "respond" (a node answers with respond_to_request).');
    }
    const { position, size, extraDisplay } = this.display(entry, path, fallback);
    const extra = this.extra(entry, WEBHOOK_KEYS, path, extraDisplay);
    this.functionNodes.push({
      id,
      kind: "webhook",
      title: this.title(entry, path, name),
      position,
      ...(size ? { size } : {}),
      code: "",
      inputs: {},
      outputs: { [WEBHOOK_OUTPUT_PORT]: this.storeFor(name, [...path, "webhook"], "table", position) },
      parameterValues: {},
      runtime: "server",
      ...(mode === "ingest" || mode === "respond" ? { webhookMode: mode } : {}),
      ...(extra ? { extra } : {}),
    });
  }

  /** A `uses:` component: not available offline, so kept as written for export. */
  private keepComponent(entry: PlainRecord, path: KeyPath, what: string): boolean {
    if (entry["id"] !== undefined && entry["id"] !== null && this.nodeId(entry, path, "component") === null) return false;
    this.attachFilesIn(unknownKeys(entry, ["node_file"]), path);
    this.components.push(entry);
    this.warn(path, `${what}; Patchbay cannot show or run components yet. It is kept as written and export writes it back.`);
    return true;
  }

  /** A subgraph (node_file: sub/graph.yml): kept with all its files, like a component. */
  private keepSubgraph(entry: PlainRecord, path: KeyPath, ymlPath: string): void {
    if (!this.keepComponent(entry, path, `is the subgraph "${ymlPath}"`)) return;
    this.attachSubgraph(this.yml.file, entry["node_file"], [...path, "node_file"], this.yml, 0);
  }

  private attachSubgraph(fromFile: string, reference: unknown, path: KeyPath, source: YamlSource, depth: number): void {
    if (depth > GRAPH_YML_LIMITS.maxSubgraphDepth) {
      this.problems.error({ ...this.at(path, fromFile, source), message: `nests subgraphs more than ${GRAPH_YML_LIMITS.maxSubgraphDepth} deep.` });
      return;
    }
    const file = this.readNamedFile(fromFile, reference, path, true, source);
    if (!file) return;
    this.attachments[file.path] = file.text;
    const sub = parseYamlSource(file.path, file.text, this.problems);
    if (!sub) return;
    for (const named of fileReferencesIn(sub.value)) {
      const resolved = resolveAppPath(file.path, named.reference);
      if (resolved.ok && named.path.at(-1) === "node_file" && nodeFileKind(resolved.path) === "subgraph") {
        this.attachSubgraph(file.path, named.reference, named.path, sub, depth + 1);
        continue;
      }
      // The subgraph does not run, so a file it lacks is worth a warning, not a refusal.
      const attached = this.readNamedFile(file.path, named.reference, named.path, false, sub);
      if (attached) this.attachments[attached.path] = attached.text;
    }
  }

  readDocs(list: unknown): void {
    if (list === undefined || list === null) return;
    if (!Array.isArray(list)) {
      this.error(["docs"], "must be a list of docs, each like `- {id: ab12cd34, markdown_file: notes.md}`.");
      return;
    }
    list.forEach((entry: unknown, index) => {
      const path = ["docs", index];
      if (!isPlainRecord(entry)) {
        this.error(path, "must be a mapping like {id: ab12cd34, markdown_file: notes.md}.");
        return;
      }
      if (entry["markdown_file"] === undefined || entry["markdown_file"] === null) {
        this.error(path, "needs `markdown_file: <file>.md`.");
        return;
      }
      const file = this.readNamedFile(this.yml.file, entry["markdown_file"], [...path, "markdown_file"], true);
      if (!file) return;
      const id = this.nodeId(entry, path, fileStem(file.path));
      if (id === null) return;
      const { position, size, extraDisplay } = this.display(entry, path, { x: -2 * GRID_CELL.width, y: index * GRID_CELL.height });
      const extra = this.extra(entry, DOC_KEYS, path, extraDisplay, { markdown_file: file.path });
      this.docNodes.push({
        id,
        kind: "markdown",
        title: this.title(entry, path, fileStem(file.path)),
        position,
        ...(size ? { size } : {}),
        code: file.text,
        inputs: {},
        outputs: {},
        parameterValues: {},
        runtime: "server",
        ...(extra ? { extra } : {}),
      });
    });
  }
}

function storeNode(id: string, kind: StoreKind, name: string, position: Position): GraphNode {
  return { id, kind, title: name, position, code: "", inputs: {}, outputs: {}, parameterValues: {}, runtime: "server" };
}

function countEntries(value: unknown): number {
  return Array.isArray(value) ? value.length : 0;
}

/**
 * Imports a Patterns app: `files` maps paths relative to the app folder to
 * their text (graph.yml and the files it names; see graphYmlFileReferences).
 * Unknown keys at every level are kept in `extra` so export writes them back.
 * Throws a GraphYmlError listing every problem, each with its file, key and
 * line, and what to do.
 */
export function importGraphYml(files: Readonly<Record<string, string>>, options: GraphYmlImportOptions = {}): GraphYmlImport {
  const root = options.root ?? GRAPH_YML;
  const problems = new ProblemList();
  const text = files[root];
  if (text === undefined) {
    problems.error({ file: root, message: `is missing: an app folder needs a ${GRAPH_YML} describing its functions and stores.` });
    return problems.fail();
  }
  if (text.length > GRAPH_YML_LIMITS.maxFileChars) {
    problems.error({ file: root, message: `has more than ${GRAPH_YML_LIMITS.maxFileChars.toLocaleString("en")} characters; that is not a graph description Patchbay will read.` });
    return problems.fail();
  }
  const yml = parseYamlSource(root, text, problems);
  if (!yml) return problems.fail();
  if (!isPlainRecord(yml.value)) {
    problems.error({ file: root, message: "must be a YAML mapping with `title`, `functions` and `stores`." });
    return problems.fail();
  }
  const top = yml.value;
  const app = new AppImport(files, yml, problems);

  const total = countEntries(top["functions"]) + countEntries(top["stores"]) + countEntries(top["docs"]);
  if (total > GRAPH_YML_LIMITS.maxNodes) {
    app.error([], `declares ${total} functions, stores and docs; a graph may hold at most ${GRAPH_YML_LIMITS.maxNodes}. Split the app.`);
    problems.throwIfAny();
  }

  let title = options.defaultTitle?.trim() ?? "";
  const rawTitle = top["title"];
  if (typeof rawTitle === "string" || typeof rawTitle === "number") title = String(rawTitle).trim();
  else if (rawTitle !== undefined && rawTitle !== null) app.error(["title"], "must be text.");
  if (!title) app.error(["title"], "is missing: add `title: My app` at the top of graph.yml.");
  else if (title.length > MAX_TITLE) app.error(["title"], `is longer than ${MAX_TITLE} characters; shorten it.`);

  const rawSlug = top["slug"];
  let slug: string | null = null;
  if (typeof rawSlug === "string" || typeof rawSlug === "number") slug = String(rawSlug);
  else if (rawSlug !== undefined && rawSlug !== null) app.error(["slug"], "must be text, e.g. slug: my-app.");
  if (slug !== null && (slug.length === 0 || slug.length > 100)) app.error(["slug"], "must be 1 to 100 characters.");

  const topOwn: PlainRecord = {};
  let description: { text: string; path: string } | null = null;
  if (top["description_file"] !== undefined && top["description_file"] !== null) {
    const file = app.readNamedFile(root, top["description_file"], ["description_file"], false);
    if (file) description = { text: file.text, path: file.path };
    // A readme that is missing stays a reference, so export does not silently drop it.
    else topOwn["description_file"] = top["description_file"];
  }

  app.readStores(top["stores"]);
  app.readFunctions(top["functions"]);
  app.readDocs(top["docs"]);

  const dashboards = top["dashboards"];
  if (dashboards !== undefined && dashboards !== null && (!Array.isArray(dashboards) || !dashboards.every(isPlainRecord))) {
    app.error(["dashboards"], "must be a list of mappings.");
  }
  if (Array.isArray(dashboards)) app.attachFilesIn(dashboards, ["dashboards"]);
  const extra = { ...topOwn, ...unknownKeys(top, TOP_KEYS) };
  app.attachFilesIn(unknownKeys(top, TOP_KEYS), []);
  problems.throwIfAny();

  const document: GraphDocument = {
    schemaVersion: CURRENT_SCHEMA_VERSION,
    nodes: [...app.functionNodes, ...app.storeNodes, ...app.docNodes],
    ...(description ? { description: description.text, descriptionFile: description.path } : {}),
    ...(Array.isArray(dashboards) && dashboards.length ? { dashboards: dashboards.filter(isPlainRecord) } : {}),
    ...(app.components.length ? { components: app.components } : {}),
    ...(Object.keys(app.attachments).length ? { files: app.attachments } : {}),
    ...(Object.keys(extra).length ? { extra } : {}),
  };
  let parsed: GraphDocument;
  try {
    parsed = parseGraphDocument(document);
  } catch (error) {
    if (!(error instanceof GraphError)) throw error;
    problems.error({ file: root, message: `${error.message} Fix graph.yml so it describes a valid graph.` });
    return problems.fail();
  }
  return { title, slug, document: parsed, warnings: problems.warnings };
}
