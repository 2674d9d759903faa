import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { createServer as createHttpServer, request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { repoRoot } from "./paths.ts";

export interface RunningServer {
  /** Where the tests point the browser: already signed in as the owner (see `signedInProxy`). */
  url: string;
  port: number;
  /** The server itself, with no session: for tests of signing in (auth.e2e.test.ts). */
  directUrl: string;
  /** The owner account made (or signed in to) at start-up. */
  owner: { email: string; password: string };
  dataDir: string;
  /** What the server printed, and whether it is still running, for failure messages. */
  output(): string;
  /** Stops the server and deletes its data folder, unless `keepData`. */
  stop(options?: { keepData?: boolean }): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
}

/**
 * Starts the real Patchbay server (apps/server) on a free port with a fresh data folder.
 * PATCHBAY_E2E_URL points the tests at a server that is already running instead.
 */
export async function startServer(timeoutMs = 90_000, reuse?: { port: number; dataDir: string }, options: { signIn?: boolean } = {}): Promise<RunningServer> {
  // With signIn false the server is left as on its first start: no account, `url` is the server itself.
  const signIn = options.signIn ?? true;
  const existing = process.env.PATCHBAY_E2E_URL;
  if (existing) {
    const directUrl = existing.replace(/\/$/, "");
    const proxy = await signedInProxy(directUrl, reuse?.port);
    return { url: proxy.url, port: proxy.port, directUrl, owner: E2E_OWNER, dataDir: "", output: () => "(server started outside the test)", stop: () => proxy.close() };
  }
  // `reuse` restarts a stopped server on its port and data (tests of losing the server):
  // the port is the one the browser uses, the signed-in proxy's.
  const port = await freePort();
  const dataDir = reuse?.dataDir ?? mkdtempSync(path.join(tmpdir(), "patchbay-e2e-data-"));
  let output = "";
  const child = spawn(process.execPath, ["apps/server/src/main.ts"], {
    cwd: repoRoot,
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, NODE_ENV: "test" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));

  let exitNote = "";
  child.once("exit", (code, signal) => (exitNote = `\n[the server process exited: ${signal ? `signal ${signal}` : `code ${code}`}]`));
  const url = `http://127.0.0.1:${port}`;
  let proxy: { url: string; port: number; close(): Promise<void> } | null = null;
  const stop = async (options: { keepData?: boolean } = {}) => {
    await proxy?.close();
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited(child);
      clearTimeout(timer);
    }
    if (!options.keepData) rmSync(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`The server exited with code ${child.exitCode} before answering /healthz:\n${output}`);
    }
    let healthy = false;
    try {
      healthy = (await fetch(`${url}/healthz`)).status === 200;
    } catch {
      // Not listening yet.
    }
    if (healthy) {
      if (!signIn) return { url, port, directUrl: url, owner: E2E_OWNER, dataDir, output: () => output + exitNote, stop };
      try {
        proxy = await signedInProxy(url, reuse?.port);
      } catch (error) {
        await stop();
        throw new Error(`Could not sign in to the e2e server: ${String(error)}\n${output}`);
      }
      return { url: proxy.url, port: proxy.port, directUrl: url, owner: E2E_OWNER, dataDir, output: () => output + exitNote, stop };
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error(`The server did not answer GET /healthz with 200 within ${timeoutMs} ms:\n${output}`);
}

/** The owner account of every e2e server. */
export const E2E_OWNER = { email: process.env.PATCHBAY_E2E_EMAIL ?? "owner@e2e.test", password: process.env.PATCHBAY_E2E_PASSWORD ?? "e2e owner passphrase" };

/**
 * Signs the e2e owner up (a fresh server) or in (a reused one), through the
 * real API, and returns the session cookie.
 */
export async function ownerSessionCookie(baseUrl: string): Promise<string> {
  const call = (procedure: string) =>
    fetch(`${baseUrl}/trpc/${procedure}`, { method: "POST", headers: { "content-type": "application/json", "x-patchbay-csrf": "1" }, body: JSON.stringify(E2E_OWNER) });
  let response = await call("auth.setup");
  if (response.status === 409) response = await call("auth.signIn");
  if (!response.ok) throw new Error(`signing in as ${E2E_OWNER.email} failed: ${response.status} ${await response.text()}`);
  const cookie = response.headers.getSetCookie().map((line) => line.split(";")[0] ?? "").find((pair) => pair.startsWith("patchbay_session="));
  if (!cookie) throw new Error("the server set no session cookie");
  return cookie;
}

/**
 * Every e2e test signs in first, here: the owner signs in through the API,
 * and a small proxy in front of the server adds that session cookie to every
 * request. Browsers and API helpers pointed at the proxy are signed in
 * without each test doing it; the proxy keeps the Host header, so the
 * server's same-origin check sees the address the browser used.
 */
export async function signedInProxy(upstreamUrl: string, port?: number): Promise<{ url: string; port: number; close(): Promise<void> }> {
  const cookie = await ownerSessionCookie(upstreamUrl);
  const upstream = new URL(upstreamUrl);
  const proxy = createHttpServer((req, res) => {
    const browserCookies = (req.headers.cookie ?? "").split(";").map((c) => c.trim()).filter((c) => c && !c.startsWith("patchbay_session="));
    const forwarded = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, cookie: [...browserCookies, cookie].join("; ") } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forwarded.on("error", (error) => {
      if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" }).end(`e2e proxy: ${error.message}`);
      else res.destroy();
    });
    // A closed page (or EventSource) ends the request to the server too.
    res.on("close", () => forwarded.destroy());
    req.pipe(forwarded);
  });
  const listening = await new Promise<number>((resolve, reject) => {
    proxy.once("error", reject);
    proxy.listen(port ?? 0, "127.0.0.1", () => {
      const address = proxy.address();
      if (typeof address === "object" && address) resolve(address.port);
      else reject(new Error("the e2e proxy has no port"));
    });
  });
  return {
    url: `http://127.0.0.1:${listening}`,
    port: listening,
    close: () =>
      new Promise<void>((resolve) => {
        proxy.closeAllConnections();
        proxy.close(() => resolve());
      }),
  };
}
