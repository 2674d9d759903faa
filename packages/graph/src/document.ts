import { z } from "zod";
import { CronExpressionParser } from "cron-parser";

/** Every kind of node a graph can hold. Table and Stream nodes are stores. */
export const NODE_KINDS = ["python", "sql", "table", "stream", "webhook", "chart", "markdown"] as const;
export type NodeKind = (typeof NODE_KINDS)[number];
export const STORE_KINDS = ["table", "stream"] as const;
export type StoreKind = (typeof STORE_KINDS)[number];
export const FUNCTION_KINDS = ["python", "sql"] as const;

export const CURRENT_SCHEMA_VERSION = 1;

/** Longest code (or attached file) a node may hold, in characters. */
export const MAX_CODE_CHARS = 1_000_000;
/** Most nodes one graph may hold. */
export const MAX_NODES = 5_000;

/** Deepest nesting of lists and objects in a node's parameter values and kept keys (as webhooks and the node bridge allow). */
export const MAX_VALUE_DEPTH = 64;

/** Whether `value` nests arrays and objects at most `maxDepth` deep; iterative, so a hostile depth cannot overflow the stack. */
function nestedAtMost(value: unknown, maxDepth: number): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  for (let item = stack.pop(); item; item = stack.pop()) {
    if (item.depth > maxDepth) return false;
    if (item.value !== null && typeof item.value === "object") for (const child of Object.values(item.value)) stack.push({ value: child, depth: item.depth + 1 });
  }
  return true;
}

// Free-form JSON a node carries. Unbounded nesting was stored as it came and
// later broke JSON.stringify, PostgreSQL's jsonb parser or Python's json module.
const nestedValues = (key: z.ZodString) =>
  z.record(key, z.unknown()).refine((values) => nestedAtMost(values, MAX_VALUE_DEPTH), { message: `Nested more than ${MAX_VALUE_DEPTH} levels deep` });

export const positionSchema = z.object({ x: z.number().finite(), y: z.number().finite() });

/** A port binding: the id of a store node, or null for "explicitly unbound". */
const bindingSchema = z.record(z.string().max(200), z.string().max(200).nullable());

export const graphNodeSchema = z.object({
  id: z.string().min(1).max(200),
  kind: z.enum(NODE_KINDS),
  /** For Table and Stream nodes the title is the store's name. */
  title: z.string().min(1).max(200),
  position: positionSchema,
  size: z.object({ width: z.number().positive(), height: z.number().positive() }).optional(),
  /** Python or SQL source, Markdown text, or a chart's Vega-Lite spec. */
  code: z.string().max(MAX_CODE_CHARS).default(""),
  /** Port name → store node id. A port missing here binds to the store of its own name. */
  inputs: bindingSchema.default({}),
  outputs: bindingSchema.default({}),
  parameterValues: nestedValues(z.string().max(200)).default({}),
  runtime: z.enum(["server", "browser"]).default("server"),
  /** Cron expression for scheduled runs. */
  trigger: z.string().max(200).optional(),
  /** Wall-clock limit of one run of this node; the server's RUN_TIME_LIMIT_SECONDS when absent. */
  timeLimitSeconds: z.number().int().min(1).max(86_400).optional(),
  /** Retries of a failed run: up to `count` more attempts, waiting delaySeconds × 2^(attempt − 1) before each. */
  retries: z.object({ count: z.number().int().min(0).max(10), delaySeconds: z.number().min(0).max(3_600) }).optional(),
  /** Webhook nodes: "ingest" answers at once; "respond" holds the request until a node calls respond_to_request. */
  webhookMode: z.enum(["ingest", "respond"]).optional(),
  /** Keys this version of Patchbay does not know (e.g. from graph.yml), kept on round-trip. */
  extra: nestedValues(z.string()).optional(),
});

/** Limits of the app-level parts a graph.yml import may bring along. */
const MAX_ATTACHED_FILES = 1_000;
const MAX_PATH_CHARS = 500;

export const graphDocumentSchema = z.object({
  schemaVersion: z.literal(CURRENT_SCHEMA_VERSION),
  nodes: z.array(graphNodeSchema).max(MAX_NODES),
  /** The graph's readme (Markdown): graph.yml's `description_file`. */
  description: z.string().max(MAX_CODE_CHARS).optional(),
  /** Where the readme lives in an exported app folder, e.g. "README.md". */
  descriptionFile: z.string().min(1).max(MAX_PATH_CHARS).optional(),
  /** graph.yml `dashboards` entries, kept as they are until Patchbay has dashboards. */
  dashboards: z.array(z.record(z.string(), z.unknown())).max(MAX_NODES).optional(),
  /**
   * graph.yml function entries Patchbay cannot show or run yet (subgraph
   * components, `uses:` components), kept as they are so export writes them back.
   */
  components: z.array(z.record(z.string(), z.unknown())).max(MAX_NODES).optional(),
  /**
   * Other files of an imported app (a node's `description_file`, `schema_file`s,
   * a subgraph's files), by path relative to the app folder, written back on export.
   */
  files: z
    .record(z.string().min(1).max(MAX_PATH_CHARS), z.string().max(MAX_CODE_CHARS))
    .refine((files) => Object.keys(files).length <= MAX_ATTACHED_FILES, { message: `At most ${MAX_ATTACHED_FILES} attached files` })
    .optional(),
  /** Top-level graph.yml keys this version of Patchbay does not know, kept on round-trip. */
  extra: z.record(z.string(), z.unknown()).optional(),
});

export type Position = z.infer<typeof positionSchema>;
export type GraphNode = z.infer<typeof graphNodeSchema>;
export type GraphDocument = z.infer<typeof graphDocumentSchema>;

export function isStoreKind(kind: NodeKind): kind is StoreKind {
  return kind === "table" || kind === "stream";
}

export function isFunctionKind(kind: NodeKind): kind is "python" | "sql" {
  return kind === "python" || kind === "sql";
}

export function emptyDocument(): GraphDocument {
  return { schemaVersion: CURRENT_SCHEMA_VERSION, nodes: [] };
}

/** Error in a graph document or change, with a stable code and a message a person can act on. */
export class GraphError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = "GraphError";
    this.code = code;
  }
}

/**
 * Parses an untrusted value into a graph document, upgrading older schema
 * versions. Throws a GraphError naming the first bad field.
 */
export function parseGraphDocument(value: unknown): GraphDocument {
  const result = graphDocumentSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue ? issue.path.join(".") : "";
    throw new GraphError("invalid_document", `Invalid graph document at ${where || "(root)"}: ${issue?.message ?? "unknown error"}`);
  }
  const doc = result.data;
  const ids = new Set<string>();
  const storeNames = new Set<string>();
  for (const node of doc.nodes) {
    if (ids.has(node.id)) throw new GraphError("duplicate_node_id", `Two nodes share the id "${node.id}".`);
    ids.add(node.id);
    if (node.trigger !== undefined && node.trigger.trim() !== "") checkCron(node.title, node.trigger);
    if (isStoreKind(node.kind)) {
      if (storeNames.has(node.title)) throw new GraphError("duplicate_store_name", `Two stores are named "${node.title}"; store names must be unique in a graph.`);
      storeNames.add(node.title);
    }
  }
  return doc;
}

/** Whether text is a cron schedule the scheduler accepts: five or six fields, or a macro like "@daily". */
export function isCronExpression(text: string): boolean {
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed.length > 200) return false;
  try {
    CronExpressionParser.parse(trimmed, { tz: "UTC" });
    return true;
  } catch {
    return false;
  }
}

/** Throws a GraphError naming the node when its schedule is not a valid cron expression. */
export function checkCron(nodeTitle: string, cron: string): void {
  if (!isCronExpression(cron)) {
    throw new GraphError("invalid_cron", `The schedule of node "${nodeTitle}" is not a valid cron expression ("${cron}"). Example: "*/15 * * * *" runs every 15 minutes.`);
  }
}
