import { hash, verify } from "@node-rs/argon2";
import { AccessError, normalizeEmail } from "@patchbay/db";

// OWASP's Argon2id baseline: 19 MiB, 2 passes, 1 lane (≈20–40 ms on one core).
// The package's algorithm default is Argon2id; the PHC string records all of it.
const ARGON2_OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 256;

// The most common choices that pass the length rule; attackers try these first.
const COMMON_PASSWORDS = new Set([
  "1234567890", "12345678910", "123456789012", "0123456789", "0987654321", "1111111111", "qwertyuiop", "1q2w3e4r5t",
  "password12", "password123", "password1234", "passw0rd123", "iloveyou12", "qwerty1234", "qwerty12345", "abcdefghij",
  "abc1234567", "letmein123", "welcome123", "admin12345", "administrator", "changeme123", "patchbay123", "patchbay1234",
]);

/** Why a new password is refused, or null when it is fine. Length over composition, as NIST SP 800-63B advises. */
export function passwordProblem(password: string, email: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `Use at least ${MIN_PASSWORD_LENGTH} characters for the password (a few words make a good one).`;
  if (password.length > MAX_PASSWORD_LENGTH) return `A password may have at most ${MAX_PASSWORD_LENGTH} characters.`;
  const lower = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lower)) return "That password is one of the most common ones; choose another.";
  if (new Set(password).size < 4) return "That password repeats too few characters; choose one that is harder to guess.";
  const address = normalizeEmail(email);
  const local = address.split("@")[0] ?? "";
  if (lower.includes(address) || lower === local) return "The password must not be your email address.";
  return null;
}

/** Refuses a weak password with a message saying what to do. */
export function checkNewPassword(password: string, email: string): void {
  const problem = passwordProblem(password, email);
  if (problem) throw new AccessError("invalid", problem);
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | null = null;

/**
 * Spends the time of a real check when there is no account for an email, so
 * the answer time does not tell which addresses have accounts.
 */
export async function verifyNothing(password: string): Promise<false> {
  dummyHash ??= hashPassword("patchbay-no-such-account");
  await verifyPassword(await dummyHash, password);
  return false;
}
