import { createHash, randomBytes } from "node:crypto";

/**
 * A new random token (256 bits, base64url) with a readable prefix such as
 * "pbt_". Tokens this long cannot be guessed, so a plain SHA-256 of them is a
 * safe thing to store and look up (no salt or slow hash needed, unlike passwords).
 */
export function newSecretToken(prefix = ""): string {
  return `${prefix}${randomBytes(32).toString("base64url")}`;
}

/** The SHA-256 (hex) under which a session, API or invite token is stored. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}
