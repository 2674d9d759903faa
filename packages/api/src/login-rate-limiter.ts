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
// Beyond this many keys the oldest are dropped, so a flood of addresses cannot exhaust memory.
const MAX_KEYS = 100_000;

/**
 * Failed sign-in attempts per key (an IP address, an email address) in a
 * sliding window, in this process's memory: with several API servers each
 * counts on its own, and a restart forgets (see docs/security.md).
 */
export class LoginRateLimiter {
  private readonly options: RateLimitOptions;
  private readonly failures = new Map<string, number[]>();

  constructor(options: RateLimitOptions = DEFAULT_LOGIN_LIMIT) {
    this.options = options;
  }

  /** Throws RateLimitedError when any of the keys used up its attempts. */
  check(keys: readonly string[], now = Date.now()): void {
    let wait = 0;
    for (const key of keys) {
      const recent = this.recent(key, now);
      if (recent.length >= this.options.limit) {
        const oldest = recent[recent.length - this.options.limit] ?? now;
        wait = Math.max(wait, oldest + this.options.windowMs - now);
      }
    }
    if (wait > 0) throw new RateLimitedError(Math.max(1, Math.ceil(wait / 1000)));
  }

  recordFailure(keys: readonly string[], now = Date.now()): void {
    for (const key of keys) {
      const recent = this.recent(key, now);
      recent.push(now);
      this.failures.delete(key);
      this.failures.set(key, recent);
    }
    while (this.failures.size > MAX_KEYS) {
      const oldest = this.failures.keys().next();
      if (oldest.done) break;
      this.failures.delete(oldest.value);
    }
  }

  /** Forgets a key's failures (after a successful sign-in for that email). */
  reset(key: string): void {
    this.failures.delete(key);
  }

  private recent(key: string, now: number): number[] {
    const kept = (this.failures.get(key) ?? []).filter((time) => now - time < this.options.windowMs);
    if (kept.length === 0) this.failures.delete(key);
    else this.failures.set(key, kept);
    return kept;
  }
}
