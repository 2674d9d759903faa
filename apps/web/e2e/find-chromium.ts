import { existsSync } from "node:fs";
import { chromium } from "playwright-core";

/** The command that installs a Chromium the tests can drive, on Debian or Ubuntu. */
export const INSTALL_CHROMIUM_HINT = "apt-get install -y chromium";

/**
 * Finds a Chromium to drive: $PATCHBAY_CHROMIUM, Debian's and Ubuntu's packages, then a
 * browser Playwright installed itself. Never downloads one.
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  const candidates = [env.PATCHBAY_CHROMIUM, "/usr/bin/chromium", "/usr/bin/chromium-browser"];
  for (const candidate of candidates) {
    if (candidate && existsSync(candidate)) return candidate;
  }
  try {
    const bundled = chromium.executablePath();
    if (bundled && existsSync(bundled)) return bundled;
  } catch {
    // playwright-core knows no browser of its own here.
  }
  throw new Error(
    `No Chromium found for the browser tests. Install one with \`${INSTALL_CHROMIUM_HINT}\` (Debian/Ubuntu), or set PATCHBAY_CHROMIUM to a Chromium binary.`,
  );
}
