import type { Database } from "./database.ts";
import { newId } from "./ids.ts";

/**
 * Failed sign-ins per key, in the database, so every API server on it counts the same
 * attempts and a restart forgets none (the rate limit is in packages/api login-rate-limiter.ts).
 */
export class LoginFailureRepository {
  private readonly db: Database;
  constructor(db: Database) {
    this.db = db;
  }

  /** When the key's `nth` most recent failure after `since` happened, or null when it has fewer. */
  async nthMostRecent(key: string, nth: number, since: Date): Promise<Date | null> {
    const rows = await this.db.prisma.loginFailure.findMany({ where: { key, at: { gt: since } }, orderBy: { at: "desc" }, skip: nth - 1, take: 1, select: { at: true } });
    return rows[0]?.at ?? null;
  }

  /** Records one failure for each key, and deletes the failures from before `forgetBefore`. */
  async add(keys: readonly string[], at: Date, forgetBefore: Date): Promise<void> {
    await this.db.prisma.loginFailure.createMany({ data: keys.map((key) => ({ id: newId(), key, at })) });
    await this.db.prisma.loginFailure.deleteMany({ where: { at: { lt: forgetBefore } } });
  }

  /** Forgets a key's failures. */
  async clear(key: string): Promise<void> {
    await this.db.prisma.loginFailure.deleteMany({ where: { key } });
  }
}
