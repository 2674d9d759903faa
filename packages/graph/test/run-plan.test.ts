import { describe, expect, it } from "vitest";
import { createRunPlan, finishStep, isPlanFinished, nextSteps, type GraphDocument, type GraphNode } from "../src/index.ts";

const node = (id: string, kind: GraphNode["kind"], code = ""): GraphNode => ({ id, kind, title: id, position: { x: 0, y: 0 }, code, inputs: {}, outputs: {}, parameterValues: {}, runtime: "server" });

// a → t1 → b → t2 → d ; a → t1 → c
const doc: GraphDocument = {
  schemaVersion: 1,
  nodes: [
    node("a", "python", 'Table("t1", "w")'),
    node("t1", "table"),
    node("b", "python", 'Table("t1")\nTable("t2", "w")'),
    node("c", "python", 'Table("t1")'),
    node("t2", "table"),
    node("d", "python", 'Table("t2")'),
  ],
};

describe("run plans", () => {
  it("starts with the start node and releases readers when it finishes", () => {
    let plan = createRunPlan(doc, "a", true, "all");
    expect(plan.steps.map((s) => s.nodeId)).toEqual(["a", "b", "c", "d"]);
    let next = nextSteps(plan, new Map());
    expect(next.ready).toEqual(["a"]);
    plan = finishStep(next.plan, "a", "succeeded");
    next = nextSteps(plan, new Map());
    expect(next.ready.sort()).toEqual(["b", "c"]);
    plan = finishStep(finishStep(next.plan, "b", "failed"), "c", "succeeded");
    next = nextSteps(plan, new Map());
    expect(next.ready).toEqual([]);
    expect(next.plan.steps.find((s) => s.nodeId === "d")).toMatchObject({ state: "cancelled", reason: "upstream node b did not succeed" });
    expect(isPlanFinished(next.plan)).toBe(true);
  });

  it("in reactive mode runs only nodes whose inputs got new data", () => {
    let plan = createRunPlan(doc, "a", true, "reactive");
    plan = finishStep(nextSteps(plan, new Map()).plan, "a", "succeeded");
    const afterA = nextSteps(plan, new Map([["a", ["t1"]]]));
    expect(afterA.ready.sort()).toEqual(["b", "c"]);
    plan = finishStep(finishStep(afterA.plan, "b", "succeeded"), "c", "succeeded");
    const afterB = nextSteps(plan, new Map([["a", ["t1"]], ["b", []]]));
    expect(afterB.ready).toEqual([]);
    expect(afterB.plan.steps.find((s) => s.nodeId === "d")).toMatchObject({ state: "skipped" });
  });
});
