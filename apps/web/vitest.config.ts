import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "e2e/find-chromium.test.ts"],
    environment: "node",
  },
});
