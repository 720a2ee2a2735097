import type pg from "pg";
import { RateLimiterMemory, RateLimiterPostgres, type RateLimiterRes } from "rate-limiter-flexible";
import type { AttemptLimiter, AttemptLimitSettings } from "../../core/brute-force/attempt-limiter.js";

export interface PostgresAttemptLimiterOptions {
  pool: pg.Pool;
  /** The rate limits' table (created before the first limiter is made), so one table holds every shared counter. */
  tableName: string;
  /** Keeps this guard's keys apart from the rate limits' and the other guards' in that table. */
  keyPrefix: string;
  settings: AttemptLimitSettings;
  /**
   * How long a "not blocked" answer is reused on this node; 0: every check asks the database. For a
   * guard asked on every request (the API-token guard per address), so a busy caller costs one
   * query per key and interval, not one per request. A failure this node records still counts at once.
   */
  recheckAfterMs?: number;
}

/**
 * Failure counts shared by every node through the rate limits' PostgreSQL table, so a client locked
 * out by failures on one node is locked out on all of them. The window is fixed and opens at the
 * key's first failure, as in the in-memory limiter (rate-limiter-flexible keeps the expiry a row got
 * when it was created until it passes). When the database fails, the library's insurance limiter
 * counts in this process instead: an outage weakens the guard to one node's count, it does not
 * refuse every attempt.
 */
export class PostgresAttemptLimiter implements AttemptLimiter {
  readonly #counter: RateLimiterPostgres | null;
  readonly #maxFailures: number;
  readonly #recheckAfterMs: number;
  /** Keys found not blocked, with when that answer stops being reused. */
  readonly #clear = new Map<string, number>();

  constructor(options: PostgresAttemptLimiterOptions) {
    const { maxFailures, windowSeconds } = options.settings;
    this.#maxFailures = maxFailures;
    this.#recheckAfterMs = options.recheckAfterMs ?? 0;
    this.#counter =
      maxFailures > 0
        ? new RateLimiterPostgres({
            storeClient: options.pool,
            storeType: "pool",
            tableName: options.tableName,
            tableCreated: true,
            clearExpiredByTimeout: false,
            points: maxFailures,
            duration: windowSeconds,
            keyPrefix: options.keyPrefix,
            insuranceLimiter: new RateLimiterMemory({ points: maxFailures, duration: windowSeconds, keyPrefix: options.keyPrefix }),
          })
        : null;
  }

  #blocked(state: RateLimiterRes | null): boolean {
    return state !== null && state.consumedPoints >= this.#maxFailures;
  }

  async isBlocked(key: string): Promise<boolean> {
    if (this.#counter === null) return false;
    const until = this.#clear.get(key);
    if (until !== undefined) {
      if (until > performance.now()) return false;
      this.#clear.delete(key);
    }
    const blocked = this.#blocked(await this.#counter.get(key));
    if (!blocked && this.#recheckAfterMs > 0) this.#remember(key);
    return blocked;
  }

  async recordFailure(key: string): Promise<boolean> {
    if (this.#counter === null) return false;
    this.#clear.delete(key);
    return this.#blocked(await this.#counter.penalty(key, 1));
  }

  async reset(key: string): Promise<void> {
    if (this.#counter === null) return;
    await this.#counter.delete(key);
  }

  async retryAfterSeconds(key: string): Promise<number> {
    if (this.#counter === null) return 0;
    const state = await this.#counter.get(key);
    if (state === null || !this.#blocked(state)) return 0;
    return Math.max(1, Math.ceil(state.msBeforeNext / 1000));
  }

  #remember(key: string): void {
    // Bounded like the in-memory limiter's keys: guessed addresses must not grow this without end.
    if (this.#clear.size >= 100_000) this.#clear.clear();
    this.#clear.set(key, performance.now() + this.#recheckAfterMs);
  }
}
