import { describe, expect, it } from "vitest";
import { parameterInputError, schemaRows, schemaValue } from "./parameter-values.ts";

describe("parameterInputError", () => {
  it("accepts values of the type and empty text, and explains the rest", () => {
    expect(parameterInputError({ type: "int" }, " 42 ")).toBeNull();
    expect(parameterInputError({ type: "int" }, "")).toBeNull();
    expect(parameterInputError({ type: "int" }, "4.5")).toMatch(/whole number/);
    expect(parameterInputError({ type: "float" }, "-3.5e2")).toBeNull();
    expect(parameterInputError({ type: "float" }, "abc")).toMatch(/number/);
    expect(parameterInputError({ type: "date" }, "2024-02-29")).toBeNull();
    expect(parameterInputError({ type: "date" }, "29/02/2024")).toMatch(/YYYY-MM-DD/);
    expect(parameterInputError({ type: "datetime" }, "2024-02-29T10:30")).toBeNull();
    expect(parameterInputError({ type: "connection" }, "${{ my_db }}")).toBeNull();
    expect(parameterInputError({ type: "connection" }, "password123")).toMatch(/secret reference/);
    expect(parameterInputError({ type: "str" }, "anything")).toBeNull();
  });
});

describe("schema rows", () => {
  it("round-trips a schema and skips unnamed columns", () => {
    const rows = schemaRows({ id: "Integer", name: "Text" });
    expect(rows).toEqual([{ column: "id", type: "Integer" }, { column: "name", type: "Text" }]);
    expect(schemaValue([...rows, { column: " ", type: "Text" }])).toEqual({ id: "Integer", name: "Text" });
    expect(schemaRows('{"a": "Float"}')).toEqual([{ column: "a", type: "Float" }]);
    expect(schemaRows("not json")).toEqual([]);
  });
});
