import type { Database } from "./database.ts";
import { AccessError } from "./access-error.ts";
import { NotFoundError } from "./graph-repository.ts";
import type { SecretBox } from "./secret-crypto.ts";

export type SecretKind = "value" | "connection";

/** What may be shown about a secret: never its value. */
export interface SecretSummary {
  name: string;
  kind: SecretKind;
  connectionType: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A connection's fields: a flat JSON object of credentials. */
export type ConnectionFields = Record<string, string | number | boolean | null>;

/** A decrypted secret, only ever used inside a run on the server. */
export type SecretValue = { kind: "value"; value: string } | { kind: "connection"; value: ConnectionFields };

export const SECRET_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
export const MAX_SECRET_BYTES = 64 * 1024;
const MAX_SECRETS_PER_WORKSPACE = 1_000;

/** Parses a connection's JSON text into its fields, or says what is wrong with it. */
export function parseConnectionFields(text: string): ConnectionFields {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AccessError("invalid", 'A connection is a JSON object, e.g. {"host": "db.example.com", "password": "…"}; this is not valid JSON.');
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new AccessError("invalid", 'A connection is a JSON object, e.g. {"host": "db.example.com", "password": "…"}.');
  }
  const fields: ConnectionFields = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (value !== null && typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") {
      throw new AccessError("invalid", `Connection field "${key}" must be a string, number, true/false or null.`);
    }
    fields[key] = value;
  }
  return fields;
}

/**
 * Workspace secrets, encrypted at rest. `list` shows names only; values are
 * decrypted by `readAll`, which only the run executor calls.
 */
export class SecretRepository {
  private readonly db: Database;
  private readonly box: SecretBox;
  constructor(db: Database, box: SecretBox) {
    this.db = db;
    this.box = box;
  }

  async list(workspaceId: string): Promise<SecretSummary[]> {
    const rows = await this.db.prisma.secret.findMany({
      where: { workspaceId },
      orderBy: { name: "asc" },
      select: { name: true, kind: true, connectionType: true, createdAt: true, updatedAt: true },
    });
    return rows.map((row) => ({
      name: row.name,
      kind: row.kind === "connection" ? "connection" : "value",
      connectionType: row.connectionType,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    }));
  }

  /** Creates a secret or replaces its value. */
  async set(workspaceId: string, input: { name: string; kind: SecretKind; connectionType?: string | null; value: string }): Promise<SecretSummary> {
    if (!SECRET_NAME_PATTERN.test(input.name)) {
      throw new AccessError("invalid", `"${input.name}" is not a usable secret name: use letters, digits and _, starting with a letter or _ (at most 64 characters), e.g. warehouse_password.`);
    }
    if (Buffer.byteLength(input.value, "utf8") > MAX_SECRET_BYTES) throw new AccessError("invalid", `A secret may hold at most ${MAX_SECRET_BYTES / 1024} KiB.`);
    // Stored in canonical JSON so the executor and the masker read one shape.
    const plaintext = input.kind === "connection" ? JSON.stringify(parseConnectionFields(input.value)) : input.value;
    const connectionType = input.kind === "connection" ? (input.connectionType?.trim() || null) : null;
    const encryptedValue = this.box.seal(plaintext, associatedData(workspaceId, input.name));
    const existing = await this.db.prisma.secret.count({ where: { workspaceId } });
    if (existing >= MAX_SECRETS_PER_WORKSPACE) {
      const replacing = await this.db.prisma.secret.findUnique({ where: { workspaceId_name: { workspaceId, name: input.name } }, select: { name: true } });
      if (!replacing) throw new AccessError("invalid", `A workspace may hold at most ${MAX_SECRETS_PER_WORKSPACE} secrets; delete some first.`);
    }
    const row = await this.db.prisma.secret.upsert({
      where: { workspaceId_name: { workspaceId, name: input.name } },
      create: { workspaceId, name: input.name, kind: input.kind, connectionType, encryptedValue },
      update: { kind: input.kind, connectionType, encryptedValue },
      select: { name: true, kind: true, connectionType: true, createdAt: true, updatedAt: true },
    });
    return { name: row.name, kind: input.kind, connectionType: row.connectionType, createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString() };
  }

  async delete(workspaceId: string, name: string): Promise<void> {
    const { count } = await this.db.prisma.secret.deleteMany({ where: { workspaceId, name } });
    if (count === 0) throw new NotFoundError(`No secret "${name}" in this workspace.`);
  }

  /** Every secret of the workspace, decrypted: for resolving references and masking logs in a run. */
  async readAll(workspaceId: string): Promise<Map<string, SecretValue>> {
    const rows = await this.db.prisma.secret.findMany({ where: { workspaceId }, select: { name: true, kind: true, encryptedValue: true } });
    const secrets = new Map<string, SecretValue>();
    for (const row of rows) {
      const plaintext = this.box.open(row.encryptedValue, associatedData(workspaceId, row.name), `The secret "${row.name}"`);
      secrets.set(row.name, row.kind === "connection" ? { kind: "connection", value: parseConnectionFields(plaintext) } : { kind: "value", value: plaintext });
    }
    return secrets;
  }
}

function associatedData(workspaceId: string, name: string): string {
  return `patchbay-secret:${workspaceId}:${name}`;
}
