import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findPyodideDir } from "../src/server/create-pyodide.ts";
import { WorkerPool } from "../src/server/worker-pool.ts";
import { invocation, TEST_RUNTIME_CACHE_DIR } from "./helpers.ts";
import { MemoryBridge } from "./memory-bridge.ts";
import { buildWheel } from "./wheel.ts";

// `import somepkg` in a sandboxed worker, which has no network: the pool
// fetches the package from the configured index. Each test has its own pool
// (the index URL is a pool option) and a local HTTP server on 127.0.0.1.

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return `http://127.0.0.1:${port}/`;
}

async function withPool<T>(packageIndexUrl: string, action: (pool: WorkerPool) => Promise<T>): Promise<T> {
  const pool = new WorkerPool({ size: 1, cacheDir: TEST_RUNTIME_CACHE_DIR, packageIndexUrl });
  try {
    await pool.start();
    return await action(pool);
  } finally {
    await pool.close();
  }
}

describe("packages from a Pyodide package index", () => {
  // Different bytes each test run, so the shared package cache never has it yet.
  const wheel = buildWheel("mypkg_patchbay_test", "1.0", `# build ${randomUUID()}\ndef hello(name):\n    return f'hello {name} from mypkg'\n`);
  let mirror: Server;
  let mirrorUrl: string;
  const requested: string[] = [];

  beforeAll(async () => {
    const bundled: unknown = JSON.parse(readFileSync(join(findPyodideDir(), "pyodide-lock.json"), "utf8"));
    const info = typeof bundled === "object" && bundled !== null && "info" in bundled ? bundled.info : null;
    const lock = JSON.stringify({
      info,
      packages: {
        "mypkg-patchbay-test": {
          name: "mypkg_patchbay_test",
          version: "1.0",
          file_name: wheel.fileName,
          install_dir: "site",
          sha256: wheel.sha256,
          package_type: "package",
          imports: ["mypkg_patchbay_test"],
          depends: [],
        },
      },
    });
    mirror = createServer((request, response) => {
      requested.push(request.url ?? "");
      if (request.url === "/pyodide-lock.json") response.end(lock);
      else if (request.url === `/${wheel.fileName}`) response.end(wheel.bytes);
      else response.writeHead(404).end();
    });
    mirrorUrl = await listen(mirror);
  });

  afterAll(async () => {
    await new Promise((resolve) => mirror.close(resolve));
  });

  it("loads a package the node imports from a local mirror", async () => {
    await withPool(mirrorUrl, async (pool) => {
      const code = "import mypkg_patchbay_test\nprint(mypkg_patchbay_test.hello('node'))\n";
      const first = await pool.run(invocation(code), new MemoryBridge([]));
      expect(first.error).toBeNull();
      expect(first.logs.map((entry) => entry.message)).toContain("hello node from mypkg");
      expect(requested).toEqual(["/pyodide-lock.json", `/${wheel.fileName}`]);
      // The next run on the warm worker imports it again, without downloading.
      const second = await pool.run(invocation(code), new MemoryBridge([]));
      expect(second.error).toBeNull();
      expect(requested).toHaveLength(2);
    });
  });

  it("fails quickly, naming the package and the URL, when the index port is closed", async () => {
    // A port that was just free: nothing listens on it.
    const probe = createServer();
    const closedUrl = await listen(probe);
    await new Promise((resolve) => probe.close(resolve));
    await withPool(closedUrl, async (pool) => {
      const started = Date.now();
      const result = await pool.run(invocation("import numpy\nprint(numpy.zeros(2))\n"), new MemoryBridge([]));
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(result.status).toBe("failed");
      expect(result.error).toContain("'numpy'");
      expect(result.error).toContain(closedUrl);
      expect(result.error).toMatch(/cannot be reached/);
    });
  });

  it("fails within 10 s, naming the package and the URL, when the index never answers", async () => {
    const sockets = new Set<Socket>();
    const silent = createServer(() => {
      // Accepts the request and never answers.
    });
    silent.on("connection", (socket) => sockets.add(socket));
    const silentUrl = await listen(silent);
    try {
      await withPool(silentUrl, async (pool) => {
        const started = Date.now();
        const result = await pool.run(invocation("import pandas\n"), new MemoryBridge([]));
        expect(Date.now() - started).toBeLessThan(10_000);
        expect(result.status).toBe("failed");
        expect(result.error).toContain("'pandas'");
        expect(result.error).toContain(silentUrl);
        expect(result.error).toMatch(/did not answer within 9 s/);
      });
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  }, 30_000);

  it("leaves imports that no package provides to Python's own error", async () => {
    await withPool(mirrorUrl, async (pool) => {
      const result = await pool.run(invocation("import no_such_module_anywhere\n"), new MemoryBridge([]));
      expect(result.status).toBe("failed");
      expect(result.error).toContain("ModuleNotFoundError: No module named 'no_such_module_anywhere'");
    });
  });
});
