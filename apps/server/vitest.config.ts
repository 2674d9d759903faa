import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // The tRPC subscription client uses EventSource, still behind a flag in Node 26.
    execArgv: ["--experimental-eventsource"],
    // Prints the hostile-input suite's counts at the end (test/hostile/).
    globalSetup: ["./test/hostile/hostile-summary.ts"],
  },
});
