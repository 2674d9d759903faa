import { stringify } from "yaml";
import type { GraphDocument, GraphNode } from "../document.ts";
import { resolveAppPath } from "./app-paths.ts";
import { CHART_INPUT_PORT, WEBHOOK_OUTPUT_PORT } from "../special-ports.ts";
import { displayOf } from "./layout.ts";
import { GRAPH_YML } from "./limits.ts";
import { isPlainRecord, type PlainRecord } from "./plain-data.ts";

/** What export needs beyond the document: the graph record's title and slug. */
export interface GraphYmlExportMeta {
  title: string;
  slug?: string | null;
}

const EXTENSION = { python: ".py", sql: ".sql", chart: ".json", markdown: ".md" } as const;
// Keys the importer keeps in `extra` to remember a node's file; export writes them as node_file / markdown_file.
const FILE_KEYS = ["node_file", "markdown_file"];

/** Hands out file paths in the exported folder, never the same one twice (ignoring case, for macOS and Windows). */
class PathClaims {
  private readonly used = new Set<string>([GRAPH_YML]);

  has(path: string): boolean {
    return this.used.has(path.toLowerCase());
  }

  claim(path: string): void {
    this.used.add(path.toLowerCase());
  }

  /** The node's remembered path when it is still free and safe, else one made from its title. */
  forNode(preferred: unknown, extension: string, title: string): string {
    if (typeof preferred === "string") {
      const resolved = resolveAppPath(GRAPH_YML, preferred);
      if (resolved.ok && resolved.path.toLowerCase().endsWith(extension) && !this.has(resolved.path)) {
        this.claim(resolved.path);
        return resolved.path;
      }
    }
    const stem =
      title
        .toLowerCase()
        .normalize("NFKD")
        .replace(/[^a-z0-9]+/g, "_")
        .replace(/^_+|_+$/g, "")
        .slice(0, 60) || "node";
    let path = `${stem}${extension}`;
    for (let n = 2; this.has(path); n++) path = `${stem}_${n}${extension}`;
    this.claim(path);
    return path;
  }
}

/** Known keys first, in the order graph.yml writers use; then the keys kept from the import. */
function withExtra(entry: PlainRecord, node: GraphNode): PlainRecord {
  const extra = node.extra ?? {};
  const display = entry["display"];
  const keptDisplay = extra["display"];
  if (isPlainRecord(display) && isPlainRecord(keptDisplay)) {
    // Computed keys win: a lone `width` kept from the import is written back only while the node has no size.
    for (const [key, value] of Object.entries(keptDisplay)) if (!(key in display)) display[key] = value;
  }
  for (const [key, value] of Object.entries(extra)) {
    if (key in entry || FILE_KEYS.includes(key)) continue;
    entry[key] = value;
  }
  return entry;
}

/**
 * Writes a graph as a Patterns app folder: graph.yml plus one file per node
 * (and the readme and attached files an import kept), as a map of relative
 * path → text. Importing the result gives the same graph back.
 */
export function exportGraphYml(document: GraphDocument, meta: GraphYmlExportMeta): Record<string, string> {
  const files: Record<string, string> = {};
  const paths = new PathClaims();
  for (const [path, text] of Object.entries(document.files ?? {})) {
    const resolved = resolveAppPath(GRAPH_YML, path);
    if (!resolved.ok || paths.has(resolved.path)) continue;
    paths.claim(resolved.path);
    files[resolved.path] = text;
  }
  let descriptionFile: string | null = null;
  if (document.description !== undefined) {
    descriptionFile = paths.forNode(document.descriptionFile ?? "README.md", ".md", "README");
    files[descriptionFile] = document.description;
  }

  const storeNames = new Map(document.nodes.filter((n) => n.kind === "table" || n.kind === "stream").map((n) => [n.id, n.title]));
  const portMap = (bindings: Record<string, string | null>): PlainRecord =>
    Object.fromEntries(Object.entries(bindings).map(([port, storeId]) => [port, storeId === null ? null : (storeNames.get(storeId) ?? null)]));

  const functions: PlainRecord[] = [];
  const stores: PlainRecord[] = [];
  const docs: PlainRecord[] = [];
  for (const node of document.nodes) {
    const display = displayOf(node);
    switch (node.kind) {
      case "python":
      case "sql": {
        const path = paths.forNode(node.extra?.["node_file"], EXTENSION[node.kind], node.title);
        files[path] = node.code;
        const entry: PlainRecord = { id: node.id, title: node.title, node_file: path };
        if (node.trigger !== undefined) entry["trigger"] = node.trigger;
        if (Object.keys(node.inputs).length) entry["inputs"] = portMap(node.inputs);
        if (Object.keys(node.outputs).length) entry["outputs"] = portMap(node.outputs);
        if (Object.keys(node.parameterValues).length) entry["parameter_values"] = node.parameterValues;
        if (node.runtime !== "server") entry["runtime"] = node.runtime;
        entry["display"] = display;
        functions.push(withExtra(entry, node));
        break;
      }
      case "chart": {
        const path = paths.forNode(node.extra?.["node_file"], EXTENSION.chart, node.title);
        files[path] = node.code;
        const input = node.inputs[CHART_INPUT_PORT];
        const entry: PlainRecord = { id: node.id, title: node.title, node_file: path };
        if (input) entry["chart_input"] = storeNames.get(input) ?? null;
        entry["display"] = display;
        functions.push(withExtra(entry, node));
        break;
      }
      case "webhook": {
        const output = node.outputs[WEBHOOK_OUTPUT_PORT];
        const table = (output ? storeNames.get(output) : undefined) ?? node.title;
        // webhook_mode is Patchbay's own key; Patterns readers keep or ignore it.
        const entry: PlainRecord = { id: node.id, title: node.title, webhook: table };
        if (node.webhookMode !== undefined) entry["webhook_mode"] = node.webhookMode;
        entry["display"] = display;
        functions.push(withExtra(entry, node));
        break;
      }
      case "markdown": {
        const path = paths.forNode(node.extra?.["markdown_file"], EXTENSION.markdown, node.title);
        files[path] = node.code;
        docs.push(withExtra({ id: node.id, title: node.title, markdown_file: path, display }, node));
        break;
      }
      case "table":
      case "stream":
        stores.push(withExtra({ id: node.id, [node.kind]: node.title, display }, node));
        break;
    }
  }
  functions.push(...(document.components ?? []));

  const top: PlainRecord = { title: meta.title };
  if (meta.slug) top["slug"] = meta.slug;
  if (descriptionFile !== null) top["description_file"] = descriptionFile;
  top["functions"] = functions;
  top["stores"] = stores;
  if (docs.length) top["docs"] = docs;
  if (document.dashboards?.length) top["dashboards"] = document.dashboards;
  for (const [key, value] of Object.entries(document.extra ?? {})) if (!(key in top)) top[key] = value;
  // No anchors/aliases: repeated values are written out, as every YAML reader expects.
  files[GRAPH_YML] = stringify(top, { lineWidth: 0, aliasDuplicateObjects: false });
  return files;
}
