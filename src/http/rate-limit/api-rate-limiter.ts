import type pg from "pg";
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { RateLimitPolicy } from "../../domain/rate-limits.js";

/** The state of one key after a request was counted. */
export interface RateLimitVerdict {
  allowed: boolean;
  /** The quota of the window (`points`). */
  limit: number;
  remaining: number;
  /** Milliseconds until the window ends and the quota is whole again. */
  msBeforeReset: number;
}

/** Counts requests per key against a policy; the store behind it decides whether nodes share counts. */
export interface ApiRateLimiter {
  consume(key: string, policy: RateLimitPolicy): Promise<RateLimitVerdict>;
  /** Releases the store's resources (the PostgreSQL pool); a no-op for memory. */
  close(): Promise<void>;
}

function verdict(result: RateLimiterRes, policy: RateLimitPolicy, allowed: boolean): RateLimitVerdict {
  return {
    allowed,
    limit: policy.points,
    remaining: Math.max(0, result.remainingPoints),
    msBeforeReset: Math.max(0, result.msBeforeNext),
  };
}

/**
 * rate-limiter-flexible fixes points and duration per limiter instance, while policies differ per
 * category and service: one instance per distinct policy, made on first use. Keys are prefixed with
 * the policy so a changed quota starts a fresh count instead of reading one kept under another quota.
 */
class FlexibleApiRateLimiter implements ApiRateLimiter {
  readonly #limiters = new Map<string, RateLimiterAbstract>();

  constructor(
    private readonly make: (policy: RateLimitPolicy, keyPrefix: string) => RateLimiterAbstract,
    private readonly onClose: () => Promise<void> = async () => undefined,
  ) {}

  #limiterFor(policy: RateLimitPolicy): RateLimiterAbstract {
    const prefix = `q${policy.points}w${policy.durationSeconds}`;
    let limiter = this.#limiters.get(prefix);
    if (limiter === undefined) {
      limiter = this.make(policy, prefix);
      this.#limiters.set(prefix, limiter);
    }
    return limiter;
  }

  async consume(key: string, policy: RateLimitPolicy): Promise<RateLimitVerdict> {
    try {
      return verdict(await this.#limiterFor(policy).consume(key), policy, true);
    } catch (rejection) {
      // The library rejects with the key's state when the quota is used up, with an Error when the store failed.
      if (rejection instanceof RateLimiterRes) return verdict(rejection, policy, false);
      throw rejection;
    }
  }

  close(): Promise<void> {
    return this.onClose();
  }
}

/** Counters in this process: microseconds per request, but each node counts on its own. */
export function memoryRateLimiter(): ApiRateLimiter {
  return new FlexibleApiRateLimiter(
    (policy, keyPrefix) => new RateLimiterMemory({ points: policy.points, duration: policy.durationSeconds, keyPrefix }),
  );
}

export interface PostgresRateLimiterOptions {
  pool: pg.Pool;
  tableName: string;
  schemaName?: string;
  /** Ends the pool on close (when the limiter opened it). */
  ownsPool?: boolean;
}

/**
 * Counters in a PostgreSQL table that every node shares (one upsert per request). When the database
 * fails, each instance falls back to an in-memory limiter of the same policy (the library's
 * insurance limiter), so an outage degrades to per-node limits instead of failing requests.
 * The table is created once, before the first instance is made.
 */
export async function postgresRateLimiter(options: PostgresRateLimiterOptions): Promise<ApiRateLimiter> {
  const { pool, tableName, schemaName } = options;
  await new Promise<void>((resolve, reject) => {
    new RateLimiterPostgres(
      { storeClient: pool, storeType: "pool", tableName, schemaName, points: 1, duration: 1, clearExpiredByTimeout: true },
      (error?: Error) => (error ? reject(error) : resolve()),
    );
  });
  return new FlexibleApiRateLimiter(
    (policy, keyPrefix) =>
      new RateLimiterPostgres({
        storeClient: pool,
        storeType: "pool",
        tableName,
        schemaName,
        tableCreated: true,
        clearExpiredByTimeout: false,
        points: policy.points,
        duration: policy.durationSeconds,
        keyPrefix,
        insuranceLimiter: new RateLimiterMemory({ points: policy.points, duration: policy.durationSeconds, keyPrefix }),
      }),
    async () => {
      if (options.ownsPool && !pool.ended) await pool.end();
    },
  );
}
