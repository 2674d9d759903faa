import type { Database } from "./database.ts";
import { newId } from "./ids.ts";

/** Workspaces. Until accounts exist, everything lives in one default workspace. */
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
}
