import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

const KEY_BYTES = 32;
const IV_BYTES = 12;
const FORMAT = "v1";

/** Thrown when the secret key is missing, malformed, or not the one a secret was sealed with. */
export class SecretKeyError extends Error {
  readonly code = "secret_key";
  constructor(message: string) {
    super(message);
    this.name = "SecretKeyError";
  }
}

/** Decodes PATCHBAY_SECRET_KEY (32 bytes, base64). */
export function parseSecretKey(base64: string): Buffer {
  const key = Buffer.from(base64.trim(), "base64");
  if (key.length !== KEY_BYTES) {
    throw new SecretKeyError(`PATCHBAY_SECRET_KEY must be ${KEY_BYTES} bytes, base64-encoded (it decodes to ${key.length} bytes). Make one with: openssl rand -base64 32`);
  }
  return key;
}

/** A fresh random key, base64-encoded (what `openssl rand -base64 32` prints). */
export function generateSecretKey(): string {
  return randomBytes(KEY_BYTES).toString("base64");
}

/**
 * AES-256-GCM with a random 96-bit IV per value. The sealed form names the
 * key (a short fingerprint) so a wrong key gives a clear error, and binds the
 * value to its workspace and name (additional authenticated data), so a
 * ciphertext copied onto another secret's row does not decrypt.
 */
export class SecretBox {
  private readonly key: Buffer;
  readonly keyId: string;

  constructor(key: Buffer) {
    if (key.length !== KEY_BYTES) throw new SecretKeyError(`A secret key must be ${KEY_BYTES} bytes.`);
    this.key = Buffer.from(key);
    this.keyId = createHash("sha256").update(key).digest("hex").slice(0, 8);
  }

  seal(plaintext: string, associatedData: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    cipher.setAAD(Buffer.from(associatedData, "utf8"));
    const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    return [FORMAT, this.keyId, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), ciphertext.toString("base64url")].join(".");
  }

  /** The plaintext; `what` names the value in errors (`The secret "api_key"`). */
  open(sealed: string, associatedData: string, what = "A stored secret"): string {
    const [format, keyId, iv, tag, ciphertext] = sealed.split(".");
    if (format !== FORMAT || keyId === undefined || iv === undefined || tag === undefined || ciphertext === undefined) {
      throw new SecretKeyError(`${what} is not in a format this version of Patchbay reads.`);
    }
    if (keyId !== this.keyId) {
      throw new SecretKeyError(`${what} was encrypted with another PATCHBAY_SECRET_KEY (key ${keyId}; this server has key ${this.keyId}). Start the server with the key it was saved under, or set the secret again.`);
    }
    try {
      const decipher = createDecipheriv("aes-256-gcm", this.key, Buffer.from(iv, "base64url"));
      decipher.setAAD(Buffer.from(associatedData, "utf8"));
      decipher.setAuthTag(Buffer.from(tag, "base64url"));
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
    } catch {
      throw new SecretKeyError(`${what} failed its integrity check (it was changed or moved in the database); set it again.`);
    }
  }
}
