import { LoginFailureRepository, type Database } from "@patchbay/db";

/** Too many failed sign-ins; `retryAfterSeconds` goes out as the Retry-After header of the 429. */
export class RateLimitedError extends Error {
  readonly code = "rate_limited";
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number) {
    const minutes = Math.ceil(retryAfterSeconds / 60);
    super(`Too many failed sign-in attempts. Wait ${minutes} minute${minutes === 1 ? "" : "s"} and try again.`);
    this.name = "RateLimitedError";
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export interface RateLimitOptions {
  /** Failed attempts allowed per key within the window. */
  limit: number;
  windowMs: number;
}

export const DEFAULT_LOGIN_LIMIT: RateLimitOptions = { limit: 10, windowMs: 15 * 60 * 1000 };

/**
 * Failed sign-in attempts per key (an IP address, an email address) in a sliding window,
 * kept in the database: every API server on it counts the same attempts, and a restart
 * forgets none (docs/security.md).
 */
export class LoginRateLimiter {
  private readonly failures: LoginFailureRepository;
  private readonly options: RateLimitOptions;

  constructor(db: Database, options: RateLimitOptions = DEFAULT_LOGIN_LIMIT) {
    this.failures = new LoginFailureRepository(db);
    this.options = options;
  }

  /** Throws RateLimitedError when any of the keys used up its attempts. */
  async check(keys: readonly string[], now = Date.now()): Promise<void> {
    const { limit, windowMs } = this.options;
    let wait = 0;
    for (const key of keys) {
      // The attempt that used up the limit: the key may try again a window after it.
      const limiting = await this.failures.nthMostRecent(key, limit, new Date(now - windowMs));
      if (limiting) wait = Math.max(wait, limiting.getTime() + windowMs - now);
    }
    if (wait > 0) throw new RateLimitedError(Math.max(1, Math.ceil(wait / 1000)));
  }

  async recordFailure(keys: readonly string[], now = Date.now()): Promise<void> {
    await this.failures.add(keys, new Date(now), new Date(now - this.options.windowMs));
  }

  /** Forgets a key's failures (after a successful sign-in for that email). */
  async reset(key: string): Promise<void> {
    await this.failures.clear(key);
  }
}
