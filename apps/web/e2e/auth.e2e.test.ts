import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openBrowser, shot, textOf, waitFor, waitForStatus, graphNode, type Browser } from "./run-data-helpers.ts";
import { startServer, type RunningServer } from "./server.ts";

// Accounts in a real Chromium against the real server, from its very first
// start: create the owner, sign out and in, make an API token and a secret,
// use the secret in a node's parameter, run it, and see it masked in the logs.

const EMAIL = "ada@example.test";
const PASSWORD = "analytical engine 1843";
const SECRET = "e2e-secret-value-4242";

let server: RunningServer;
let browser: Browser;

describe("accounts, settings and secrets", () => {
  beforeAll(async () => {
    server = await startServer(90_000, undefined, { signIn: false });
    browser = await openBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (browser?.problems.length) console.log(`Browser problems seen:\n${browser.problems.join("\n")}`);
  });

  it("sets up the owner, signs out and in, makes a token and a secret, and masks the secret in a run's logs", async () => {
    const { page } = browser;
    // 1. First start: the owner account.
    await page.goto(server.url);
    await page.getByTestId("setup-page").waitFor();
    expect(await textOf(page.locator("h1"))).toBe("Create the owner account");
    await page.getByTestId("setup-email").fill(EMAIL);
    await page.getByTestId("setup-password").fill("short");
    await page.getByTestId("setup-password-confirm").fill("short");
    await page.getByTestId("auth-submit").click();
    await waitFor("the password rule", async () => (await textOf(page.getByTestId("auth-error"))).includes("at least 10 characters"));
    await page.getByTestId("setup-password").fill(PASSWORD);
    await page.getByTestId("setup-password-confirm").fill(PASSWORD);
    await page.getByTestId("auth-submit").click();
    await page.locator('[data-testid="graph-row"][data-title="Example: orders"]').waitFor();
    expect(await textOf(page.getByTestId("user-email"))).toBe(EMAIL);
    expect(await page.getByTestId("role-badge").getAttribute("title")).toBe("You are the owner here");
    // The session cookie is not readable by scripts.
    const cookies = await browser.context.cookies(server.url);
    expect(cookies.find((c) => c.name === "patchbay_session")).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/" });
    expect(await page.evaluate(() => document.cookie)).not.toContain("patchbay_session");

    // 2. Sign out: the sign-in page, and the API refuses this browser.
    await page.getByTestId("sign-out").click();
    await page.getByTestId("sign-in-page").waitFor();
    expect(await page.evaluate(async () => (await fetch("/trpc/graphs.list")).status)).toBe(401);

    // 3. Sign in: a wrong password is refused, the right one lets in.
    await page.getByTestId("sign-in-email").fill(EMAIL);
    await page.getByTestId("sign-in-password").fill("not the password");
    await page.getByTestId("auth-submit").click();
    await waitFor("the wrong-password message", async () => (await textOf(page.getByTestId("auth-error"))).includes("Wrong email or password"));
    await page.getByTestId("sign-in-password").fill(PASSWORD);
    await page.getByTestId("auth-submit").click();
    await page.locator('[data-testid="graph-row"]').first().waitFor();

    // 4. Settings → API tokens: the token is shown once, works as a Bearer token, and is listed without it.
    await page.getByTestId("settings-link").click();
    await page.getByTestId("settings-page").waitFor();
    await page.getByTestId("settings-tab-tokens").click();
    await page.getByTestId("token-name").fill("e2e script");
    await page.getByTestId("token-role").selectOption("editor");
    await page.getByTestId("token-create").click();
    await page.getByTestId("token-value").waitFor();
    const token = (await textOf(page.getByTestId("token-value"))).trim();
    expect(token).toMatch(/^pbt_[A-Za-z0-9_-]{43}$/);
    await page.locator('[data-testid="token-row"][data-name="e2e script"]').waitFor();
    const asScript = (procedure: string, body?: unknown) =>
      fetch(`${server.directUrl}/trpc/${procedure}`, {
        method: body === undefined ? "GET" : "POST",
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    expect((await asScript("graphs.list")).status).toBe(200);
    await page.reload();
    await page.locator('[data-testid="token-row"][data-name="e2e script"]').waitFor();
    expect(await page.getByTestId("token-value").count()).toBe(0);
    expect(await textOf(page.getByTestId("tokens-table"))).not.toContain(token);

    // 5. Settings → Secrets: saved, listed by name only.
    await page.getByTestId("settings-tab-secrets").click();
    await page.getByTestId("secret-name").fill("api_key");
    await page.getByTestId("secret-value").fill(SECRET);
    await page.getByTestId("secret-save").click();
    await page.locator('[data-testid="secret-row"][data-name="api_key"]').waitFor();
    expect(await textOf(page.getByTestId("secrets-table"))).not.toContain(SECRET);
    await shot(page, "auth-settings");

    // 6. A graph made by the script (with its token); the secret goes into the node's parameter in the form.
    const created = await asScript("graphs.create", { title: "Uses a secret" });
    expect(created.status).toBe(200);
    const graphId = String((await created.json()).result.data.id);
    const code = ['from patterns import Parameter', 'key = Parameter("api_key_param")', 'print("using", key)', 'print("length", len(key))'].join("\n");
    const changed = await asScript("graphs.applyChanges", {
      id: graphId,
      changes: [{ type: "addNode", node: { id: "uses", kind: "python", title: "uses", position: { x: 120, y: 120 }, code, inputs: {}, outputs: {}, parameterValues: {}, runtime: "server" } }],
    });
    expect(changed.status).toBe(200);
    await page.goto(`${server.url}/#/graphs/${graphId}`);
    await graphNode(page, "uses").waitFor();
    await graphNode(page, "uses").locator('[data-testid="node-title"]').click();
    await page.getByTestId("param-api_key_param").fill("${{ api_key }}");
    await page.waitForTimeout(600);
    await page.locator('[data-testid="save-status"][data-state="saved"]').waitFor({ timeout: 15_000 });

    // 7. Run it on the server: the code got the value (its length), the logs show *** in its place.
    await graphNode(page, "uses").getByTestId("node-run").click();
    expect(await waitForStatus(page, "uses", ["succeeded", "failed"])).toBe("succeeded");
    await page.getByTestId("tab-logs").click().catch(() => {});
    await waitFor("the run's logs", async () => (await textOf(page.getByTestId("log-lines"))).includes("length"), 20_000);
    const logs = await textOf(page.getByTestId("log-lines"));
    await shot(page, "auth-masked-logs");
    expect(logs).toContain("using ***");
    expect(logs).toContain(`length ${SECRET.length}`);
    expect(logs).not.toContain(SECRET);
    expect(await textOf(page.getByTestId("bottom-panel"))).not.toContain(SECRET);
  });
});
