import { describe, expect, it } from "vitest";
import { CHART_INPUT_PORT, GRID_CELL, graphYmlFileReferences, importGraphYml, resolvePorts, WEBHOOK_OUTPUT_PORT, type GraphNode } from "../src/index.ts";
import { COUNT_BY_TOPIC_SQL, FORMAT_TICKET_PY, oneFunctionApp, supportBotFiles, TOPICS_CHART_JSON } from "./graph-yml-fixtures.ts";

function node(nodes: GraphNode[], id: string): GraphNode {
  const found = nodes.find((n) => n.id === id);
  if (!found) throw new Error(`no node ${id}`);
  return found;
}

describe("importGraphYml", () => {
  it("reads a Patterns app: functions, stores, docs, readme and dashboards", () => {
    const { title, slug, document, warnings } = importGraphYml(supportBotFiles());
    expect(title).toBe("Support bot");
    expect(slug).toBe("support-bot");
    expect(warnings).toEqual([]);
    const nodes = document.nodes;
    expect(nodes.map((n) => [n.id, n.kind, n.title])).toEqual([
      ["x6vvfchf", "webhook", "Incoming tickets"],
      ["svl4za5s", "python", "Format ticket"],
      ["e3j63oxz", "python", "manual_ticket"],
      ["5bz7uzgp", "sql", "Count by topic"],
      ["c7chart1", "chart", "Topics"],
      ["rqw62cxu", "table", "tickets"],
      ["7sedx6fc", "stream", "formatted_tickets"],
      ["v63mxhbd", "table", "topic_counts"],
      ["d0cs0001", "markdown", "notes"],
    ]);

    const format = node(nodes, "svl4za5s");
    expect(format.code).toBe(FORMAT_TICKET_PY);
    // Port mappings name stores; the document binds store ids.
    expect(format.inputs).toEqual({ raw: "rqw62cxu" });
    expect(format.outputs).toEqual({ formatted: "7sedx6fc" });
    expect(format.parameterValues).toEqual({ slack: "${{ connection.slackbot_2 }}", max_length: 280 });
    expect(format.trigger).toBe("0 * * * *");
    expect(format.position).toEqual({ x: -1 * GRID_CELL.width, y: 4 * GRID_CELL.height });
    expect(format.extra).toEqual({ node_file: "format_ticket.py", icon_url: "https://example.com/icons/slack.svg" });
    expect(resolvePorts(document, format).map((p) => [p.name, p.storeId])).toEqual([
      ["raw", "rqw62cxu"],
      ["formatted", "7sedx6fc"],
    ]);

    const manual = node(nodes, "e3j63oxz");
    // A lone width is not a size; it stays with the other display keys Patchbay does not use.
    expect(manual.size).toBeUndefined();
    expect(manual.extra).toEqual({ node_file: "manual_ticket.py", description_file: "docs/manual-ticket.md", display: { style: "form", width: 3 } });

    const sql = node(nodes, "5bz7uzgp");
    expect(sql.code).toBe(COUNT_BY_TOPIC_SQL);
    expect(sql.outputs).toEqual({ output_table: "v63mxhbd" });
    expect(sql.extra).toEqual({ node_file: "sql/count_by_topic.sql" });

    const chart = node(nodes, "c7chart1");
    expect(chart.code).toBe(TOPICS_CHART_JSON);
    expect(chart.inputs).toEqual({ [CHART_INPUT_PORT]: "v63mxhbd" });
    expect(chart.size).toEqual({ width: 2 * GRID_CELL.width, height: 2 * GRID_CELL.height });

    const webhook = node(nodes, "x6vvfchf");
    expect(webhook.outputs).toEqual({ [WEBHOOK_OUTPUT_PORT]: "rqw62cxu" });

    expect(node(nodes, "v63mxhbd").extra).toEqual({ storage: "Default_ro", schema: "TopicCount" });
    expect(node(nodes, "d0cs0001").code).toContain("Tickets arrive through the webhook.");

    expect(document.description).toBe("# Support bot\n\nAnswers tickets.\n");
    expect(document.descriptionFile).toBe("readme.md");
    expect(document.dashboards).toEqual([{ id: "6v2w6iil", title: "Overview" }]);
    expect(document.extra).toEqual({ storages: [{ database: "Default_ro", definition: "Default", engines: ["postgres"], read_only: true }] });
    // The file a node's unknown key names travels with the graph.
    expect(document.files).toEqual({ "docs/manual-ticket.md": "Type a question into the form.\n" });
  });

  it("gives ids and titles to entries without them, and says so", () => {
    const { document, warnings } = importGraphYml(oneFunctionApp("title: Loader\nfunctions:\n- node_file: load.py\n- node_file: ./load.py\n"));
    expect(document.nodes.map((n) => [n.id, n.title])).toEqual([
      ["load", "load"],
      ["load_2", "load"],
    ]);
    expect(warnings.map((w) => w.message)).toEqual([expect.stringContaining('gave it the id "load"'), expect.stringContaining('gave it the id "load_2"')]);
    expect(warnings[0]).toMatchObject({ file: "graph.yml", key: "functions[0]", line: 3 });
  });

  it("binds a port mapping that names a store id, and numeric ids and names become text", () => {
    const yml = "title: T\nfunctions:\n- id: 12345678\n  node_file: load.py\n  outputs:\n    out: s1\nstores:\n- id: s1\n  table: 2024\n";
    const { document } = importGraphYml(oneFunctionApp(yml));
    expect(node(document.nodes, "12345678").outputs).toEqual({ out: "s1" });
    expect(node(document.nodes, "s1").title).toBe("2024");
  });

  it("adds a store a mapping names but `stores` lacks, of the kind the code declares", () => {
    const files = {
      "graph.yml": "title: T\nfunctions:\n- id: w\n  node_file: w.py\n  outputs:\n    events: event_log\n",
      "w.py": 'from patterns import Stream\nStream("events", "w").write({"a": 1})\n',
    };
    const { document, warnings } = importGraphYml(files);
    const store = document.nodes.find((n) => n.title === "event_log");
    expect(store?.kind).toBe("stream");
    expect(node(document.nodes, "w").outputs).toEqual({ events: store?.id });
    expect(warnings[0]?.message).toContain('Patchbay added a Stream store "event_log"');
  });

  it("keeps a trigger that is not a cron schedule, unscheduled, with a warning", () => {
    const { document, warnings } = importGraphYml(oneFunctionApp("title: T\nfunctions:\n- id: a\n  node_file: load.py\n  trigger: manual\n- id: b\n  node_file: load.py\n  trigger: '@daily'\n"));
    expect(node(document.nodes, "a").trigger).toBeUndefined();
    expect(node(document.nodes, "a").extra).toMatchObject({ trigger: "manual" });
    expect(node(document.nodes, "b").trigger).toBe("@daily");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ key: "functions[0].trigger", line: 5 });
  });

  it("merges old-style `parameters` with `parameter_values`", () => {
    const { document, warnings } = importGraphYml(oneFunctionApp("title: T\nfunctions:\n- id: a\n  node_file: load.py\n  parameters: {a: 1, b: 2}\n  parameter_values: {b: 3}\n"));
    expect(node(document.nodes, "a").parameterValues).toEqual({ a: 1, b: 3 });
    expect(warnings[0]?.message).toContain("both `parameters` and `parameter_values`");
  });

  it("keeps subgraph and `uses` components with their files, and warns that they do not run", () => {
    const files = {
      "graph.yml": "title: T\nfunctions:\n- id: sub1\n  node_file: enrich/graph.yml\n  inputs: {rows: raw}\n- id: use1\n  uses: patterns/slack-notify@v2\n  description_file: slack.md\nstores:\n- id: raw\n  table: raw\n",
      "enrich/graph.yml": "title: Enrich\nfunctions:\n- id: e1\n  node_file: enrich.py\n- id: e2\n  node_file: inner/graph.yml\n",
      "enrich/enrich.py": "print('enrich')\n",
      "enrich/inner/graph.yml": "title: Inner\nfunctions:\n- id: i1\n  node_file: step.sql\n",
      "enrich/inner/step.sql": "select 1\n",
      "slack.md": "Notifies Slack.\n",
    };
    expect(graphYmlFileReferences(files).sort()).toEqual(["enrich/enrich.py", "enrich/graph.yml", "enrich/inner/graph.yml", "enrich/inner/step.sql", "slack.md"]);
    const { document, warnings } = importGraphYml(files);
    expect(document.nodes.map((n) => n.id)).toEqual(["raw"]);
    expect(document.components).toEqual([
      { id: "sub1", node_file: "enrich/graph.yml", inputs: { rows: "raw" } },
      { id: "use1", uses: "patterns/slack-notify@v2", description_file: "slack.md" },
    ]);
    expect(Object.keys(document.files ?? {}).sort()).toEqual(["enrich/enrich.py", "enrich/graph.yml", "enrich/inner/graph.yml", "enrich/inner/step.sql", "slack.md"]);
    expect(warnings.map((w) => w.message)).toEqual([expect.stringContaining('subgraph "enrich/graph.yml"'), expect.stringContaining('component "patterns/slack-notify@v2"')]);
  });

  it("reads markdown given as a function's node_file as a doc", () => {
    const { document } = importGraphYml({ "graph.yml": "title: T\nfunctions:\n- id: m\n  node_file: about.md\n", "about.md": "# About\n" });
    expect(document.nodes[0]).toMatchObject({ id: "m", kind: "markdown", code: "# About\n" });
  });

  it("lists the files graph.yml names, leaving out paths outside the folder", () => {
    const files = supportBotFiles();
    files["graph.yml"] += "extras:\n- schema_file: ../../etc/passwd\n- schema_file: schemas/Topic.yml\n";
    expect(graphYmlFileReferences(files).sort()).toEqual(
      ["docs/manual-ticket.md", "format_ticket.py", "manual_ticket.py", "notes.md", "readme.md", "schemas/Topic.yml", "sql/count_by_topic.sql", "topics_chart.json"].sort(),
    );
    expect(graphYmlFileReferences({ "graph.yml": "::: not yaml [" })).toEqual([]);
  });
});
