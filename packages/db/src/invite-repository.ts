import type { Database } from "./database.ts";
import { hashToken, newSecretToken } from "./auth-tokens.ts";
import { NotFoundError } from "./graph-repository.ts";
import { newId } from "./ids.ts";
import { parseRole, type Role } from "./roles.ts";
import { normalizeEmail } from "./user-repository.ts";

/** How long an invite link works. */
export const INVITE_TTL_MS = 7 * 24 * 3600 * 1000;

export interface InviteSummary {
  id: string;
  email: string;
  role: Role;
  createdAt: string;
  expiresAt: string;
}

export interface InviteRecord extends InviteSummary {
  workspaceId: string;
  workspaceName: string;
}

/**
 * Invitations to a workspace. Patchbay sends no email: the owner is shown the
 * link once and passes it on; only a SHA-256 of its token is kept.
 */
export class InviteRepository {
  private readonly db: Database;
  constructor(db: Database) {
    this.db = db;
  }

  /** A new invite; an earlier one for the same address in the workspace stops working. */
  async create(input: { workspaceId: string; email: string; role: Role; invitedBy: string }): Promise<{ token: string; invite: InviteSummary }> {
    const email = normalizeEmail(input.email);
    const token = newSecretToken();
    const id = newId();
    const expiresAt = new Date(Date.now() + INVITE_TTL_MS);
    const row = await this.db.prisma.$transaction(async (tx) => {
      await tx.invite.deleteMany({ where: { workspaceId: input.workspaceId, email } });
      return tx.invite.create({
        data: { id, workspaceId: input.workspaceId, email, role: input.role, tokenHash: hashToken(token), invitedBy: input.invitedBy, expiresAt },
        select: { createdAt: true },
      });
    });
    return { token, invite: { id, email, role: input.role, createdAt: row.createdAt.toISOString(), expiresAt: expiresAt.toISOString() } };
  }

  async list(workspaceId: string): Promise<InviteSummary[]> {
    const rows = await this.db.prisma.invite.findMany({
      where: { workspaceId, expiresAt: { gt: new Date() } },
      orderBy: { createdAt: "desc" },
      select: { id: true, email: true, role: true, createdAt: true, expiresAt: true },
    });
    return rows.map((row) => ({ id: row.id, email: row.email, role: parseRole(row.role), createdAt: row.createdAt.toISOString(), expiresAt: row.expiresAt.toISOString() }));
  }

  async revoke(workspaceId: string, id: string): Promise<void> {
    const { count } = await this.db.prisma.invite.deleteMany({ where: { id, workspaceId } });
    if (count === 0) throw new NotFoundError(`No invite "${id}" in this workspace.`);
  }

  /** The live invite behind a link's token, or null (unknown, used or expired). */
  async find(token: string): Promise<InviteRecord | null> {
    const row = await this.db.prisma.invite.findUnique({
      where: { tokenHash: hashToken(token) },
      select: { id: true, workspaceId: true, email: true, role: true, createdAt: true, expiresAt: true, workspace: { select: { name: true } } },
    });
    if (!row || row.expiresAt.getTime() <= Date.now()) return null;
    return {
      id: row.id,
      workspaceId: row.workspaceId,
      workspaceName: row.workspace.name,
      email: row.email,
      role: parseRole(row.role),
      createdAt: row.createdAt.toISOString(),
      expiresAt: row.expiresAt.toISOString(),
    };
  }

  /** Uses an invite up; false when it was used (or revoked) meanwhile. */
  async consume(id: string): Promise<boolean> {
    const { count } = await this.db.prisma.invite.deleteMany({ where: { id } });
    return count > 0;
  }
}
