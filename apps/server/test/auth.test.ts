import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRPCClientError } from "@trpc/client";
import { appRouter } from "@patchbay/api";
import { readEnv } from "../src/env.ts";
import { startApp, type App } from "../src/app.ts";
import { apiClient, CookieJar, OWNER_EMAIL, OWNER_PASSWORD, type ApiClient } from "./auth-client.ts";
import { testEngines } from "./support/test-engines.ts";

// Accounts, sessions, roles, CSRF and API tokens, through the real server:
// HTTP requests and tRPC clients that hold cookies like a browser does.

const engines = testEngines("patchbay-auth-");

/** What a failed call answered: its tRPC code and message. */
async function failure(call: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await call;
  } catch (error) {
    if (error instanceof TRPCClientError) {
      const data: unknown = error.data;
      const code = typeof data === "object" && data !== null && "code" in data && typeof data.code === "string" ? data.code : "?";
      return { code, message: error.message };
    }
    throw error;
  }
  throw new Error("the call succeeded");
}

// Calls that need no session: a visitor must reach them to sign in at all.
const PUBLIC_PROCEDURES = new Set(["auth.status", "auth.setup", "auth.signIn", "auth.inviteInfo", "auth.acceptInvite"]);

describe.each(engines)("accounts and access on $name", (engine) => {
  let app: App;
  let dataDir: string;
  let appEnv: Record<string, string>;
  let cleanup: () => Promise<void>;
  let ownerJar: CookieJar;
  let owner: ApiClient;
  let ipCounter = 0;
  /** A client "from" its own address, so the per-address sign-in limit of one test does not spill into another. */
  const fresh = (options: { jar?: CookieJar; origin?: string; workspaceId?: string } = {}) =>
    apiClient(app.url, { ...options, headers: { "x-forwarded-for": `10.0.${engine.name.length}.${++ipCounter}` } });

  beforeAll(async () => {
    const setup = await engine.setup();
    cleanup = setup.cleanup;
    dataDir = setup.dataDir;
    // TRUST_PROXY: the tests pose as different client addresses through X-Forwarded-For.
    appEnv = { PORT: "0", HOST: "127.0.0.1", WORKERS: "1", RUN_TIME_LIMIT_SECONDS: "30", TRUST_PROXY: "true", ...setup.env };
    app = await startApp(readEnv(appEnv));
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await cleanup?.();
  });

  it("creates the owner account once, on first start, owning the default workspace with the example graph", async () => {
    const visitor = fresh();
    expect(await visitor.auth.status.query()).toEqual({ setupNeeded: true, user: null, via: null, workspaces: [] });
    // Password rules are checked, with a message that says what to do.
    expect(await failure(visitor.auth.setup.mutate({ email: OWNER_EMAIL, password: "short" }))).toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/at least 10 characters/) });
    expect(await failure(visitor.auth.setup.mutate({ email: OWNER_EMAIL, password: "password123" }))).toMatchObject({ message: expect.stringMatching(/most common/) });
    expect(await failure(visitor.auth.setup.mutate({ email: "not an email", password: OWNER_PASSWORD }))).toMatchObject({ message: expect.stringMatching(/email address/) });

    ownerJar = new CookieJar();
    owner = fresh({ jar: ownerJar });
    await owner.auth.setup.mutate({ email: ` ${OWNER_EMAIL.toUpperCase()} `, password: OWNER_PASSWORD });
    const cookie = ownerJar.received.at(-1) ?? "";
    expect(cookie).toMatch(/^patchbay_session=[A-Za-z0-9_-]{40,};/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).toMatch(/; Max-Age=259\d{4}/); // 30 days
    expect(cookie).not.toMatch(/Secure/); // plain http here

    const status = await owner.auth.status.query();
    expect(status.user?.email).toBe(OWNER_EMAIL);
    expect(status.workspaces).toEqual([{ id: app.services.workspaceId, name: "Default workspace", role: "owner" }]);
    expect((await owner.graphs.list.query()).map((g) => g.title)).toEqual(["Example: orders"]);

    // Stored: Argon2id, never the password; the session table holds a hash of the cookie's token.
    const user = await app.services.db.prisma.user.findUniqueOrThrow({ where: { email: OWNER_EMAIL } });
    expect(user.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    const sessions = await app.services.db.prisma.session.findMany({ where: { userId: user.id } });
    const token = decodeURIComponent(ownerJar.cookies.get("patchbay_session") ?? "");
    expect(sessions).toHaveLength(1);
    expect(sessions[0]?.id).not.toBe(token);
    expect(sessions[0]?.id).toMatch(/^[0-9a-f]{64}$/);

    // Only once.
    expect(await failure(fresh().auth.setup.mutate({ email: "second@example.test", password: "another good passphrase" }))).toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/exists already/) });
    expect((await fresh().auth.status.query()).setupNeeded).toBe(false);
  });

  it("answers every procedure without a session with UNAUTHORIZED, except the few a visitor needs", async () => {
    const procedures = Object.entries(appRouter._def.procedures);
    expect(procedures.length).toBeGreaterThan(30);
    const checked: string[] = [];
    for (const [path, procedure] of procedures) {
      if (PUBLIC_PROCEDURES.has(path)) continue;
      const type: unknown = "_def" in procedure && typeof procedure._def === "object" && procedure._def !== null && "type" in procedure._def ? procedure._def.type : undefined;
      const input = encodeURIComponent(JSON.stringify({}));
      const response =
        type === "mutation"
          ? await fetch(`${app.url}/trpc/${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })
          : await fetch(`${app.url}/trpc/${path}?input=${input}`, type === "subscription" ? { headers: { accept: "text/event-stream" } } : {});
      const text = await response.text();
      expect({ path, status: response.status, unauthorized: text.includes("UNAUTHORIZED") }).toEqual({ path, status: type === "subscription" ? response.status : 401, unauthorized: true });
      checked.push(path);
    }
    expect(checked).toEqual(expect.arrayContaining(["graphs.list", "graphs.applyChanges", "runs.start", "runs.events", "stores.preview", "members.invite", "tokens.create", "secrets.set", "secrets.list", "auth.signOut"]));
    // A made-up session cookie is no better than none.
    const forged = await fetch(`${app.url}/trpc/graphs.list`, { headers: { cookie: "patchbay_session=made-up-token" } });
    expect(forged.status).toBe(401);
    expect(await forged.text()).toMatch(/session has ended/);
  });

  it("signs in and out, refuses a wrong password, and ends every session on 'sign out everywhere'", async () => {
    const wrong = await failure(fresh().auth.signIn.mutate({ email: OWNER_EMAIL, password: "not the password" }));
    const unknown = await failure(fresh().auth.signIn.mutate({ email: "nobody@example.test", password: "not the password" }));
    // The same answer whether or not the account exists.
    expect(wrong).toEqual({ code: "UNAUTHORIZED", message: "Wrong email or password." });
    expect(unknown).toEqual(wrong);

    const jarA = new CookieJar();
    const browserA = fresh({ jar: jarA });
    await browserA.auth.signIn.mutate({ email: OWNER_EMAIL, password: OWNER_PASSWORD });
    const tokenA = jarA.header();
    expect((await browserA.graphs.list.query()).length).toBeGreaterThan(0);
    await browserA.auth.signOut.mutate();
    expect(jarA.received.at(-1)).toMatch(/^patchbay_session=; .*Max-Age=0/);
    expect((await failure(browserA.graphs.list.query())).code).toBe("UNAUTHORIZED");
    // The old cookie, replayed, is dead: the session was deleted on the server.
    const replayed = await fetch(`${app.url}/trpc/graphs.list`, { headers: { cookie: tokenA } });
    expect(replayed.status).toBe(401);

    const jarB = new CookieJar();
    const jarC = new CookieJar();
    const browserB = fresh({ jar: jarB });
    const browserC = fresh({ jar: jarC });
    await browserB.auth.signIn.mutate({ email: OWNER_EMAIL, password: OWNER_PASSWORD });
    await browserC.auth.signIn.mutate({ email: OWNER_EMAIL, password: OWNER_PASSWORD });
    expect((await browserC.auth.status.query()).user?.email).toBe(OWNER_EMAIL);
    const { ended } = await browserB.auth.signOutEverywhere.mutate();
    expect(ended).toBeGreaterThanOrEqual(3); // B, C and the setup session
    expect((await failure(browserB.graphs.list.query())).code).toBe("UNAUTHORIZED");
    expect((await failure(browserC.graphs.list.query())).code).toBe("UNAUTHORIZED");
    expect((await failure(owner.graphs.list.query())).code).toBe("UNAUTHORIZED");
    await owner.auth.signIn.mutate({ email: OWNER_EMAIL, password: OWNER_PASSWORD });
    expect((await owner.graphs.list.query()).length).toBeGreaterThan(0);
  });

  it("never promotes a session id sent before sign-in (no session fixation)", async () => {
    const jar = new CookieJar();
    jar.cookies.set("patchbay_session", "attacker-chosen-session-id");
    const victim = fresh({ jar });
    await victim.auth.signIn.mutate({ email: OWNER_EMAIL, password: OWNER_PASSWORD });
    const issued = jar.cookies.get("patchbay_session");
    expect(issued).toBeDefined();
    expect(issued).not.toBe("attacker-chosen-session-id");
    const planted = await fetch(`${app.url}/trpc/graphs.list`, { headers: { cookie: "patchbay_session=attacker-chosen-session-id" } });
    expect(planted.status).toBe(401);

    // A valid session held before signing in again is ended, not carried over.
    const before = jar.header();
    await victim.auth.signIn.mutate({ email: OWNER_EMAIL, password: OWNER_PASSWORD });
    expect(jar.header()).not.toBe(before);
    expect((await fetch(`${app.url}/trpc/graphs.list`, { headers: { cookie: before } })).status).toBe(401);
    expect((await victim.graphs.list.query()).length).toBeGreaterThan(0);
  });

  it("limits failed sign-ins per email and per address with a 429, a clear message and Retry-After", async () => {
    const attempt = (ip: string, email: string, password = "wrong password!", url = app.url) =>
      fetch(`${url}/trpc/auth.signIn`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": ip },
        body: JSON.stringify({ email, password }),
      });
    // Per email: ten failures from one address…
    for (let i = 0; i < 10; i++) expect((await attempt("10.9.0.1", "victim@example.test")).status).toBe(401);
    // …and the eleventh is refused even from another address.
    const limited = await attempt("10.9.0.2", "victim@example.test");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(800);
    expect(await limited.text()).toMatch(/Too many failed sign-in attempts\. Wait 15 minutes/);
    // The count is in the database: another server on it refuses too (PGlite has one server only).
    if (engine.name === "postgres") {
      const second = await startApp(readEnv(appEnv));
      try {
        expect((await attempt("10.9.0.5", "victim@example.test", "wrong password!", second.url)).status).toBe(429);
      } finally {
        await second.close();
      }
    }

    // Per address: ten failures for different emails, then even the right password is refused from there.
    for (let i = 0; i < 10; i++) expect((await attempt("10.9.0.3", `guess${i}@example.test`)).status).toBe(401);
    expect((await attempt("10.9.0.3", OWNER_EMAIL, OWNER_PASSWORD)).status).toBe(429);
    // The owner can still sign in from elsewhere.
    expect((await attempt("10.9.0.4", OWNER_EMAIL, OWNER_PASSWORD)).status).toBe(200);
  });

  it("refuses mutations from another origin and form posts without the CSRF header", async () => {
    const cookie = ownerJar.header();
    const post = (headers: Record<string, string>, body = JSON.stringify({ title: "csrf" })) =>
      fetch(`${app.url}/trpc/graphs.create`, { method: "POST", headers: { cookie, ...headers }, body });
    const host = new URL(app.url).host;

    const crossSite = await post({ "content-type": "application/json", origin: "https://evil.example" });
    expect(crossSite.status).toBe(403);
    expect(await crossSite.text()).toMatch(/came from another site/);
    const badReferer = await post({ "content-type": "application/json", referer: "https://evil.example/page" });
    expect(badReferer.status).toBe(403);
    // A plain HTML form can send neither JSON nor a custom header.
    const form = await post({ "content-type": "application/x-www-form-urlencoded", origin: `http://${host}` }, "title=csrf");
    expect(form.status).toBe(403);
    expect(await form.text()).toMatch(/x-patchbay-csrf/);
    // Login CSRF too: signing a victim's browser into the attacker's account.
    const login = await fetch(`${app.url}/trpc/auth.signIn`, { method: "POST", headers: { "content-type": "application/json", origin: "https://evil.example" }, body: JSON.stringify({ email: OWNER_EMAIL, password: OWNER_PASSWORD }) });
    expect(login.status).toBe(403);

    expect((await post({ "content-type": "application/json", origin: `http://${host}`, "x-patchbay-csrf": "1" })).status).toBe(200);
    expect((await post({ "content-type": "application/json" })).status).toBe(200); // scripts send no Origin
    // Webhooks are not tRPC: their token authenticates them, from anywhere (webhooks.test.ts).
  });

  it("gives viewers read access, editors edit and run rights, and owners member management", async () => {
    const invite = async (email: string, role: "viewer" | "editor") => {
      const { path } = await owner.members.invite.mutate({ email, role });
      expect(path).toMatch(/^\/#\/invite\/[A-Za-z0-9_-]{40,}$/);
      const token = path.slice("/#/invite/".length);
      const jar = new CookieJar();
      const client = fresh({ jar });
      expect(await client.auth.inviteInfo.query({ token })).toMatchObject({ email, role, workspaceName: "Default workspace", accountExists: false });
      await client.auth.acceptInvite.mutate({ token, password: "a long enough passphrase" });
      // An invite works once.
      expect((await failure(fresh().auth.inviteInfo.query({ token }))).code).toBe("NOT_FOUND");
      return client;
    };
    const viewer = await invite("viewer@example.test", "viewer");
    const editor = await invite("editor@example.test", "editor");
    const graphId = (await owner.graphs.list.query())[0]?.id ?? "";
    const members = await owner.members.list.query();
    expect(members.members.map((m) => [m.email, m.role])).toEqual([["editor@example.test", "editor"], [OWNER_EMAIL, "owner"], ["viewer@example.test", "viewer"]]);

    // Viewer: reads graphs, data and runs; cannot edit or run.
    expect((await viewer.graphs.get.query({ id: graphId })).id).toBe(graphId);
    await viewer.runs.latestByNode.query({ graphId });
    await viewer.stores.preview.query({ graphId, storeName: "orders", offset: 0, limit: 5 });
    for (const call of [
      () => viewer.graphs.applyChanges.mutate({ id: graphId, changes: [{ type: "moveNode", id: "generate_orders", position: { x: 1, y: 1 } }] }),
      () => viewer.graphs.create.mutate({ title: "nope" }),
      () => viewer.graphs.delete.mutate({ id: graphId }),
      () => viewer.runs.start.mutate({ graphId, nodeId: null, scope: "graph" }),
      () => viewer.members.list.query(),
    ]) {
      expect(await failure(call())).toMatchObject({ code: "FORBIDDEN", message: expect.stringMatching(/you are a viewer/) });
    }

    // Editor: edits and runs; cannot manage members, tokens or secrets.
    const scratch = await editor.graphs.create.mutate({ title: "Editor's graph" });
    await editor.graphs.rename.mutate({ id: scratch.id, title: "Renamed by editor" });
    for (const call of [
      () => editor.members.list.query(),
      () => editor.members.invite.mutate({ email: "x@example.test", role: "viewer" }),
      () => editor.members.setRole.mutate({ userId: "x", role: "owner" }),
      () => editor.tokens.create.mutate({ name: "mine", role: "editor" }),
      () => editor.secrets.set.mutate({ name: "x", kind: "value", value: "y" }),
    ]) {
      expect(await failure(call())).toMatchObject({ code: "FORBIDDEN", message: expect.stringMatching(/needs the owner role; you are an editor/) });
    }
    expect(Array.isArray(await editor.secrets.list.query())).toBe(true);

    // The owner changes roles; the last owner cannot be demoted.
    const editorId = (await owner.members.list.query()).members.find((m) => m.email === "editor@example.test")?.userId ?? "";
    await owner.members.setRole.mutate({ userId: editorId, role: "viewer" });
    expect((await failure(editor.graphs.create.mutate({ title: "now a viewer" }))).code).toBe("FORBIDDEN");
    await owner.members.setRole.mutate({ userId: editorId, role: "editor" });
    const ownerId = (await owner.auth.status.query()).user?.id ?? "";
    expect(await failure(owner.members.setRole.mutate({ userId: ownerId, role: "editor" }))).toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/at least one owner/) });
  });

  it("answers a graph of another workspace exactly like a missing one, for queries, edits and live events", async () => {
    const jar = new CookieJar();
    const stranger = fresh({ jar });
    const { path } = await owner.members.invite.mutate({ email: "stranger@example.test", role: "viewer" });
    await stranger.auth.acceptInvite.mutate({ token: path.slice("/#/invite/".length), password: "a long enough passphrase" });
    // The stranger makes their own workspace and a graph in it.
    const workspace = await stranger.workspaces.create.mutate({ name: "Stranger's" });
    const inTheirs = fresh({ jar, workspaceId: workspace.id });
    const theirGraph = await inTheirs.graphs.create.mutate({ title: "Private" });
    expect((await inTheirs.graphs.list.query()).map((g) => g.title)).toEqual(["Private"]);
    expect((await stranger.workspaces.list.query()).map((w) => [w.name, w.role])).toEqual([["Default workspace", "viewer"], ["Stranger's", "owner"]]);

    const missingId = "01J0000000000000000000000Z";
    const asMissing = (answer: { code: string; message: string }, id: string) => ({ code: answer.code, message: answer.message.replace(id, "<id>") });
    const missing = asMissing(await failure(owner.graphs.get.query({ id: missingId })), missingId);
    expect(missing).toEqual({ code: "NOT_FOUND", message: 'No graph "<id>".' });
    expect(asMissing(await failure(owner.graphs.get.query({ id: theirGraph.id })), theirGraph.id)).toEqual(missing);
    expect(asMissing(await failure(owner.graphs.applyChanges.mutate({ id: theirGraph.id, changes: [{ type: "moveNode", id: "n", position: { x: 0, y: 0 } }] })), theirGraph.id)).toEqual(missing);
    expect(asMissing(await failure(owner.runs.latestByNode.query({ graphId: theirGraph.id })), theirGraph.id)).toEqual(missing);
    expect(asMissing(await failure(owner.stores.preview.query({ graphId: theirGraph.id, storeName: "x", offset: 0, limit: 5 })), theirGraph.id)).toEqual(missing);

    // The live event stream (SSE) is checked the same way.
    const subscriptionError = await new Promise<unknown>((resolve) => {
      const subscription = owner.runs.events.subscribe({ graphId: theirGraph.id }, {
        onError: (error) => {
          subscription.unsubscribe();
          resolve(error);
        },
        onData: () => resolve(new Error("got data")),
      });
      setTimeout(() => resolve(new Error("no answer")), 10_000);
    });
    expect(subscriptionError).toBeInstanceOf(TRPCClientError);
    expect(subscriptionError instanceof TRPCClientError ? subscriptionError.message.replace(theirGraph.id, "<id>") : "").toBe(missing.message);

    // Asking for a workspace one is not a member of is answered like a missing one.
    const nosy = fresh({ jar: ownerJar, workspaceId: workspace.id });
    expect(await failure(nosy.graphs.list.query())).toEqual({ code: "NOT_FOUND", message: `No workspace "${workspace.id}".` });
  });

  it("accepts API tokens as Bearer with at most their maker's role, shows them once, and refuses them once revoked", async () => {
    const { token, summary } = await owner.tokens.create.mutate({ name: "CI import", role: "editor" });
    expect(token).toMatch(/^pbt_[A-Za-z0-9_-]{43}$/);
    expect(summary).toMatchObject({ name: "CI import", role: "editor", prefix: token.slice(0, 8), lastUsedAt: null });
    const script = apiClient(app.url, { bearer: token });
    const graphId = (await script.graphs.create.mutate({ title: "From CI" })).id;
    expect((await script.graphs.get.query({ id: graphId })).title).toBe("From CI");
    expect((await failure(script.members.list.query())).code).toBe("FORBIDDEN"); // an editor token
    expect((await script.auth.status.query()).via).toBe("token");

    // Listed without the token; stored as a hash only.
    const listed = await owner.tokens.list.query();
    expect(JSON.stringify(listed)).not.toContain(token);
    expect(listed.find((t) => t.id === summary.id)?.lastUsedAt).not.toBeNull();
    const row = await app.services.db.prisma.apiToken.findUniqueOrThrow({ where: { id: summary.id } });
    expect(JSON.stringify(row)).not.toContain(token.slice(4));

    const { token: viewerToken } = await owner.tokens.create.mutate({ name: "dashboard", role: "viewer" });
    const reader = apiClient(app.url, { bearer: viewerToken });
    expect((await reader.graphs.list.query()).length).toBeGreaterThan(0);
    expect((await failure(reader.graphs.create.mutate({ title: "nope" }))).code).toBe("FORBIDDEN");

    await owner.tokens.revoke.mutate({ id: summary.id });
    expect(await failure(script.graphs.list.query())).toMatchObject({ code: "UNAUTHORIZED", message: expect.stringMatching(/API token is not valid/) });
    const bogus = await fetch(`${app.url}/trpc/graphs.list`, { headers: { authorization: "Bearer pbt_not-a-real-token" } });
    expect(bogus.status).toBe(401);
  });

  it("made a development secret key readable by its owner only", () => {
    const mode = statSync(join(dataDir, "secret.key")).mode & 0o777;
    expect(mode).toBe(0o600);
  });
});

describe("start-up checks", () => {
  it("refuses to start in production without PATCHBAY_SECRET_KEY, saying how to make one", async () => {
    const dir = mkdtempSync(join(tmpdir(), "patchbay-prod-"));
    try {
      await expect(startApp(readEnv({ PORT: "0", HOST: "127.0.0.1", DATA_DIR: dir, NODE_ENV: "production" }))).rejects.toThrow(/PATCHBAY_SECRET_KEY is not set.*openssl rand -base64 32/);
      await expect(startApp(readEnv({ PORT: "0", HOST: "127.0.0.1", DATA_DIR: dir, NODE_ENV: "production", PATCHBAY_SECRET_KEY: "dG9vIHNob3J0" }))).rejects.toThrow(/must be 32 bytes/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
