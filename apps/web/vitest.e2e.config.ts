import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// End-to-end tests: a real server, the built app and a real Chromium, one at a time.
export default defineConfig({
  // Run from the repository root by `npm test` and from apps/web alike.
  root: fileURLToPath(new URL(".", import.meta.url)),
  test: {
    include: ["e2e/**/*.e2e.test.ts"],
    globalSetup: ["e2e/global-setup.ts"],
    testTimeout: 300_000,
    hookTimeout: 180_000,
    pool: "forks",
    maxWorkers: 1,
    fileParallelism: false,
  },
});
