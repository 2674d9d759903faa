import type { SecretValue } from "./secret-repository.ts";

/** A parameter refers to a secret (or a connection field) that the workspace does not have. */
export class SecretReferenceError extends Error {
  readonly code = "unknown_secret";
  constructor(message: string) {
    super(message);
    this.name = "SecretReferenceError";
  }
}

// `${{ name }}` or `${{ connection.field }}`, spaces optional.
const REFERENCE = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)(?:\.([A-Za-z0-9_-]+))?\s*\}\}/g;
const WHOLE_REFERENCE = /^\s*\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)(?:\.([A-Za-z0-9_-]+))?\s*\}\}\s*$/;
const BARE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Shorter secret values are not masked in logs: masking "1" or "abc" would garble every line. */
export const MIN_MASKED_LENGTH = 4;

/** Whether a parameter value refers to any secret (the browser runtime cannot run such a node). */
export function usesSecrets(value: unknown): boolean {
  if (typeof value === "string") return new RegExp(REFERENCE.source).test(value);
  if (Array.isArray(value)) return value.some(usesSecrets);
  if (typeof value === "object" && value !== null) return Object.values(value).some(usesSecrets);
  return false;
}

/**
 * Replaces secret references in a node's parameter values with the secrets'
 * values: a value that is exactly `${{ name }}` becomes the secret (a
 * connection becomes its object of fields), a reference inside a longer
 * string is replaced by the text of the value, and `${{ conn.field }}` picks
 * one field of a connection. A parameter declared as `Connection("kind")`
 * may also hold just the connection's name. An unknown name fails with an
 * error naming the parameter and the secret.
 */
export function resolveSecretReferences(
  values: Record<string, unknown>,
  secrets: ReadonlyMap<string, SecretValue>,
  connectionParameters: ReadonlySet<string> = new Set(),
): Record<string, unknown> {
  const resolved: Record<string, unknown> = {};
  for (const [parameter, value] of Object.entries(values)) {
    if (connectionParameters.has(parameter) && typeof value === "string" && BARE_NAME.test(value.trim())) {
      resolved[parameter] = whole(parameter, secrets, value.trim(), undefined);
    } else {
      resolved[parameter] = walk(parameter, secrets, value);
    }
  }
  return resolved;
}

function walk(parameter: string, secrets: ReadonlyMap<string, SecretValue>, value: unknown): unknown {
  if (typeof value === "string") {
    const match = WHOLE_REFERENCE.exec(value);
    if (match?.[1]) return whole(parameter, secrets, match[1], match[2]);
    return value.replace(REFERENCE, (_text, name: string, field: string | undefined) => asText(whole(parameter, secrets, name, field)));
  }
  if (Array.isArray(value)) return value.map((item) => walk(parameter, secrets, item));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, walk(parameter, secrets, item)]));
  }
  return value;
}

function whole(parameter: string, secrets: ReadonlyMap<string, SecretValue>, name: string, field: string | undefined): unknown {
  const secret = secrets.get(name);
  if (!secret) {
    throw new SecretReferenceError(`Parameter "${parameter}" uses the secret "${name}", which this workspace does not have: add it under Settings → Secrets (names are case-sensitive).`);
  }
  if (field === undefined) return secret.kind === "connection" ? { ...secret.value } : secret.value;
  if (secret.kind !== "connection") {
    throw new SecretReferenceError(`Parameter "${parameter}" uses "${name}.${field}", but "${name}" is a plain secret, not a connection with fields.`);
  }
  if (!(field in secret.value)) {
    throw new SecretReferenceError(`Parameter "${parameter}" uses "${name}.${field}", but the connection "${name}" has no field "${field}" (it has: ${Object.keys(secret.value).join(", ") || "no fields"}).`);
  }
  return secret.value[field] ?? null;
}

function asText(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === null || value === undefined) return "";
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

/**
 * A function that replaces every secret value of the workspace (and each
 * string field of its connections) with *** in a piece of log text. Longer
 * values are replaced first, so a value containing another is fully hidden.
 */
export function createSecretMasker(secrets: ReadonlyMap<string, SecretValue>): (text: string) => string {
  const hidden = new Set<string>();
  const add = (text: string) => {
    if (text.length < MIN_MASKED_LENGTH) return;
    hidden.add(text);
    // The same text as Python or JSON would print it inside quotes (escaped).
    const escaped = JSON.stringify(text).slice(1, -1);
    if (escaped !== text) hidden.add(escaped);
  };
  for (const secret of secrets.values()) {
    if (secret.kind === "value") add(secret.value);
    else {
      add(JSON.stringify(secret.value));
      for (const field of Object.values(secret.value)) if (typeof field === "string") add(field);
    }
  }
  const values = [...hidden].sort((a, b) => b.length - a.length);
  if (values.length === 0) return (text) => text;
  return (text) => {
    let masked = text;
    for (const value of values) if (masked.includes(value)) masked = masked.split(value).join("***");
    return masked;
  };
}
