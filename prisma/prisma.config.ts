// Prisma CLI configuration. The JavaScript schema engine with an embedded
// PGlite lets `prisma generate` and `prisma migrate diff` run offline, with no
// native engine download.
import { defineConfig } from "prisma/config";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";

export default defineConfig({
  schema: "./schema.prisma",
  migrations: { path: "./migrations" },
  engine: "js",
  experimental: { adapter: true },
  adapter: async () => new PrismaPGlite(new PGlite()),
});
