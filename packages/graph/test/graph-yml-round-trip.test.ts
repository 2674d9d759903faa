import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { exportGraphYml, importGraphYml, type GraphDocument, type GraphNode } from "../src/index.ts";
import { supportBotFiles } from "./graph-yml-fixtures.ts";

const base = { code: "", inputs: {}, outputs: {}, parameterValues: {}, runtime: "server" as const };

/** A graph made in the editor: free pixel positions, sizes, every node kind, a browser node, an unbound port. */
function editorDocument(): GraphDocument {
  const nodes: GraphNode[] = [
    { ...base, id: "gen", kind: "python", title: "Generate orders", position: { x: 13.7, y: -220.25 }, code: 'from patterns import Table\nTable("orders", "w").append({"a": 1})\n', runtime: "browser", trigger: "*/5 * * * *", parameterValues: { count: 10, start: "2024-01-01", tags: ["a", "b"], on: true } },
    { ...base, id: "orders", kind: "table", title: "orders", position: { x: 330, y: 95 }, size: { width: 200, height: 90 } },
    { ...base, id: "sum", kind: "sql", title: "Sum orders", position: { x: 640, y: 100 }, code: 'select count(*) as n from {{ Table("orders") }}', outputs: { output_table: "totals", unused: null } },
    { ...base, id: "totals", kind: "table", title: "totals", position: { x: 960, y: 100 } },
    { ...base, id: "events", kind: "stream", title: "events", position: { x: 960, y: 300 } },
    { ...base, id: "hook", kind: "webhook", title: "Incoming", position: { x: -300, y: 300 }, outputs: { output: "events" }, webhookMode: "respond" },
    { ...base, id: "chart", kind: "chart", title: "Totals chart", position: { x: 1200, y: 100 }, code: '{"mark":"bar"}', inputs: { input: "totals" } },
    { ...base, id: "note", kind: "markdown", title: "Read me first", position: { x: 0, y: -400 }, code: "# Hello\n" },
  ];
  return { schemaVersion: 1, nodes, description: "About this graph\n" };
}

/** Import puts functions first, then stores, then docs; compare graphs whatever the node order. */
function byId(doc: GraphDocument): GraphDocument {
  return { ...doc, nodes: [...doc.nodes].sort((a, b) => a.id.localeCompare(b.id)) };
}

function withoutFileMemory(doc: GraphDocument): GraphDocument {
  // The importer remembers each node's file name in `extra`; an editor-made graph has none yet.
  return {
    ...doc,
    nodes: doc.nodes.map(({ extra, ...node }) => {
      const rest = Object.fromEntries(Object.entries(extra ?? {}).filter(([key]) => key !== "node_file" && key !== "markdown_file"));
      return Object.keys(rest).length ? { ...node, extra: rest } : node;
    }),
  };
}

describe("graph.yml round trip", () => {
  it("export then import gives the same graph back", () => {
    const doc = editorDocument();
    const files = exportGraphYml(doc, { title: "Orders", slug: "orders" });
    expect(Object.keys(files).sort()).toEqual(["README.md", "generate_orders.py", "graph.yml", "read_me_first.md", "sum_orders.sql", "totals_chart.json"]);
    const imported = importGraphYml(files);
    expect(imported.title).toBe("Orders");
    expect(imported.slug).toBe("orders");
    expect(imported.warnings).toEqual([]);
    expect(withoutFileMemory(byId(imported.document))).toEqual(byId({ ...doc, descriptionFile: "README.md" }));
  });

  it("writes a graph.yml in the Patterns shape", () => {
    const files = exportGraphYml(editorDocument(), { title: "Orders" });
    const yml: unknown = parse(files["graph.yml"] ?? "");
    expect(yml).toMatchObject({
      title: "Orders",
      description_file: "README.md",
      functions: [
        { id: "gen", title: "Generate orders", node_file: "generate_orders.py", trigger: "*/5 * * * *", parameter_values: { count: 10 }, runtime: "browser" },
        { id: "sum", node_file: "sum_orders.sql", outputs: { output_table: "totals", unused: null }, display: { x: 640 / 256, y: 100 / 128 } },
        { id: "hook", webhook: "events", webhook_mode: "respond" },
        { id: "chart", node_file: "totals_chart.json", chart_input: "totals" },
      ],
      stores: [{ id: "orders", table: "orders", display: { width: 200 / 256 } }, { id: "totals", table: "totals" }, { id: "events", stream: "events" }],
      docs: [{ id: "note", markdown_file: "read_me_first.md" }],
    });
    expect(files["graph.yml"]).not.toMatch(/[&*]\w/);
  });

  it("a Patterns app survives import, export, import unchanged, unknown keys included", () => {
    const first = importGraphYml(supportBotFiles());
    const exported = exportGraphYml(first.document, { title: first.title, slug: first.slug });
    // Node files keep their names and folders; attached files and the readme come along.
    expect(Object.keys(exported).sort()).toEqual(Object.keys(supportBotFiles()).sort());
    for (const [path, text] of Object.entries(supportBotFiles())) if (path !== "graph.yml") expect(exported[path]).toBe(text);
    const yml = exported["graph.yml"] ?? "";
    for (const kept of ["icon_url: https://example.com/icons/slack.svg", "style: form", "storage: Default_ro", "schema: TopicCount", "read_only: true", "description_file: docs/manual-ticket.md", "dashboards:"]) {
      expect(yml).toContain(kept);
    }
    const second = importGraphYml(exported);
    expect(second.document).toEqual(first.document);
    expect(second.title).toBe(first.title);
    // And a second export writes the very same folder.
    expect(exportGraphYml(second.document, { title: second.title, slug: second.slug })).toEqual(exported);
  });

  it("keeps components and their files through a round trip", () => {
    const files = {
      "graph.yml": "title: T\nfunctions:\n- id: sub1\n  node_file: enrich/graph.yml\nstores: []\nschemas:\n- schema_file: schemas/Row.yml\n",
      "enrich/graph.yml": "title: Enrich\nfunctions:\n- id: e1\n  node_file: enrich.py\n",
      "enrich/enrich.py": "print('enrich')\n",
      "schemas/Row.yml": "name: Row\n",
    };
    const first = importGraphYml(files);
    const exported = exportGraphYml(first.document, { title: "T" });
    expect(exported["enrich/enrich.py"]).toBe("print('enrich')\n");
    expect(exported["schemas/Row.yml"]).toBe("name: Row\n");
    expect(parse(exported["graph.yml"] ?? "")).toEqual({ title: "T", functions: [{ id: "sub1", node_file: "enrich/graph.yml" }], stores: [], schemas: [{ schema_file: "schemas/Row.yml" }] });
    expect(importGraphYml(exported).document).toEqual(first.document);
  });

  it("gives two nodes with the same title different files", () => {
    const doc: GraphDocument = {
      schemaVersion: 1,
      nodes: [
        { ...base, id: "a", kind: "python", title: "Load", position: { x: 0, y: 0 }, code: "a = 1\n" },
        { ...base, id: "b", kind: "python", title: "load", position: { x: 0, y: 128 }, code: "b = 2\n" },
      ],
    };
    const files = exportGraphYml(doc, { title: "Twins" });
    expect(files["load.py"]).toBe("a = 1\n");
    expect(files["load_2.py"]).toBe("b = 2\n");
    expect(byId(withoutFileMemory(importGraphYml(files).document))).toEqual(byId(doc));
  });
});
