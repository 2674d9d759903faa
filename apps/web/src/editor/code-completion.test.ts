import { describe, expect, it } from "vitest";
import { hoverTarget, pythonCompletionContext, signatureParameters, sqlCompletionContext } from "./code-completion.ts";

const at = (text: string) => ({ code: text.replace("|", ""), offset: text.indexOf("|") });
const python = (text: string) => {
  const { code, offset } = at(text);
  return pythonCompletionContext(code, offset);
};
const sql = (text: string) => {
  const { code, offset } = at(text);
  return sqlCompletionContext(code, offset);
};

describe("pythonCompletionContext", () => {
  it("offers store names inside the name string of a Table or Stream", () => {
    expect(python('orders = Table("or|')).toEqual({ type: "storeName", kind: "table" });
    expect(python("events = Stream('|")).toEqual({ type: "storeName", kind: "stream" });
    expect(python('t = Table(name="|')).toEqual({ type: "storeName", kind: "table" });
    expect(python('t = Table("orders")|')).toEqual({ type: "global" });
  });

  it("offers the methods of the class a variable was declared as", () => {
    expect(python('orders = Table("orders")\norders.ap|')).toEqual({ type: "member", className: "Table" });
    expect(python('s = Stream("e")\nfor r in s.|')).toEqual({ type: "member", className: "Stream" });
    expect(python("state = State()\nstate.|")).toEqual({ type: "member", className: "State" });
    expect(python('Table("x", "w").|')).toEqual({ type: "member", className: "Table" });
    expect(python("import os\nos.pa|")).toEqual({ type: "global" });
  });

  it("offers parameter types after type=", () => {
    expect(python('n = Parameter("n", type=|')).toEqual({ type: "parameterType" });
  });
});

describe("sqlCompletionContext", () => {
  it("offers store templates after FROM and JOIN, and names inside {{ }}", () => {
    expect(sql("select * from |")).toEqual({ type: "sqlStore" });
    expect(sql("select * from a join or|")).toEqual({ type: "sqlStore" });
    expect(sql("select * from {{ |")).toEqual({ type: "sqlTemplate" });
    expect(sql('select * from {{ Table("|')).toEqual({ type: "storeName", kind: "table" });
    expect(sql("select * from {{ Table(\"a\") }} where |")).toEqual({ type: "global" });
  });
});

describe("hoverTarget", () => {
  it("names the class, or the method of the variable's class", () => {
    const code = 'orders = Table("orders")\norders.append({})';
    expect(hoverTarget(code, "orders.append({})", 7, "append")).toEqual({ className: "Table", member: "append" });
    expect(hoverTarget(code, 'orders = Table("orders")', 9, "Table")).toEqual({ className: "Table", member: null });
  });
});

describe("arguments", () => {
  it("offers the keyword arguments of the call the cursor is in, minus those given", () => {
    expect(python('t = Table("orders", |')).toEqual({ type: "argument", className: "Table", member: null, used: [] });
    expect(python('t = Table("orders", mode="w", |')).toEqual({ type: "argument", className: "Table", member: null, used: ["mode"] });
    expect(python('orders = Table("orders")\nrows = orders.read(|')).toEqual({ type: "argument", className: "Table", member: "read", used: [] });
    expect(python("print(|")).toEqual({ type: "global" });
    expect(python('t = Table("a, |')).toEqual({ type: "storeName", kind: "table" });
  });

  it("reads parameter names from a signature", () => {
    expect(signatureParameters('Table(name, mode="r", description=None, schema=None, required=True)')).toEqual(["name", "mode", "description", "schema", "required"]);
    expect(signatureParameters("Parameter(name, description=None, type=str, default=<missing>)")).toEqual(["name", "description", "type", "default"]);
    expect(signatureParameters("sql_name")).toEqual([]);
  });
});
