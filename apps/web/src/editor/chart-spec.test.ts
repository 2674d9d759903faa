import { describe, expect, it } from "vitest";
import { chartSpecWithRows } from "./chart-spec.ts";

describe("chartSpecWithRows", () => {
  const size = { width: 280, height: 170 };
  it("puts the store's rows in as the data, replacing any the spec names", () => {
    const result = chartSpecWithRows('{"mark": "bar", "data": {"url": "x.csv"}, "width": 100}', [{ a: 1 }], size);
    expect(result).toEqual({ spec: { width: 100, height: 170, mark: "bar", data: { values: [{ a: 1 }] } } });
  });
  it("explains a spec that is not JSON or not an object", () => {
    const broken = chartSpecWithRows("{mark: bar", [], size);
    expect("error" in broken && broken.error).toMatch(/not valid JSON/);
    const list = chartSpecWithRows("[1, 2]", [], size);
    expect("error" in list && list.error).toMatch(/JSON object/);
  });
});
