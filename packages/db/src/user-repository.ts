import type { Database } from "./database.ts";
import { AccessError } from "./access-error.ts";
import { newId } from "./ids.ts";

export interface UserRecord {
  id: string;
  email: string;
}

export interface UserWithPassword extends UserRecord {
  passwordHash: string;
}

// Any fixed number: creating the first (owner) account takes this lock, so two
// visitors racing through the setup page cannot both become owners.
const SETUP_LOCK = 72_001_943;

/** Lower-cased and trimmed, so one address is one account however it is typed. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Accounts. Passwords arrive already hashed (packages/api passwords.ts). */
export class UserRepository {
  private readonly db: Database;
  constructor(db: Database) {
    this.db = db;
  }

  async hasAny(): Promise<boolean> {
    return (await this.db.prisma.user.findFirst({ select: { id: true } })) !== null;
  }

  async get(id: string): Promise<UserRecord | null> {
    return this.db.prisma.user.findUnique({ where: { id }, select: { id: true, email: true } });
  }

  async findByEmail(email: string): Promise<UserWithPassword | null> {
    return this.db.prisma.user.findUnique({ where: { email: normalizeEmail(email) }, select: { id: true, email: true, passwordHash: true } });
  }

  async create(email: string, passwordHash: string): Promise<UserRecord> {
    const clean = normalizeEmail(email);
    if (await this.db.prisma.user.findUnique({ where: { email: clean }, select: { id: true } })) {
      throw new AccessError("conflict", `An account for ${clean} exists already.`);
    }
    const id = newId();
    await this.db.prisma.user.create({ data: { id, email: clean, passwordHash } });
    return { id, email: clean };
  }

  async setPasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.db.prisma.user.update({ where: { id }, data: { passwordHash } });
  }

  /**
   * Creates the first account and makes it the owner of the oldest workspace
   * (the default one, holding the example graph), or of a new one. Refused
   * once any account exists.
   */
  async createOwner(email: string, passwordHash: string): Promise<UserRecord & { workspaceId: string }> {
    const clean = normalizeEmail(email);
    return this.db.prisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${SETUP_LOCK})`);
      if (await tx.user.findFirst({ select: { id: true } })) {
        throw new AccessError("conflict", "The owner account exists already: sign in instead.");
      }
      const id = newId();
      await tx.user.create({ data: { id, email: clean, passwordHash } });
      let workspace = await tx.workspace.findFirst({ orderBy: { createdAt: "asc" }, select: { id: true } });
      if (!workspace) {
        workspace = { id: newId() };
        await tx.workspace.create({ data: { id: workspace.id, name: "Default workspace" } });
      }
      await tx.membership.create({ data: { userId: id, workspaceId: workspace.id, role: "owner" } });
      return { id, email: clean, workspaceId: workspace.id };
    });
  }
}
