// Generates the Prisma client into packages/db/src/generated after `npm install`.
// Prisma's CLI checks for native engines it does not need with engine "js";
// pointing these variables at any existing file skips that download.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.execPath,
  PRISMA_QUERY_ENGINE_LIBRARY: process.execPath,
  PRISMA_HIDE_UPDATE_MESSAGE: "1",
  // The schema needs a url; the CLI talks to PGlite through the adapter instead.
  PRISMA_DATABASE_URL: "postgresql://unused@localhost/unused",
  CHECKPOINT_DISABLE: "1",
};
const args = process.argv.slice(2);
execFileSync(process.execPath, [
  "node_modules/prisma/build/index.js",
  ...(args.length ? args : ["generate"]),
  "--config", "prisma/prisma.config.ts",
], { cwd: root, env, stdio: "inherit" });
