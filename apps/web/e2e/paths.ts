import { fileURLToPath } from "node:url";
import path from "node:path";

export const webDir = fileURLToPath(new URL("..", import.meta.url));
export const repoRoot = path.resolve(webDir, "../..");
export const distIndex = path.join(webDir, "dist", "index.html");
