import type { Database } from "./database.ts";
import { hashToken, newSecretToken } from "./auth-tokens.ts";

/** How long a session lasts without use; each use moves the end forward (sliding expiry). */
export const SESSION_TTL_MS = 30 * 24 * 3600 * 1000;
// Extending on every request would write on every request; once an hour is plenty.
const EXTEND_AFTER_MS = 3600 * 1000;

export interface SessionRecord {
  id: string;
  userId: string;
  expiresAt: Date;
}

/**
 * Browser sessions. The browser holds a random token; the table holds its
 * SHA-256 as the id, so reading the table does not let anyone sign in.
 */
export class SessionRepository {
  private readonly db: Database;
  constructor(db: Database) {
    this.db = db;
  }

  /** A brand-new session: every sign-in gets one, so an id planted before sign-in is never promoted. */
  async create(userId: string): Promise<{ token: string; expiresAt: Date }> {
    const token = newSecretToken();
    const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
    await this.db.prisma.session.create({ data: { id: hashToken(token), userId, expiresAt } });
    return { token, expiresAt };
  }

  /** The live session of a token, or null (unknown, expired or revoked). */
  async find(token: string): Promise<SessionRecord | null> {
    const id = hashToken(token);
    const row = await this.db.prisma.session.findUnique({ where: { id }, select: { id: true, userId: true, expiresAt: true } });
    if (!row) return null;
    if (row.expiresAt.getTime() <= Date.now()) {
      await this.db.prisma.session.deleteMany({ where: { id } });
      return null;
    }
    return row;
  }

  /** Moves the session's end forward when it was last moved long enough ago; returns the new end, or null when unchanged. */
  async extend(session: SessionRecord): Promise<Date | null> {
    const now = Date.now();
    if (session.expiresAt.getTime() - now > SESSION_TTL_MS - EXTEND_AFTER_MS) return null;
    const expiresAt = new Date(now + SESSION_TTL_MS);
    await this.db.prisma.session.updateMany({ where: { id: session.id }, data: { expiresAt, lastSeenAt: new Date(now) } });
    return expiresAt;
  }

  async delete(id: string): Promise<void> {
    await this.db.prisma.session.deleteMany({ where: { id } });
  }

  /** Signs a user out everywhere (all browsers), except the session `keepId` when given. */
  async deleteAllForUser(userId: string, keepId?: string): Promise<number> {
    const { count } = await this.db.prisma.session.deleteMany({ where: { userId, ...(keepId ? { id: { not: keepId } } : {}) } });
    return count;
  }

  /** Drops expired sessions (they are refused anyway; this only keeps the table small). */
  async deleteExpired(): Promise<void> {
    await this.db.prisma.session.deleteMany({ where: { expiresAt: { lt: new Date() } } });
  }
}
