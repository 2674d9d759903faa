import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { generateSecretKey, parseSecretKey, SecretBox } from "@patchbay/db";
import type { ServerEnv } from "./env.ts";

export const SECRET_KEY_FILE = "secret.key";

/**
 * The key that encrypts workspace secrets: PATCHBAY_SECRET_KEY, required in
 * production. In development a key is made once in DATA_DIR/secret.key
 * (readable by this user only), so `npm start` just works; every process
 * sharing a database must use the same key.
 */
export function loadSecretBox(env: ServerEnv): SecretBox {
  if (env.secretKey) return new SecretBox(parseSecretKey(env.secretKey));
  if (env.nodeEnv === "production") {
    throw new Error(
      "PATCHBAY_SECRET_KEY is not set. In production Patchbay needs it to encrypt workspace secrets. " +
        "Make one with `openssl rand -base64 32`, keep a copy somewhere safe (secrets saved under a lost key cannot be read), " +
        "and start the server with PATCHBAY_SECRET_KEY=<that value>.",
    );
  }
  const file = join(env.dataDir, SECRET_KEY_FILE);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if (!(error instanceof Error && "code" in error && error.code === "ENOENT")) throw error;
    mkdirSync(env.dataDir, { recursive: true });
    try {
      // "wx": when two processes start at once, the second reads the first one's key.
      writeFileSync(file, `${generateSecretKey()}\n`, { mode: 0o600, flag: "wx" });
      console.log(`Created a development secret key in ${file} (readable by you only). In production set PATCHBAY_SECRET_KEY instead (openssl rand -base64 32).`);
    } catch (writeError) {
      if (!(writeError instanceof Error && "code" in writeError && writeError.code === "EEXIST")) throw writeError;
    }
    text = readFileSync(file, "utf8");
  }
  // Other users must not read it; tighten a key file that was copied in loosely.
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  try {
    return new SecretBox(parseSecretKey(text));
  } catch (error) {
    throw new Error(`${file} does not hold a usable key (${error instanceof Error ? error.message : String(error)}). Delete it to have a new one made, which makes the secrets saved so far unreadable, or put the right key back.`);
  }
}
