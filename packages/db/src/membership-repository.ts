import type { Database } from "./database.ts";
import { AccessError } from "./access-error.ts";
import { NotFoundError } from "./graph-repository.ts";
import { parseRole, type Role } from "./roles.ts";

export interface WorkspaceMembership {
  workspaceId: string;
  workspaceName: string;
  role: Role;
}

export interface MemberRecord {
  userId: string;
  email: string;
  role: Role;
}

/** Who belongs to which workspace, with which role. A workspace always keeps at least one owner. */
export class MembershipRepository {
  private readonly db: Database;
  constructor(db: Database) {
    this.db = db;
  }

  /** The user's workspaces, oldest first (the first is the default one). */
  async listForUser(userId: string): Promise<WorkspaceMembership[]> {
    const rows = await this.db.prisma.membership.findMany({
      where: { userId },
      select: { role: true, workspace: { select: { id: true, name: true, createdAt: true } } },
    });
    return rows
      .sort((a, b) => a.workspace.createdAt.getTime() - b.workspace.createdAt.getTime() || a.workspace.id.localeCompare(b.workspace.id))
      .map((row) => ({ workspaceId: row.workspace.id, workspaceName: row.workspace.name, role: parseRole(row.role) }));
  }

  async roleOf(userId: string, workspaceId: string): Promise<Role | null> {
    const row = await this.db.prisma.membership.findUnique({ where: { userId_workspaceId: { userId, workspaceId } }, select: { role: true } });
    return row ? parseRole(row.role) : null;
  }

  async listMembers(workspaceId: string): Promise<MemberRecord[]> {
    const rows = await this.db.prisma.membership.findMany({ where: { workspaceId }, select: { role: true, user: { select: { id: true, email: true } } } });
    return rows.map((row) => ({ userId: row.user.id, email: row.user.email, role: parseRole(row.role) })).sort((a, b) => a.email.localeCompare(b.email));
  }

  /** Adds a member, or changes the role of one who is already there. */
  async add(userId: string, workspaceId: string, role: Role): Promise<void> {
    await this.db.prisma.$transaction(async (tx) => {
      await tx.$queryRawUnsafe(`SELECT id FROM "Workspace" WHERE id = $1 FOR UPDATE`, workspaceId);
      const existing = await tx.membership.findUnique({ where: { userId_workspaceId: { userId, workspaceId } }, select: { role: true } });
      if (existing?.role === "owner" && role !== "owner") await this.refuseLastOwner(tx, workspaceId);
      await tx.membership.upsert({ where: { userId_workspaceId: { userId, workspaceId } }, create: { userId, workspaceId, role }, update: { role } });
    });
  }

  async setRole(userId: string, workspaceId: string, role: Role): Promise<void> {
    await this.db.prisma.$transaction(async (tx) => {
      // Locking the workspace row serializes owner changes, so two owners
      // demoting each other at once cannot leave the workspace without one.
      await tx.$queryRawUnsafe(`SELECT id FROM "Workspace" WHERE id = $1 FOR UPDATE`, workspaceId);
      const existing = await tx.membership.findUnique({ where: { userId_workspaceId: { userId, workspaceId } }, select: { role: true } });
      if (!existing) throw new NotFoundError("No such member in this workspace.");
      if (existing.role === "owner" && role !== "owner") await this.refuseLastOwner(tx, workspaceId);
      await tx.membership.update({ where: { userId_workspaceId: { userId, workspaceId } }, data: { role } });
    });
  }

  async remove(userId: string, workspaceId: string): Promise<void> {
    await this.db.prisma.$transaction(async (tx) => {
      await tx.$queryRawUnsafe(`SELECT id FROM "Workspace" WHERE id = $1 FOR UPDATE`, workspaceId);
      const existing = await tx.membership.findUnique({ where: { userId_workspaceId: { userId, workspaceId } }, select: { role: true } });
      if (!existing) throw new NotFoundError("No such member in this workspace.");
      if (existing.role === "owner") await this.refuseLastOwner(tx, workspaceId);
      await tx.membership.delete({ where: { userId_workspaceId: { userId, workspaceId } } });
      // The tokens a removed member made stop working with them.
      await tx.apiToken.deleteMany({ where: { userId, workspaceId } });
    });
  }

  private async refuseLastOwner(tx: Pick<Database["prisma"], "membership">, workspaceId: string): Promise<void> {
    const owners = await tx.membership.count({ where: { workspaceId, role: "owner" } });
    if (owners <= 1) throw new AccessError("conflict", "A workspace needs at least one owner: make someone else an owner first.");
  }
}
