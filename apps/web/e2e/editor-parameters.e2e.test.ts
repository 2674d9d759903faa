import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EditorHarness, pythonNode } from "./editor-harness.ts";

// The parameter form: generated from the Parameter(...) calls in the code, a control per
// type, values saved per node (undoable) and used by the next run.

const CODE = [
  "from patterns import Parameter",
  'limit = Parameter("limit", type=int, default=3)',
  'greeting = Parameter("greeting", description="How to say hello", default="hello")',
  'loud = Parameter("loud", type=bool, default=False)',
  'day = Parameter("day", type="date", default="2024-01-01")',
  'tags = Parameter("tags", type=list, default=["a"])',
  'columns = Parameter("columns", type="schema", default={"id": "Integer"})',
  'db = Parameter("db", type=Connection("postgres"), default=None)',
  'print("limit", limit * 2, "greeting", greeting, "loud", loud, "day", day.isoformat(), "tags", tags, "columns", columns)',
].join("\n");

const h = new EditorHarness();

describe("parameter form", () => {
  beforeAll(() => h.start());
  afterAll(() => h.stop());

  it("edits typed parameter values that the next run uses, and undoes them", async () => {
    const graphId = await h.openNewGraph("Parameters", [pythonNode("p", "greeter", CODE.replace("from patterns import Parameter", "from patterns import Parameter, Connection"), { x: 40, y: 40 })]);
    const { page } = h;
    await h.nodeByTitle("greeter").locator('[data-testid="node-title"]').click();
    const form = page.getByTestId("parameter-form");
    await form.waitFor();
    const field = (name: string) => page.getByTestId(`param-${name}`);

    // The right control per type, defaults as placeholders.
    expect(await field("limit").getAttribute("placeholder")).toBe("3");
    expect(await field("greeting").getAttribute("placeholder")).toBe("hello");
    expect(await field("loud").getAttribute("role")).toBe("switch");
    expect(await field("day").getAttribute("type")).toBe("date");
    expect(await field("tags").evaluate((el) => el.tagName)).toBe("TEXTAREA");
    expect(await field("columns").locator("input[aria-label='Column']").inputValue()).toBe("id");
    expect(await field("db").getAttribute("placeholder")).toBe("${{ secret_name }}");
    expect(await h.textOf(form)).toContain("How to say hello");

    // A number is checked as it is typed; a bad one is not saved.
    await field("limit").fill("x7");
    await page.getByTestId("param-error-limit").waitFor();
    await field("limit").fill("7");
    await h.waitFor("the error gone", async () => (await page.getByTestId("param-error-limit").count()) === 0);
    await field("greeting").fill("bonjour");
    await field("loud").check();
    await field("day").fill("2024-05-06");
    await field("tags").fill("x\ny");
    await field("columns").locator("input[aria-label='Column']").fill("order_id");
    await field("db").fill("not a reference");
    await page.getByTestId("param-error-db").waitFor();
    await field("db").fill("${{ warehouse }}");
    await h.waitUntilSaved();
    const saved = (await h.savedDocument(graphId)).nodes[0]?.parameterValues;
    expect(saved).toEqual({ limit: 7, greeting: "bonjour", loud: true, day: "2024-05-06", tags: ["x", "y"], columns: { order_id: "Integer" }, db: "${{ warehouse }}" });
    await h.shot("params-1-form");

    // Undo takes back the last field's edit (a burst of typing is one step), out of the form.
    await h.clickPane();
    await h.nodeByTitle("greeter").locator('[data-testid="node-title"]').click();
    await h.clickPane({ x: 600, y: 60 });
    await page.keyboard.press("Control+Z");
    await h.nodeByTitle("greeter").locator('[data-testid="node-title"]').click();
    await h.waitFor("db back to empty", async () => (await field("db").inputValue()) === "");
    // The connection parameter would need a real connection to run: leave it out.
    await h.waitUntilSaved();

    // Run the node from its context menu (the registry's Run action): its log shows the form's values.
    await h.nodeByTitle("greeter").locator('[data-testid="node-title"]').click({ button: "right" });
    await page.locator('[data-testid="context-menu"] [data-action="run-node"]').click();
    const badge = h.nodeByTitle("greeter").locator('[data-testid="run-status"]');
    await h.waitFor("the run to finish", async () => ["succeeded", "failed"].includes((await badge.getAttribute("data-status").catch(() => "")) ?? ""), 150_000);
    const logs = page.getByTestId("log-lines");
    await h.waitFor("the values in the log", async () => (await h.textOf(logs)).includes("limit 14 greeting bonjour loud True day 2024-05-06 tags ['x', 'y'] columns {'order_id': 'Integer'}"), 20_000);
    expect(await badge.getAttribute("data-status")).toBe("succeeded");
    await h.shot("params-2-ran");
  });
});
