import { describe, expect, it } from "vitest";
import { GRAPH_YML_LIMITS, GraphYmlError, importGraphYml, resolveAppPath, type GraphYmlProblem } from "../src/index.ts";
import { oneFunctionApp } from "./graph-yml-fixtures.ts";

/** The problems importGraphYml refuses `files` with. */
function problemsOf(files: Record<string, string>): GraphYmlProblem[] {
  try {
    importGraphYml(files);
  } catch (error) {
    if (error instanceof GraphYmlError) return error.problems;
    throw error;
  }
  throw new Error("the import was accepted");
}

describe("graph.yml validation", () => {
  it.each([
    ["../secret.py", '"../secret.py" uses ".."'],
    ["sub/../../secret.py", 'uses ".."'],
    ["/etc/passwd.py", "is an absolute path"],
    ["~/notes.py", "is an absolute path"],
    ["C:/code/load.py", "is an absolute path"],
    ["code\\\\load.py", "uses backslashes"],
    ["load\\u0000.py", "control characters"],
  ])("refuses node_file %s", (path, message) => {
    const problems = problemsOf(oneFunctionApp(`title: T\nfunctions:\n- id: a\n  node_file: "${path}"\n`));
    expect(problems).toEqual([{ file: "graph.yml", key: "functions[0].node_file", line: 4, message: expect.stringContaining(message) }]);
  });

  it("refuses traversal in every file reference, not only node_file", () => {
    const problems = problemsOf(oneFunctionApp("title: T\ndescription_file: ../README.md\nfunctions:\n- id: a\n  node_file: load.py\n  description_file: /etc/hosts\nschemas:\n- schema_file: ../../x.yml\n"));
    expect(problems.map((p) => p.key)).toEqual(["description_file", "functions[0].description_file", "schemas[0].schema_file"]);
  });

  it("accepts ./ and nested folders inside the app", () => {
    expect(resolveAppPath("graph.yml", "./a//b/./c.py")).toEqual({ ok: true, path: "a/b/c.py" });
    expect(resolveAppPath("sub/graph.yml", "c.py")).toEqual({ ok: true, path: "sub/c.py" });
    expect(resolveAppPath("sub/graph.yml", "../c.py")).toMatchObject({ ok: false });
  });

  it("names a missing node file, its key and line, and what to do", () => {
    const problems = problemsOf({ "graph.yml": "title: T\nfunctions:\n- id: a\n  node_file: transform.py\n" });
    expect(problems).toEqual([{ file: "graph.yml", key: "functions[0].node_file", line: 4, message: 'names the file "transform.py", which is not in the app folder. Add the file or fix the path.' }]);
    expect(() => importGraphYml({ "graph.yml": "title: T\nfunctions:\n- id: a\n  node_file: transform.py\n" })).toThrow(/graph.yml, line 4 \(functions\[0\]\.node_file\): names the file "transform.py"/);
  });

  it("warns, and keeps the reference, when a readme or attached file is missing", () => {
    const { document, warnings } = importGraphYml(oneFunctionApp("title: T\ndescription_file: readme.md\nfunctions:\n- id: a\n  node_file: load.py\n"));
    expect(warnings).toEqual([expect.objectContaining({ key: "description_file", message: expect.stringContaining("the reference is kept") })]);
    expect(document.extra).toEqual({ description_file: "readme.md" });
  });

  it("reports YAML syntax errors with their line", () => {
    const problems = problemsOf({ "graph.yml": "title: T\nfunctions:\n  - id: a\n    node_file: [load.py\nstores: []\n" });
    expect(problems[0]).toMatchObject({ file: "graph.yml", line: expect.any(Number), message: expect.stringMatching(/^YAML syntax error at column \d+: .+Fix the YAML there/) });
    expect(problemsOf({ "graph.yml": "title: T\ntitle: U\n" })[0]).toMatchObject({ line: 2, message: expect.stringContaining("Map keys must be unique") });
  });

  it("refuses a YAML bomb, and still reads a harmless alias", () => {
    const bomb = [
      "title: T",
      "a: &a [x, x, x, x, x, x, x, x, x]",
      "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]",
      "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]",
      "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]",
      "e: [*d, *d, *d, *d, *d, *d, *d, *d, *d]",
    ].join("\n");
    expect(problemsOf({ "graph.yml": bomb })).toEqual([{ file: "graph.yml", message: expect.stringContaining("aliases (*name) that expand too far") }]);
    const ok = importGraphYml(oneFunctionApp("title: T\nfunctions:\n- id: a\n  node_file: load.py\n  parameter_values: &p {n: 1}\n- id: b\n  node_file: load.py\n  parameter_values: *p\n"));
    expect(ok.document.nodes[1]?.parameterValues).toEqual({ n: 1 });
  });

  it("refuses files over the size limit, naming the file and key", () => {
    const big = "x".repeat(GRAPH_YML_LIMITS.maxFileChars + 1);
    expect(problemsOf({ "graph.yml": "title: T\nfunctions:\n- id: a\n  node_file: big.py\n", "big.py": big })[0]).toMatchObject({ key: "functions[0].node_file", message: expect.stringContaining('"big.py", which has 1,000,001 characters') });
    expect(problemsOf({ "graph.yml": `title: T\n#${big}` })[0]?.message).toContain("has more than 1,000,000 characters");
  });

  it("refuses more nodes than a graph may hold", () => {
    const stores = Array.from({ length: GRAPH_YML_LIMITS.maxNodes + 1 }, (_, i) => `- {id: s${i}, table: t${i}}`).join("\n");
    expect(problemsOf({ "graph.yml": `title: T\nstores:\n${stores}\n` })[0]?.message).toContain(`declares ${GRAPH_YML_LIMITS.maxNodes + 1} functions, stores and docs; a graph may hold at most ${GRAPH_YML_LIMITS.maxNodes}`);
  });

  it("refuses duplicate ids and duplicate store names, and reports every problem at once", () => {
    const yml = "title: T\nfunctions:\n- id: a\n  node_file: load.py\nstores:\n- id: a\n  table: out\n- id: b\n  table: out\n- id: c\n  stream: out\n";
    const problems = problemsOf(oneFunctionApp(yml));
    // Stores are read first, so the function is the one that reuses "a".
    expect(problems.map((p) => [p.key, p.line])).toEqual([
      ["stores[1]", 8],
      ["stores[2]", 10],
      ["functions[0].id", 3],
    ]);
    expect(problems[0]?.message).toContain('declares the store "out" a second time');
    expect(problems[2]?.message).toContain('"a" is used by another function, store or doc');
  });

  it.each([
    ["title: T\nfunctions: {a: 1}\n", "functions", "must be a list of functions"],
    ["title: T\nfunctions:\n- id: a\n", "functions[0]", "needs `node_file`"],
    ["title: T\nfunctions:\n- id: a\n  node_file: load.rb\n", "functions[0].node_file", "not a node file Patchbay knows"],
    ["title: T\nstores:\n- id: a\n  table: x\n  stream: y\n", "stores[0]", "has both `table` and `stream`"],
    ["title: T\nstores:\n- id: a\n", "stores[0]", "needs `table: <name>` or `stream: <name>`"],
    ["title: T\nfunctions:\n- id: a\n  node_file: load.py\n  inputs: [x]\n", "functions[0].inputs", "must map port names to stores"],
    ["title: T\nfunctions:\n- id: a\n  node_file: load.py\n  display: {x: left}\n", "functions[0].display.x", "must be a number"],
    ["title: T\nfunctions:\n- id: a\n  node_file: load.py\n  runtime: gpu\n", "functions[0].runtime", 'must be "server" or "browser"'],
    ["title: T\nfunctions:\n- id: a\n  node_file: load.py\n  parameter_values: {n: .inf}\n", "functions[0].parameter_values.n", "not a finite number"],
    ["title: T\ndocs:\n- id: a\n", "docs[0]", "needs `markdown_file"],
    ["title: T\nfunctions:\n- id: h\n  webhook: incoming\n  webhook_mode: later\n", "functions[0].webhook_mode", 'must be "ingest"'],
    ["functions: []\n", "title", "is missing: add `title: My app`"],
  ])("explains a bad graph.yml: %j", (yml, key, message) => {
    expect(problemsOf(oneFunctionApp(yml))[0]).toMatchObject({ file: "graph.yml", key, message: expect.stringContaining(message) });
  });

  it("refuses a graph.yml that is not a mapping, a __proto__ key, and a chart that is not JSON", () => {
    expect(problemsOf({ "graph.yml": "- just\n- a list\n" })[0]?.message).toContain("must be a YAML mapping");
    expect(problemsOf({ "graph.yml": "title: T\n__proto__: {polluted: true}\n" })[0]).toMatchObject({ line: 2, message: expect.stringContaining('"__proto__"') });
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    expect(problemsOf({ "graph.yml": "title: T\nfunctions:\n- id: c\n  node_file: c.json\n", "c.json": "{ not json" })[0]?.message).toContain('"c.json" is not a Vega-Lite chart spec');
    expect(problemsOf({})[0]?.message).toContain("is missing: an app folder needs a graph.yml");
  });

  it("uses the default title when graph.yml has none", () => {
    expect(importGraphYml(oneFunctionApp("functions: []\n"), { defaultTitle: "my-folder" }).title).toBe("my-folder");
  });
});
