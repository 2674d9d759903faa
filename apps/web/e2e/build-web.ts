import { existsSync, readdirSync, statSync } from "node:fs";
import { build } from "vite";
import path from "node:path";
import { distIndex, repoRoot, webDir } from "./paths.ts";

/** Newest modification time of the files under a folder (or of a file). */
function newestMtime(target: string): number {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(target)) {
    if (entry === "node_modules" || entry === "dist") continue;
    newest = Math.max(newest, newestMtime(path.join(target, entry)));
  }
  return newest;
}

/** Sources the built app depends on: the web app and the packages it bundles. */
const SOURCES = [
  path.join(webDir, "src"),
  path.join(webDir, "index.html"),
  path.join(webDir, "vite.config.ts"),
  path.join(webDir, "package.json"),
  path.join(repoRoot, "packages", "graph", "src"),
  // The browser runtime bundles the executor and the patterns Python module.
  path.join(repoRoot, "packages", "runtime", "src"),
  path.join(repoRoot, "packages", "runtime", "python"),
];

/** Builds apps/web/dist with vite when it is missing or older than its sources. */
export async function ensureWebBuild(): Promise<void> {
  const built = existsSync(distIndex) ? statSync(distIndex).mtimeMs : 0;
  const sources = Math.max(...SOURCES.map(newestMtime));
  if (built > sources) return;
  // Vitest runs with NODE_ENV=test, and vite then bundles React's development build (several
  // times slower): build what `npm start` serves, a production bundle.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    await build({ root: webDir, configFile: path.join(webDir, "vite.config.ts"), logLevel: "warn", mode: "production" });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
}
