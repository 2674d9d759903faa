import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import type { GraphNode } from "@patchbay/graph";
import { openDatabase } from "@patchbay/db";
import { createServerDatabase } from "@patchbay/db/testing";
import { readEnv } from "../../src/env.ts";
import { startApp, type App } from "../../src/app.ts";
import { apiClient, CookieJar, OWNER_EMAIL, OWNER_PASSWORD, signUpOwner } from "../auth-client.ts";
import { Tally } from "./tally.ts";

// Faults under way: the server SIGKILLed in the middle of a node run, and a
// private PostgreSQL server restarted while nodes run continuously. No run is
// left "running" for ever, nothing a killed run did not commit is visible,
// and new runs succeed afterwards.

const tally = new Tally("faults");
afterAll(() => tally.save());

const MAIN = fileURLToPath(new URL("../../src/main.ts", import.meta.url));
const PG_BIN = "/usr/lib/postgresql/15/bin";

const node = (id: string, kind: GraphNode["kind"], code = "", extra: Partial<GraphNode> = {}): GraphNode => ({
  id, kind, title: id, position: { x: 0, y: 0 }, code, inputs: {}, outputs: {}, parameterValues: {}, runtime: "server", ...extra,
});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `promise`, or an error naming `what` when it takes longer than `timeoutMs` (a hang must fail the test, and say where). */
async function within<T>(what: string, timeoutMs: number, promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${timeoutMs / 1000} s`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `probe` until `done` says so, or fails after `timeoutMs`. */
async function until<T>(what: string, probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await within(what, 30_000, probe()).catch(() => undefined);
    if (last !== undefined && done(last)) return last;
    await sleep(250);
  }
  throw new Error(`${what}: not within ${timeoutMs / 1000} s (last: ${JSON.stringify(last)?.slice(0, 500)})`);
}

/** The pids of a process's children (Linux /proc). */
function childPids(pid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid) found.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** `node apps/server/src/main.ts` as its own process; resolves with its URL once it listens. */
function startServerProcess(dataDir: string): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN], {
      env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "", PORT: "0", HOST: "127.0.0.1", DATA_DIR: dataDir, SEED_EXAMPLE: "false", WORKERS: "1", RUN_TIME_LIMIT_SECONDS: "60" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const timer = setTimeout(() => reject(new Error(`the server did not start within 120 s:\n${output}`)), 120_000);
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const port = /Patchbay is running at http:\/\/localhost:(\d+)/.exec(output)?.[1];
      if (port) {
        clearTimeout(timer);
        resolve({ child, url: `http://127.0.0.1:${port}`, output: () => output });
      }
    });
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${signal ?? code}) before listening:\n${output}`));
    });
  });
}

describe("the server SIGKILLed during a node run (embedded database)", () => {
  let dataDir = "";
  const started: ChildProcess[] = [];
  const sandboxPids: number[] = [];

  afterAll(() => {
    for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    // Sandbox workers of the killed server leave when their parent's channel closes; make sure.
    for (const pid of sandboxPids) if (isAlive(pid)) process.kill(pid, "SIGKILL");
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  // Concurrent with the PostgreSQL test below: most of its time is spent waiting for the queue to hand the interrupted job on.
  it.concurrent("retries or fails the interrupted run after a restart on the same DATA_DIR, never leaving it running, and shows nothing partial", async () => {
    dataDir = mkdtempSync(join(tmpdir(), "patchbay-hostile-kill-"));
    const first = await startServerProcess(dataDir);
    started.push(first.child);
    const { client } = await signUpOwner(first.url);
    const graphId = (await client.graphs.create.mutate({ title: "Killed mid-run" })).id;
    // Writes 1,000 rows, then takes a while before its (only) commit at the end.
    const code = 'from patterns import Table\nimport time\nout = Table("out", "w")\nout.append([{"i": i} for i in range(1000)])\nprint("appended, not committed")\ntime.sleep(4)\n';
    await client.graphs.applyChanges.mutate({ id: graphId, changes: [{ type: "addNode", node: node("slow", "python", code, { outputs: { out: "out" } }) }, { type: "addNode", node: node("out", "table") }] });
    const { runId } = await client.runs.start.mutate({ graphId, nodeId: "slow", scope: "node" });
    await until("the node runs", () => client.runs.latestByNode.query({ graphId }), (latest) => latest["slow"]?.status === "running", 60_000);
    await sleep(1_500);
    const pid = first.child.pid ?? 0;
    sandboxPids.push(...childPids(pid));
    tally.attempt();
    first.child.kill("SIGKILL");
    await new Promise((resolve) => first.child.once("exit", resolve));

    // Started again on the same folder: it takes over the stale lock and the interrupted job.
    const killedAt = Date.now();
    const second = await startServerProcess(dataDir);
    started.push(second.child);
    expect((await fetch(`${second.url}/healthz`)).status).toBe(200);
    const jar = new CookieJar();
    const again = apiClient(second.url, { jar });
    await again.auth.signIn.mutate({ email: OWNER_EMAIL, password: OWNER_PASSWORD });
    // Nothing of the interrupted run is visible while it is retried.
    const preview = await again.stores.preview.query({ graphId, storeName: "out" });
    expect(preview.total).toBe(0);
    const runOf = async () => (await again.runs.nodeRuns.query({ graphId, nodeId: "slow" })).filter((r) => r.runId === runId);
    const settled = await until("the interrupted run ends", runOf, (runs) => runs.length > 0 && runs.every((r) => ["succeeded", "failed", "cancelled"].includes(r.status)), 240_000);
    tally.refused();
    const succeeded = settled.filter((r) => r.status === "succeeded").length;
    console.log(`SIGKILL mid-run: the interrupted node run ended ${settled.map((r) => `${r.status} (attempt ${r.attempt})`).join(", ")}, ${Math.round((Date.now() - killedAt) / 1000)} s after the kill.`);
    // Exactly the one commit of the run that finished, or nothing at all.
    expect((await again.stores.preview.query({ graphId, storeName: "out" })).total).toBe(succeeded > 0 ? 1000 : 0);
    tally.intact();
    // And a new run works.
    const fresh = await again.runs.start.mutate({ graphId, nodeId: "slow", scope: "node" });
    const done = await until("a new run ends", async () => (await again.runs.nodeRuns.query({ graphId, nodeId: "slow" })).filter((r) => r.runId === fresh.runId), (runs) => runs.some((r) => r.status === "succeeded"), 120_000);
    expect(done.length).toBeGreaterThan(0);
    second.child.kill("SIGTERM");
    await new Promise((resolve) => second.child.once("exit", resolve));
    for (const sandbox of sandboxPids) expect(isAlive(sandbox), `sandbox process ${sandbox} outlived its killed server`).toBe(false);

    // With the server stopped, the database itself: no node run still marked running or queued.
    const db = await openDatabase({ dataDir: join(dataDir, "pglite") });
    try {
      const stuck = await db.prisma.nodeRun.count({ where: { status: { in: ["running", "queued"] } } });
      expect(stuck).toBe(0);
      tally.intact();
    } finally {
      await db.close();
    }
  }, 600_000);
});

const sharedServer = process.env["PATCHBAY_TEST_DATABASE_URL"];

describe.skipIf(!sharedServer)("a database connection killed under a transaction (PostgreSQL)", () => {
  it("gives the dead connection up: the pool keeps serving and closes", async () => {
    const created = await createServerDatabase(sharedServer ?? "");
    const db = await openDatabase({ url: created.url });
    const admin = await openDatabase({ url: created.url });
    try {
      for (let round = 0; round < 3; round++) {
        tally.attempt();
        // The server ends the transaction's connection under it, as a restart or failover does.
        const failed = await db.prisma
          .$transaction(async (tx) => {
            const [row] = await tx.$queryRawUnsafe<{ pid: number }[]>("SELECT pg_backend_pid() AS pid");
            await admin.prisma.$executeRawUnsafe("SELECT pg_terminate_backend($1)", row?.pid ?? 0);
            await tx.$queryRawUnsafe("SELECT 1");
          })
          .then(() => false, () => true);
        expect(failed).toBe(true);
        tally.refused();
      }
      // Still serving, and closing does not wait for a connection no one will give back.
      expect(await within("a query after the killed transactions", 10_000, db.prisma.$queryRawUnsafe<{ one: number }[]>("SELECT 1 AS one"))).toEqual([{ one: 1 }]);
      await within("closing the pool", 10_000, db.close());
      tally.intact();
    } finally {
      await admin.close();
      await created.drop();
    }
  }, 60_000);
});

/** A free TCP port on 127.0.0.1. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

/** Why a private PostgreSQL server cannot be made here, or null when it can. */
function privatePostgresUnavailable(): string | null {
  if (!existsSync(join(PG_BIN, "initdb")) || !existsSync(join(PG_BIN, "pg_ctl"))) return `no PostgreSQL binaries in ${PG_BIN} (apt-get install postgresql)`;
  if (userInfo().uid !== 0) return "not running as root, so it cannot start PostgreSQL as the postgres user";
  if (spawnSync("id", ["postgres"]).status !== 0) return "there is no postgres OS user";
  if (!statSync("/dev/null").isCharacterDevice() && spawnSync("unshare", ["-m", "true"]).status !== 0) return "/dev/null is not a device here and no private mount namespace can be made to give initdb one";
  return null;
}

const unavailable = privatePostgresUnavailable();
if (unavailable) console.warn(`Skipping the PostgreSQL restart test: ${unavailable}.`);

describe.skipIf(unavailable !== null)("a private PostgreSQL server restarted while nodes run", () => {
  let pgDir = "";
  let port = 0;
  let app: App | undefined;
  let dataDir = "";

  /**
   * Runs a PostgreSQL command as the postgres OS user (initdb refuses root).
   * initdb and pg_ctl write to /dev/null; where the machine's /dev/null is not
   * a device (seen on shared test machines), the command runs in a private
   * mount namespace with a real null device bound over it, leaving the host's alone.
   */
  function asPostgres(command: string, timeoutMs = 60_000): { status: number | null; output: string } {
    const su = `su postgres -s /bin/sh -c '${command.replace(/'/g, "'\\''")}'`;
    const wrapped = statSync("/dev/null").isCharacterDevice() ? su : `mknod -m 666 ${pgDir}/null c 1 3 2>/dev/null; mount --bind ${pgDir}/null /dev/null && ${su}`;
    const result = statSync("/dev/null").isCharacterDevice()
      ? spawnSync("sh", ["-c", wrapped], { encoding: "utf8", timeout: timeoutMs })
      : spawnSync("unshare", ["-m", "sh", "-c", wrapped], { encoding: "utf8", timeout: timeoutMs });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  }

  afterAll(async () => {
    await within("closing the app", 60_000, app?.close() ?? Promise.resolve()).catch((error: unknown) => console.error(String(error)));
    if (pgDir) {
      asPostgres(`${PG_BIN}/pg_ctl -D ${pgDir}/data -m immediate stop`, 30_000);
      rmSync(pgDir, { recursive: true, force: true });
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it.concurrent("recovers: runs that met the restart end, new runs succeed, and each stored row belongs to one succeeded run", async () => {
    dataDir = mkdtempSync(join(tmpdir(), "patchbay-hostile-pgrestart-"));
    pgDir = mkdtempSync(join(tmpdir(), "patchbay-hostile-pg-"));
    chmodSync(pgDir, 0o755);
    chownSync(pgDir, Number(spawnSync("id", ["-u", "postgres"], { encoding: "utf8" }).stdout.trim()), Number(spawnSync("id", ["-g", "postgres"], { encoding: "utf8" }).stdout.trim()));
    port = await freePort();
    const init = asPostgres(`${PG_BIN}/initdb -D ${pgDir}/data -U postgres --auth=trust -E UTF8 --no-sync`, 120_000);
    expect(init.status, init.output).toBe(0);
    const options = `-c listen_addresses=127.0.0.1 -p ${port} -k ${pgDir} -c fsync=off -c max_connections=60`;
    const start = asPostgres(`${PG_BIN}/pg_ctl -D ${pgDir}/data -l ${pgDir}/log -o "${options}" -w -t 60 start`, 90_000);
    expect(start.status, start.output).toBe(0);
    const created = await createServerDatabase(`postgres://postgres@127.0.0.1:${port}/postgres`);

    app = await startApp(readEnv({ PORT: "0", HOST: "127.0.0.1", WORKERS: "2", RUN_TIME_LIMIT_SECONDS: "60", SEED_EXAMPLE: "false", DATABASE_URL: created.url, DATA_DIR: dataDir }));
    const running = app;
    const { client } = await signUpOwner(running.url);
    const graphId = (await client.graphs.create.mutate({ title: "Under a restart" })).id;
    // Each run appends one row: the rows must match the succeeded runs one for one.
    const code = 'from patterns import Table\nimport time\ntime.sleep(0.2)\nTable("ticks", "w").append({"t": time.time()})\n';
    await client.graphs.applyChanges.mutate({ id: graphId, changes: [{ type: "addNode", node: node("tick", "python", code, { outputs: { ticks: "ticks" } }) }, { type: "addNode", node: node("ticks", "table") }] });

    // Nodes run continuously: a new run every 300 ms for 14 s, the restart in the middle.
    let stopLoad = false;
    const startFailures: string[] = [];
    let starts = 0;
    const load = (async () => {
      while (!stopLoad) {
        starts += 1;
        tally.attempt();
        await client.runs.start.mutate({ graphId, nodeId: "tick", scope: "node" }).catch((error: unknown) => startFailures.push(error instanceof Error ? error.message : String(error)));
        await sleep(300);
      }
    })();
    await sleep(3_000);
    const restart = asPostgres(`${PG_BIN}/pg_ctl -D ${pgDir}/data -l ${pgDir}/log -o "${options}" -m fast -w -t 60 restart`, 90_000);
    expect(restart.status, restart.output).toBe(0);
    await sleep(6_000);
    stopLoad = true;
    await load;
    // Some starts may have met the database down; they must have failed as errors, not hung.
    expect(starts).toBeGreaterThan(10);
    expect(startFailures.length).toBeLessThan(starts);

    // Every run ends; none stays running or queued.
    const db = running.services.db;
    const open = async () => db.prisma.nodeRun.count({ where: { graphId, status: { in: ["running", "queued"] } } });
    await until("every node run ends after the restart", open, (n) => n === 0, 300_000);
    tally.refused(starts);
    // Consistency: one row per succeeded node run, none from failed ones.
    const succeeded = await db.prisma.nodeRun.count({ where: { graphId, status: "succeeded" } });
    expect(succeeded).toBeGreaterThan(0);
    const rows = (await client.stores.preview.query({ graphId, storeName: "ticks", limit: 1 })).total;
    const failed = await db.prisma.nodeRun.findMany({ where: { graphId, status: "failed" }, select: { error: true } });
    const errors = [...new Set(failed.map((r) => (r.error ?? "").split("\n")[0]))].join(" | ");
    console.log(`PostgreSQL restart: ${starts} runs started (${startFailures.length} refused while it was down), ${succeeded} node runs succeeded, ${failed.length} failed${errors ? ` (${errors})` : ""}, ${rows} rows stored.`);
    for (const run of failed) expect(run.error, "a node run the restart broke says so").toMatch(/\S/);
    expect(rows).toBe(succeeded);
    tally.intact();
    // The server serves, and a new run succeeds.
    expect((await within("/healthz", 30_000, fetch(`${running.url}/healthz`))).status).toBe(200);
    const fresh = await within("runs.start after the restart", 30_000, client.runs.start.mutate({ graphId, nodeId: "tick", scope: "node" }));
    await until("a new run succeeds", async () => (await client.runs.nodeRuns.query({ graphId, nodeId: "tick" })).find((r) => r.runId === fresh.runId)?.status, (status) => status === "succeeded", 120_000);
    app = undefined;
    await within("closing the app after the restart", 60_000, running.close());
    await within("dropping the database", 30_000, created.drop());
  }, 600_000);
});

