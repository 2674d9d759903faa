import type { PyodideAPI } from "pyodide";
import { beforeAll, describe, expect, it } from "vitest";
import { runNodeInvocation } from "../src/executor.ts";
import type { NodeRunResult } from "../src/node-run-result.ts";
import type { PortBinding } from "../src/protocol.ts";
import { createPyodide } from "../src/server/create-pyodide.ts";
import { input, invocation, output } from "./helpers.ts";
import { MemoryBridge } from "./memory-bridge.ts";

// Runtime-level tests of the Python API against an in-memory host. One real
// Pyodide is shared by the file; each run gets fresh globals.
let pyodide: PyodideAPI;
beforeAll(async () => {
  pyodide = await createPyodide();
});

async function run(code: string, bridge: MemoryBridge, extra: Parameters<typeof invocation>[2] = {}): Promise<NodeRunResult> {
  return runNodeInvocation(pyodide, invocation(code, bridge.ports, extra), bridge);
}

function messages(result: NodeRunResult): string[] {
  return result.logs.map((entry) => entry.message);
}

function bridgeWith(ports: PortBinding[]): MemoryBridge {
  return new MemoryBridge(ports);
}

describe("running a node", () => {
  it("runs the code, captures print and commits the writes at the end", async () => {
    const bridge = bridgeWith([output("out")]);
    const result = await run(
      `
      import datetime, decimal
      from patterns import Table
      out = Table("out", mode="w")
      print("writing", 2)
      out.append([{"day": datetime.date(2024, 1, 2), "price": decimal.Decimal("1.5")}, {"at": datetime.datetime(2024, 1, 2, 3, 4)}])
      `,
      bridge,
    );
    expect(result.error).toBeNull();
    expect(result.status).toBe("succeeded");
    expect(result.recordsWritten).toBe(2);
    expect(messages(result)).toEqual(["writing 2"]);
    expect(result.logs[0]?.level).toBe("info");
    expect(bridge.records("out")).toEqual([
      { patterns_id: expect.any(String), day: "2024-01-02", price: 1.5 },
      { patterns_id: expect.any(String), at: "2024-01-02T03:04:00" },
    ]);
    const commits = bridge.requests.filter((request) => request.op === "commit");
    expect(commits).toHaveLength(1);
  });

  it("reports an exception with the node's own line numbers and commits nothing", async () => {
    const bridge = bridgeWith([output("out")]);
    const result = await runNodeInvocation(
      pyodide,
      invocation(
        `
        from patterns import Table
        out = Table("out", "w")
        out.append({"a": 1})
        def broken(x):
            return 1 / x
        broken(0)
        `,
        bridge.ports,
        { nodeTitle: "orders_generator" },
      ),
      bridge,
    );
    expect(result.status).toBe("failed");
    expect(result.error).toContain('File "<node orders_generator>", line 6, in <module>');
    expect(result.error).toContain('File "<node orders_generator>", line 5, in broken');
    expect(result.error).toContain("ZeroDivisionError: division by zero");
    expect(result.error).not.toContain("_runner.py");
    expect(bridge.records("out")).toEqual([]);
    expect(bridge.requests.some((request) => request.op === "commit")).toBe(false);
  });

  it("reports a syntax error with its line", async () => {
    const result = await run("x = 1\nif x\n    pass\n", bridgeWith([]));
    expect(result.status).toBe("failed");
    expect(result.error).toContain('File "<node test_node>", line 2');
    expect(result.error).toContain("SyntaxError");
  });

  it("gives every run fresh globals", async () => {
    const bridge = bridgeWith([]);
    expect((await run("leftover = 42", bridge)).status).toBe("succeeded");
    const second = await run("print(leftover)", bridge);
    expect(second.error).toContain("NameError: name 'leftover' is not defined");
  });

  it("keeps checkpointed writes when a later step fails", async () => {
    const bridge = bridgeWith([input("events", "events", "stream"), output("out")]);
    bridge.seed("events", [{ n: 1 }, { n: 2 }, { n: 3 }]);
    const result = await run(
      `
      from patterns import Stream, Table
      events = Stream("events")
      out = Table("out", "w")
      for record in events.consume_records():
          out.append(record)
          if record["n"] == 2:
              events.checkpoint()
          if record["n"] == 3:
              raise RuntimeError("bad record")
      `,
      bridge,
    );
    expect(result.status).toBe("failed");
    expect(bridge.records("out").map((record) => record.n)).toEqual([1, 2]);
    // The cursor stops after the checkpointed record: record 3 is delivered again.
    const again = await run(
      `
      from patterns import Stream
      print([r["n"] for r in Stream("events")])
      `,
      bridge,
    );
    expect(messages(again)).toEqual(["[3]"]);
  });

  it("fails the run on log.error and commits nothing", async () => {
    const bridge = bridgeWith([output("out")]);
    const result = await run(
      `
      from patterns import Table, log
      Table("out", "w").append({"a": 1})
      log.debug("debugging %s", 1)
      log.warn("careful")
      log.error("the API said no")
      `,
      bridge,
    );
    expect(result.status).toBe("failed");
    expect(result.error).toBe("The node logged an error: the API said no");
    expect(result.logs.map((entry) => [entry.level, entry.message])).toEqual([
      ["debug", "debugging 1"],
      ["warn", "careful"],
      ["error", "the API said no"],
    ]);
    expect(bridge.records("out")).toEqual([]);
  });

  it("treats sys.exit(0) as success", async () => {
    const result = await run("import sys\nprint('bye')\nsys.exit(0)\nprint('never')", bridgeWith([]));
    expect(result.status).toBe("succeeded");
    expect(messages(result)).toEqual(["bye"]);
  });

  it("supports import patterns and the module-level names", async () => {
    const result = await run(
      `
      import patterns
      from patterns import Table, Stream, State, Parameter, Connection, log, respond_to_request
      print(patterns.Table is Table)
      `,
      bridgeWith([]),
    );
    expect(messages(result)).toEqual(["True"]);
  });

  it("keeps the host's JavaScript away from node code", async () => {
    for (const code of ["import js", "import pyodide_js", "from pyodide.code import run_js", "from pyodide.ffi import to_js"]) {
      const result = await run(code, bridgeWith([]));
      expect(result.error, code).toContain("access to the host's JavaScript is not allowed in Patchbay nodes");
    }
  });
});

describe("Table", () => {
  it("reads records, chunks and properties", async () => {
    const bridge = bridgeWith([input("orders")]);
    bridge.seed("orders", [{ id: 1 }, { id: 2 }, { id: 3 }]);
    const result = await run(
      `
      from patterns import Table
      orders = Table("orders")
      print([r["id"] for r in orders.read()])
      print([[r["id"] for r in chunk] for chunk in orders.read(chunksize=2)])
      print(orders.is_connected, orders.exists, orders.record_count, str(orders), orders.sql_name)
      `,
      bridge,
    );
    expect(result.error).toBeNull();
    expect(messages(result)).toEqual(["[1, 2, 3]", "[[1, 2], [3]]", 'True True 3 "store"."orders" "store"."orders"']);
    expect(result.recordsRead).toBe(6);
  });

  it("says how to get pandas when a DataFrame is asked for", async () => {
    const bridge = bridgeWith([input("orders")]);
    bridge.seed("orders", [{ id: 1 }]);
    const result = await run(`from patterns import Table\nTable("orders").read(as_format="dataframe")`, bridge);
    expect(result.error).toContain(
      "pandas is needed for as_format='dataframe' (Table 'orders'.read()); install it from the Pyodide package index",
    );
  });

  it("replaces {{ }} templates in read_sql by the stores' SQL names", async () => {
    const bridge = bridgeWith([input("orders"), input("customers", "crm_customers")]);
    bridge.seed("orders", [{ id: 1 }]);
    bridge.seed("crm_customers", [{ id: 9 }]);
    const result = await run(
      `
      from patterns import Table
      orders = Table("orders")
      people = Table("customers")
      rows = orders.read_sql("select * from {{ orders }} join {{ Table('customers') }} using (id) join {{people}} p on true")
      print(len(rows))
      `,
      bridge,
    );
    expect(result.error).toBeNull();
    expect(bridge.executedSql).toEqual([
      'select * from "store"."orders" join "store"."crm_customers" using (id) join "store"."crm_customers" p on true',
    ]);
    const refused = await run(`from patterns import Table\nTable("orders").read_sql("select * from {{ secrets }}")`, bridge);
    expect(refused.error).toContain("Table 'secrets' is not a port of node 'test_node'");
  });

  it("explains a store that is not a port, and an unbound port", async () => {
    const bridge = bridgeWith([output("out", null), input("maybe", null)]);
    const unknown = await run(`from patterns import Table\nTable("elsewhere").read()`, bridge);
    expect(unknown.error).toContain("Table 'elsewhere' is not a port of node 'test_node'");
    expect(unknown.error).toContain('Table("elsewhere")');
    const unbound = await run(`from patterns import Table\nTable("out", "w").append({"a": 1})`, bridge);
    expect(unbound.error).toContain("Table 'out' is not connected to a store");
    expect(unbound.error).toContain('File "<node test_node>", line 2');
    const optional = await run(
      `from patterns import Table\nt = Table("maybe", required=False)\nprint(t.is_connected, t.read())`,
      bridge,
    );
    expect(messages(optional)).toEqual(["False []"]);
  });

  it("refuses to write an input port", async () => {
    const result = await run(`from patterns import Table\nTable("orders", "w")`, bridgeWith([input("orders")]));
    expect(result.error).toContain("Table 'orders' is an input port of node 'test_node'");
  });

  it("upserts on unique_on, and says when it is missing", async () => {
    const bridge = bridgeWith([output("customers")]);
    const missing = await run(`from patterns import Table\nTable("customers", "w").upsert({"id": 1})`, bridge);
    expect(missing.error).toContain("needs the columns that identify a record");
    const result = await run(
      `
      from patterns import Table
      customers = Table("customers", "w")
      customers.init(unique_on="id", schema={"id": "Integer", "name": "Text"}, add_created="created_at")
      customers.upsert([{"id": 1, "name": "a"}, {"id": 2, "name": "b"}])
      customers.upsert({"id": 1, "name": "A"})
      `,
      bridge,
    );
    expect(result.error).toBeNull();
    expect(bridge.records("customers").map((record) => [record.id, record.name])).toEqual([
      [1, "A"],
      [2, "b"],
    ]);
    expect(bridge.records("customers")[0]?.created_at).toEqual(expect.any(String));
    const commit = bridge.requests.findLast((request) => request.op === "commit");
    expect(commit?.op === "commit" && commit.writes[0]).toEqual({
      op: "init",
      port: "customers",
      schema: [
        { name: "id", type: "bigint" },
        { name: "name", type: "text" },
      ],
      uniqueOn: ["id"],
      addMonotonicId: "patterns_id",
    });
  });

  it("buffers replace, truncate, reset and execute_sql in order", async () => {
    const bridge = bridgeWith([output("out")]);
    bridge.seed("out", [{ a: 0 }]);
    const result = await run(
      `
      from patterns import Table
      out = Table("out", "w")
      out.replace([{"a": 1}, {"a": 2}])
      out.truncate()
      out.signal_reset()
      out.execute_sql("delete from {{ out }} where a = 1")
      out.flush()
      out.signal_create()
      `,
      bridge,
    );
    expect(result.error).toBeNull();
    const commit = bridge.requests.findLast((request) => request.op === "commit");
    expect(commit?.op === "commit" && commit.writes.map((write) => write.op)).toEqual(["replace", "truncate", "reset", "executeSql"]);
    expect(bridge.executedSql).toEqual(['delete from "store"."out" where a = 1']);
  });

  it("refuses values it cannot store, naming them", async () => {
    const result = await run(`from patterns import Table\nTable("out", "w").append({"f": object()})`, bridgeWith([output("out")]));
    expect(result.error).toContain("cannot store object in Table 'out'.append()");
  });

  it("reads a table as a stream", async () => {
    const bridge = bridgeWith([input("orders")]);
    bridge.seed("orders", [{ id: 1 }, { id: 2 }]);
    const code = `from patterns import Table\nprint([r["id"] for r in Table("orders").as_stream()])`;
    expect(messages(await run(code, bridge))).toEqual(["[1, 2]"]);
    expect(messages(await run(code, bridge))).toEqual(["[]"]);
  });
});

describe("Stream", () => {
  it("delivers each record once and commits its cursor with the run", async () => {
    const bridge = bridgeWith([input("events", "events", "stream")]);
    bridge.seed("events", [{ n: 1 }, { n: 2 }]);
    const code = `
      from patterns import Stream
      print([r["n"] for r in Stream("events").consume_records()])
    `;
    expect(messages(await run(code, bridge))).toEqual(["[1, 2]"]);
    expect(messages(await run(code, bridge))).toEqual(["[]"]);
    bridge.seed("events", [{ n: 3 }]);
    expect(messages(await run(code, bridge))).toEqual(["[3]"]);
  });

  it("rolls back, rewinds and seeks", async () => {
    const bridge = bridgeWith([input("events", "events", "stream")]);
    bridge.seed("events", [{ n: 1 }, { n: 2 }, { n: 3 }]);
    const result = await run(
      `
      from patterns import Stream
      events = Stream("events")
      first = next(iter(events))
      events.checkpoint()
      print(first["n"], [r["n"] for r in events])
      events.rollback()
      with_ids = list(events.consume_records(with_metadata=True))
      print([r["n"] for r in with_ids], "patterns_id" in with_ids[0])
      events.rewind()
      print([r["n"] for r in events])
      events.seek(with_ids[0]["patterns_id"])
      print([r["n"] for r in events], events.order_by_field)
      events.rollback()
      `,
      bridge,
    );
    expect(result.error).toBeNull();
    expect(messages(result)).toEqual(["1 [2, 3]", "[2, 3] True", "[1, 2, 3]", "[3] patterns_id"]);
    // Rolled back to the checkpoint after record 1.
    const next = await run(`from patterns import Stream\nprint([r["n"] for r in Stream("events")])`, bridge);
    expect(messages(next)).toEqual(["[2, 3]"]);
  });

  it("rolls back inside consume_with_rollback when the block fails", async () => {
    const bridge = bridgeWith([input("events", "events", "stream")]);
    bridge.seed("events", [{ n: 1 }, { n: 2 }]);
    const result = await run(
      `
      from patterns import Stream
      events = Stream("events")
      try:
          with events.consume_with_rollback() as records:
              for record in records:
                  raise ValueError("stop")
      except ValueError:
          pass
      print([r["n"] for r in events])
      `,
      bridge,
    );
    expect(messages(result)).toEqual(["[1, 2]"]);
  });

  it("writes records, one record or a list", async () => {
    const bridge = bridgeWith([output("events", "events", "stream")]);
    const result = await run(
      `
      from patterns import Stream
      events = Stream("events", "w")
      events.write({"n": 1})
      events.append([{"n": 2}, {"n": 3}])
      `,
      bridge,
    );
    expect(result.error).toBeNull();
    expect(bridge.records("events").map((record) => record.n)).toEqual([1, 2, 3]);
  });
});

describe("State", () => {
  it("keeps values between runs", async () => {
    const bridge = bridgeWith([]);
    const first = await run(
      `
      import datetime
      from patterns import State
      state = State()
      state.set_value("last", datetime.datetime(2024, 5, 1, 12, 0))
      state.set_value("count", state.get_value("count", 0) + 1)
      print(state.should_continue(), state.should_continue(pct_of_limit=0))
      `,
      bridge,
    );
    expect(messages(first)).toEqual(["True False"]);
    expect(bridge.state).toEqual({ last: "2024-05-01T12:00:00", count: 1 });
    const second = await run(
      `
      from patterns import State
      state = State()
      print(state.get_datetime("last").year, state.get_value("count"), state.get())
      state.reset()
      state.request_new_run(wait_atleast_seconds=5)
      `,
      bridge,
    );
    expect(messages(second)).toEqual(["2024 1 {'last': '2024-05-01T12:00:00', 'count': 1}"]);
    expect(bridge.state).toEqual({});
    expect(second.newRunRequest).toEqual({ triggerDownstream: true, waitAtLeastSeconds: 5 });
  });

  it("does not save state of a failed run", async () => {
    const bridge = bridgeWith([]);
    await run(`from patterns import State\nState().set({"a": 1})\nraise SystemError("x")`, bridge);
    expect(bridge.state).toEqual({});
  });
});

describe("Parameter", () => {
  it("converts values and ISO defaults to their types", async () => {
    const result = await run(
      `
      import datetime
      from patterns import Parameter, Connection
      print(repr(Parameter("limit", type=int)), repr(Parameter("ratio", type=float)), Parameter("on", type=bool))
      print(Parameter("tags", type=list), Parameter("name"), Parameter("note", type="text", default="hi"))
      print(Parameter("start", type=datetime.date, default="2024-02-03"), Parameter("at", type=datetime.datetime))
      print(Parameter("db", type=Connection("postgres"))["host"])
      `,
      bridgeWith([]),
      {
        parameters: { limit: "5", ratio: 0.5, on: "false", tags: "a, b", name: "x", at: "2024-01-02T03:04:05Z", db: { host: "h" } },
      },
    );
    expect(result.error).toBeNull();
    expect(messages(result)).toEqual([
      "5 0.5 False",
      "['a', 'b'] x hi",
      "2024-02-03 2024-01-02 03:04:05+00:00",
      "h",
    ]);
  });

  it("names a parameter that has no value and no default, or a bad value", async () => {
    const missing = await run(`from patterns import Parameter\nParameter("api_key")`, bridgeWith([]));
    expect(missing.error).toContain("Parameter 'api_key' has no value and no default");
    const bad = await run(`from patterns import Parameter\nParameter("n", type=int)`, bridgeWith([]), { parameters: { n: "many" } });
    expect(bad.error).toContain("Parameter 'n' should be a int, but its value 'many' is not");
  });
});

describe("webhooks", () => {
  it("records respond_to_request for a successful run", async () => {
    const result = await run(`from patterns import respond_to_request\nrespond_to_request("req-1", {"ok": True})`, bridgeWith([]));
    expect(result.responses).toEqual([{ requestKey: "req-1", payload: { ok: true } }]);
  });
});

describe("the host bridge", () => {
  it("turns a refused request into a Python exception with the host's message", async () => {
    const bridge = bridgeWith([input("orders")]);
    // The node code forges a request for a port it does not have.
    const result = await run(
      `
      from patterns import Table
      orders = Table("orders")
      orders._invocation.call({"op": "readTable", "port": "salaries", "offset": 0, "limit": 5})
      `,
      bridge,
    );
    expect(result.error).toContain("patterns.HostError: Port 'salaries' is not a port of this node");
    const malformed = await run(
      `from patterns import Table\nTable("orders")._invocation.call({"op": "commit", "writes": "all"})`,
      bridge,
    );
    expect(malformed.error).toContain("Bad bridge request: commit: writes must be a list");
  });
});
