import { defineConfig } from "vitest/config";

// Unit and integration tests of every workspace; the browser end-to-end tests
// have their own config (apps/web/vitest.e2e.config.ts) and run after these.
export default defineConfig({
  test: {
    // Most integration tests wait on sandboxed workers, queues and databases rather than
    // computing: three test files at a time keep two cores busy.
    maxWorkers: 3,
    projects: ["packages/*/vitest.config.ts", "apps/server/vitest.config.ts", "apps/web/vitest.config.ts"],
  },
});
