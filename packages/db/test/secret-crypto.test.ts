import { describe, expect, it } from "vitest";
import { SecretBox } from "../src/secret-crypto.ts";

const box = new SecretBox(Buffer.alloc(32, 7));
const AD = "patchbay-secret:w1:api_key";

describe("SecretBox", () => {
  it("opens what it sealed, for the same workspace and name only", () => {
    const sealed = box.seal("s3cret", AD);
    expect(sealed).not.toContain("s3cret");
    expect(box.open(sealed, AD)).toBe("s3cret");
    expect(() => box.open(sealed, "patchbay-secret:w1:other")).toThrow(/failed its integrity check/);
  });

  it("names the secret when it cannot open it", () => {
    const sealed = new SecretBox(Buffer.alloc(32, 9)).seal("s3cret", AD);
    expect(() => box.open(sealed, AD, 'The secret "api_key"')).toThrow(/^The secret "api_key" was encrypted with another PATCHBAY_SECRET_KEY/);
    const tampered = box.seal("s3cret", AD).replace(/.$/, (c) => (c === "A" ? "B" : "A"));
    expect(() => box.open(tampered, AD, 'The secret "api_key"')).toThrow(/^The secret "api_key" failed its integrity check/);
    expect(() => box.open("garbage", AD, 'The secret "api_key"')).toThrow(/^The secret "api_key" is not in a format/);
  });
});
