import { type GraphDocument, type GraphNode, type NodeKind, type Position } from "@patchbay/graph";

/** The node kinds a person can drag from the palette, in palette order. */
export const PALETTE_KINDS = ["python", "sql", "table", "stream", "webhook", "chart", "markdown"] as const;
export type PaletteKind = (typeof PALETTE_KINDS)[number];

export const PALETTE_LABELS: Record<PaletteKind, string> = {
  python: "Python",
  sql: "SQL",
  table: "Table",
  stream: "Stream",
  webhook: "Webhook",
  chart: "Chart",
  markdown: "Markdown",
};

const STARTER_CODE: Record<PaletteKind, string> = {
  python: [
    "from patterns import Table",
    "",
    "# Stores declared here become ports on the canvas, e.g.",
    '#   orders = Table("orders")          reads the store "orders"',
    '#   summary = Table("summary", "w")   writes the store "summary"',
    "",
  ].join("\n"),
  sql: "select 1 as one\n",
  table: "",
  stream: "",
  webhook: "",
  // A Vega-Lite spec; its data is the Table wired to the chart's input port.
  chart: JSON.stringify({ mark: "bar", encoding: { x: { field: "name", type: "nominal" }, y: { field: "value", type: "quantitative" } } }, null, 2) + "\n",
  markdown: "# Notes\n\nWhat this part of the pipeline does.\n",
};

const BASE_TITLE: Record<PaletteKind, string> = {
  python: "python",
  sql: "sql",
  table: "table",
  stream: "stream",
  webhook: "webhook",
  chart: "chart",
  markdown: "notes",
};

export function isPaletteKind(value: string): value is PaletteKind {
  return (PALETTE_KINDS as readonly string[]).includes(value);
}

/** The first `base_N` title no node of the graph uses; store names must be unique. */
export function uniqueTitle(doc: GraphDocument, base: string): string {
  const taken = new Set(doc.nodes.map((n) => n.title));
  for (let i = 1; ; i++) {
    const title = `${base}_${i}`;
    if (!taken.has(title)) return title;
  }
}

function randomId(): string {
  const bytes = new Uint8Array(6);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** A fresh, unguessable node id that says what kind of node it is. */
export function newNodeId(kind: NodeKind): string {
  return `${kind}_${randomId()}`;
}

/** A fresh node of the given kind at a canvas position, with starter code and a free title. */
export function createNode(doc: GraphDocument, kind: PaletteKind, position: Position): GraphNode {
  const nodeKind: NodeKind = kind;
  return {
    id: newNodeId(kind),
    kind: nodeKind,
    title: uniqueTitle(doc, BASE_TITLE[kind]),
    position: { x: Math.round(position.x), y: Math.round(position.y) },
    code: STARTER_CODE[kind],
    inputs: {},
    outputs: {},
    parameterValues: {},
    runtime: "server",
  };
}
