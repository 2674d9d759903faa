import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { repoRoot } from "./paths.ts";

export interface RunningServer {
  url: string;
  dataDir: string;
  /** What the server printed, and whether it is still running, for failure messages. */
  output(): string;
  stop(): Promise<void>;
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
export async function startServer(timeoutMs = 90_000): Promise<RunningServer> {
  const existing = process.env.PATCHBAY_E2E_URL;
  if (existing) return { url: existing.replace(/\/$/, ""), dataDir: "", output: () => "(server started outside the test)", stop: async () => {} };
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), "patchbay-e2e-data-"));
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
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited(child);
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`The server exited with code ${child.exitCode} before answering /healthz:\n${output}`);
    }
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.status === 200) return { url, dataDir, output: () => output + exitNote, stop };
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error(`The server did not answer GET /healthz with 200 within ${timeoutMs} ms:\n${output}`);
}
