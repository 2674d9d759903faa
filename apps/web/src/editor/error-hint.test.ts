import { describe, expect, it } from "vitest";
import { errorHint } from "./error-hint.ts";

describe("errorHint", () => {
  it("points at the line of a traceback", () => {
    expect(errorHint('Traceback (most recent call last):\n  File "<node bad>", line 3, in <module>\nZeroDivisionError: division by zero')).toMatch(/near line 3/);
  });
  it("says how to give a missing parameter a value", () => {
    expect(errorHint("patterns.ParameterError: Parameter 'row_limit' has no value and no default")).toMatch(/parameter/);
  });
  it("says to connect an unbound port", () => {
    expect(errorHint("patterns.PortError: Table 'nowhere' is not connected to a store")).toMatch(/Connect the port/);
  });
  it("says a cancelled run kept nothing", () => {
    expect(errorHint("Cancelled")).toMatch(/Nothing it wrote was kept/);
  });
});
