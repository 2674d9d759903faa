import type { Database } from "./database.ts";
import { hashToken, newSecretToken } from "./auth-tokens.ts";
import { NotFoundError } from "./graph-repository.ts";
import { newId } from "./ids.ts";
import { parseRole, type Role } from "./roles.ts";

/** Marks Patchbay API tokens, so secret scanners and people can recognise them. */
export const API_TOKEN_PREFIX = "pbt_";
// Writing last-used on every request would turn every read into a write.
const TOUCH_AFTER_MS = 60_000;

export interface ApiTokenSummary {
  id: string;
  name: string;
  role: Role;
  /** The start of the token, e.g. "pbt_Ab3d", to tell tokens apart. */
  prefix: string;
  createdByEmail: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export interface ApiTokenGrant {
  id: string;
  workspaceId: string;
  userId: string;
  role: Role;
}

/** Bearer tokens for scripts and CI. The token is shown once; only its SHA-256 is kept. */
export class ApiTokenRepository {
  private readonly db: Database;
  constructor(db: Database) {
    this.db = db;
  }

  async create(input: { workspaceId: string; userId: string; name: string; role: Role }): Promise<{ token: string; summary: ApiTokenSummary }> {
    const token = newSecretToken(API_TOKEN_PREFIX);
    const id = newId();
    const prefix = token.slice(0, API_TOKEN_PREFIX.length + 4);
    const row = await this.db.prisma.apiToken.create({
      data: { id, workspaceId: input.workspaceId, userId: input.userId, name: input.name, role: input.role, tokenHash: hashToken(token), prefix },
      select: { createdAt: true, user: { select: { email: true } } },
    });
    return { token, summary: { id, name: input.name, role: input.role, prefix, createdByEmail: row.user.email, createdAt: row.createdAt.toISOString(), lastUsedAt: null } };
  }

  async list(workspaceId: string): Promise<ApiTokenSummary[]> {
    const rows = await this.db.prisma.apiToken.findMany({
      where: { workspaceId },
      orderBy: { createdAt: "desc" },
      select: { id: true, name: true, role: true, prefix: true, createdAt: true, lastUsedAt: true, user: { select: { email: true } } },
    });
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      role: parseRole(row.role),
      prefix: row.prefix,
      createdByEmail: row.user.email,
      createdAt: row.createdAt.toISOString(),
      lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    }));
  }

  async revoke(workspaceId: string, id: string): Promise<void> {
    const { count } = await this.db.prisma.apiToken.deleteMany({ where: { id, workspaceId } });
    if (count === 0) throw new NotFoundError(`No API token "${id}" in this workspace.`);
  }

  /** What a presented token grants, or null (unknown or revoked); records when it was used. */
  async verify(token: string): Promise<ApiTokenGrant | null> {
    if (!token.startsWith(API_TOKEN_PREFIX)) return null;
    const row = await this.db.prisma.apiToken.findUnique({
      where: { tokenHash: hashToken(token) },
      select: { id: true, workspaceId: true, userId: true, role: true, lastUsedAt: true },
    });
    if (!row) return null;
    const now = Date.now();
    if (!row.lastUsedAt || now - row.lastUsedAt.getTime() > TOUCH_AFTER_MS) {
      await this.db.prisma.apiToken.updateMany({ where: { id: row.id }, data: { lastUsedAt: new Date(now) } });
    }
    return { id: row.id, workspaceId: row.workspaceId, userId: row.userId, role: parseRole(row.role) };
  }
}
