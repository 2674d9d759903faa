import { ensureWebBuild } from "./build-web.ts";

// The server serves apps/web/dist, so the end-to-end tests need a current build.
export default async function setup(): Promise<void> {
  await ensureWebBuild();
}
