import { expect } from "vitest";
import { TRPCClientError } from "@trpc/client";
import { readEnv } from "../../src/env.ts";
import { startApp, type App } from "../../src/app.ts";
import { apiClient, CookieJar, signUpOwner, type ApiClient } from "../auth-client.ts";
import { testEngines, type TestEngine } from "../support/test-engines.ts";
import { changedTables, fingerprintStored } from "./fingerprint.ts";
import type { Tally } from "./tally.ts";

// The real server for the hostile-input suite: startApp on 127.0.0.1 with a
// temporary DATA_DIR (PGlite), or a fresh database on the PostgreSQL server
// of PATCHBAY_TEST_DATABASE_URL, plus the checks every attempt ends with.

export type HostileEngine = TestEngine;

/** PGlite always; the PostgreSQL server too when PATCHBAY_TEST_DATABASE_URL names one. */
export function hostileEngines(options: { postgres: boolean } = { postgres: true }): HostileEngine[] {
  return testEngines("patchbay-hostile-", options);
}

export interface HostileApp {
  app: App;
  close(): Promise<void>;
}

/** Starts the real app on 127.0.0.1 (any free port) with one worker and no example graph. */
export async function startHostileApp(engine: HostileEngine, env: Record<string, string> = {}): Promise<HostileApp> {
  const setup = await engine.setup();
  try {
    const app = await startApp(readEnv({ PORT: "0", HOST: "127.0.0.1", WORKERS: "1", RUN_TIME_LIMIT_SECONDS: "60", SEED_EXAMPLE: "false", ...setup.env, ...env }));
    return {
      app,
      async close() {
        await app.close();
        await setup.cleanup();
      },
    };
  } catch (error) {
    await setup.cleanup();
    throw error;
  }
}

export interface WorkspaceOwner {
  client: ApiClient;
  jar: CookieJar;
  workspaceId: string;
  userId: string;
}

/**
 * Two workspaces with their own owners and nothing shared: A owns the
 * default workspace; B came in through an invite, made their own workspace,
 * and was then removed from A's.
 */
export async function twoWorkspaces(app: App): Promise<{ a: WorkspaceOwner; b: WorkspaceOwner }> {
  const { client: a, jar: jarA } = await signUpOwner(app.url);
  const { path } = await a.members.invite.mutate({ email: "owner-b@example.test", role: "viewer" });
  const jarB = new CookieJar();
  const invited = apiClient(app.url, { jar: jarB });
  await invited.auth.acceptInvite.mutate({ token: path.slice("/#/invite/".length), password: "b's own long passphrase" });
  const workspaceB = await invited.workspaces.create.mutate({ name: "B's workspace" });
  const userB = (await invited.auth.status.query()).user?.id ?? "";
  await a.members.remove.mutate({ userId: userB });
  const b = apiClient(app.url, { jar: jarB, workspaceId: workspaceB.id });
  expect((await b.workspaces.list.query()).map((w) => w.role)).toEqual(["owner"]);
  const userA = (await a.auth.status.query()).user?.id ?? "";
  return {
    a: { client: a, jar: jarA, workspaceId: app.services.workspaceId, userId: userA },
    b: { client: b, jar: jarB, workspaceId: workspaceB.id, userId: userB },
  };
}

/** What a failed tRPC call answered: its code, HTTP status and message. */
export async function refusal(call: Promise<unknown>): Promise<{ code: string; httpStatus: number; message: string }> {
  try {
    await call;
  } catch (error) {
    if (error instanceof TRPCClientError) {
      const data: unknown = error.data;
      const code = typeof data === "object" && data !== null && "code" in data && typeof data.code === "string" ? data.code : "?";
      const httpStatus = typeof data === "object" && data !== null && "httpStatus" in data && typeof data.httpStatus === "number" ? data.httpStatus : 0;
      return { code, httpStatus, message: error.message };
    }
    throw error;
  }
  throw new Error("the call was accepted");
}

/** Snapshots everything stored; `check()` then proves nothing changed (and counts it). */
export async function snapshot(app: App, tally: Tally): Promise<{ check(what: string): Promise<void> }> {
  const before = await fingerprintStored(app.services.db);
  return {
    async check(what: string) {
      const after = await fingerprintStored(app.services.db);
      expect(changedTables(before, after), `stored data changed by ${what}`).toEqual([]);
      tally.intact();
    },
  };
}

/** The server still answers /healthz and a normal signed-in call, within a few seconds. */
export async function expectServing(app: App, client: ApiClient): Promise<void> {
  const started = Date.now();
  const health = await fetch(`${app.url}/healthz`, { signal: AbortSignal.timeout(15_000) });
  expect(health.status).toBe(200);
  expect(Array.isArray(await client.graphs.list.query())).toBe(true);
  expect(Date.now() - started).toBeLessThan(15_000);
}
