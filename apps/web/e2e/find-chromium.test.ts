import { describe, expect, it } from "vitest";
import { findChromium } from "./find-chromium.ts";

describe("findChromium", () => {
  it("prefers the browser named by PATCHBAY_CHROMIUM", () => {
    expect(findChromium({ PATCHBAY_CHROMIUM: process.execPath })).toBe(process.execPath);
  });

  it("skips a PATCHBAY_CHROMIUM that does not exist", () => {
    let found: string | null = null;
    try {
      found = findChromium({ PATCHBAY_CHROMIUM: "/nonexistent/chromium" });
    } catch (error) {
      expect(String(error)).toContain("apt-get install -y chromium");
    }
    expect(found).not.toBe("/nonexistent/chromium");
  });
});
