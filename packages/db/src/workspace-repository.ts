import type { Database } from "./database.ts";
import { newId } from "./ids.ts";
import { AccessError } from "./access-error.ts";

/** Workspaces. The oldest one is the default: the first start creates it, with the example graph. */
export class WorkspaceRepository {
  private readonly db: Database;
  constructor(db: Database) {
    this.db = db;
  }

  async ensureDefault(): Promise<{ id: string; created: boolean }> {
    const existing = await this.db.prisma.workspace.findFirst({ orderBy: { createdAt: "asc" }, select: { id: true } });
    if (existing) return { id: existing.id, created: false };
    const id = newId();
    await this.db.prisma.workspace.create({ data: { id, name: "Default workspace" } });
    return { id, created: true };
  }

  /** A new workspace with `ownerId` as its owner. */
  async create(name: string, ownerId: string): Promise<{ id: string; name: string }> {
    const clean = name.trim();
    if (!clean || clean.length > 100) throw new AccessError("invalid", "A workspace needs a name of 1 to 100 characters.");
    const id = newId();
    await this.db.prisma.$transaction(async (tx) => {
      await tx.workspace.create({ data: { id, name: clean } });
      await tx.membership.create({ data: { userId: ownerId, workspaceId: id, role: "owner" } });
    });
    return { id, name: clean };
  }

  async rename(id: string, name: string): Promise<void> {
    const clean = name.trim();
    if (!clean || clean.length > 100) throw new AccessError("invalid", "A workspace needs a name of 1 to 100 characters.");
    await this.db.prisma.workspace.update({ where: { id }, data: { name: clean } });
  }
}
