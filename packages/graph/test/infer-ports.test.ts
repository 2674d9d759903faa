import { describe, expect, it } from "vitest";
import { inferPorts } from "../src/index.ts";

describe("inferPorts", () => {
  it("finds tables, streams, parameters and state in Python, ignoring strings and comments", () => {
    const result = inferPorts(
      "python",
      [
        "from patterns import Table, Stream, Parameter, State, Connection",
        'orders = Table("orders", "w", description="all orders")',
        "events = Stream('events')",
        "raw = Table(name='raw', mode='r', required=False)",
        'limit = Parameter("limit", type=int, default=10)',
        'db = Parameter("db", type=Connection("postgres"))',
        'since = Parameter("since", "start date", datetime)',
        "state = State()",
        's = "Table(\'fake\')"  # Table("also_fake")',
        '"""Table("in_docstring")"""',
      ].join("\n"),
    );
    expect(result.ports).toEqual([
      { name: "orders", direction: "output", kind: "table", description: "all orders", required: true, line: 2 },
      { name: "events", direction: "input", kind: "stream", required: true, line: 3 },
      { name: "raw", direction: "input", kind: "table", required: false, line: 4 },
    ]);
    expect(result.parameters).toEqual([
      { name: "limit", type: "int", hasDefault: true, default: 10, line: 5 },
      { name: "db", type: "connection", connectionKind: "postgres", hasDefault: false, line: 6 },
      { name: "since", type: "datetime", description: "start date", hasDefault: false, line: 7 },
    ]);
    expect(result.usesState).toBe(true);
    expect(result.syntaxError).toBeUndefined();
  });

  it("reports the line of an unclosed bracket or string", () => {
    expect(inferPorts("python", 'x = Table("a")\ny = f(\n').syntaxError).toEqual({ line: 2, message: "'(' was never closed" });
    expect(inferPorts("python", 'x = "abc\n').syntaxError?.line).toBe(1);
  });

  it("reads SQL templates and adds the implicit output_table", () => {
    const result = inferPorts("sql", 'select *\nfrom {{ Table("orders") }}\nlimit {{ Parameter("n", type=int, default=3) }}');
    expect(result.ports.map((p) => [p.name, p.direction, p.line])).toEqual([
      ["orders", "input", 2],
      ["output_table", "output", 1],
    ]);
    expect(result.parameters[0]).toMatchObject({ name: "n", type: "int", default: 3, line: 3 });
  });

  it("treats the append modes as writes, as the runtime does", () => {
    const result = inferPorts("python", 'a = Table("log", "a")\nb = Stream("events", mode="append")\nc = Table("raw", "read")');
    expect(result.ports.map((p) => [p.name, p.direction])).toEqual([
      ["log", "output"],
      ["events", "output"],
      ["raw", "input"],
    ]);
  });
});
