import type pg from "pg";
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
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

interface CountWindow {
  used: number;
  /** Epoch milliseconds. */
  endsAt: number;
}

/** Windows kept before ended ones are swept out; the bound doubles while most of them are still open. */
const SWEEP_FROM = 10_000;

/**
 * Counters in this process, each node on its own. A fixed window per key and policy that opens at
 * the key's first request and lasts the policy's duration, counting refused requests too: what
 * rate-limiter-flexible's RateLimiterMemory does (the PostgreSQL limiter still falls back to it),
 * without its promise, prefixed key and result object per call, which cost the server several
 * microseconds per request.
 */
class MemoryApiRateLimiter implements ApiRateLimiter {
  readonly #windows = new Map<string, CountWindow>();
  #sweepAt = SWEEP_FROM;

  consume(key: string, policy: RateLimitPolicy): Promise<RateLimitVerdict> {
    const now = Date.now();
    const id = `q${policy.points}w${policy.durationSeconds}:${key}`;
    let window = this.#windows.get(id);
    if (window === undefined || window.endsAt <= now) {
      if (this.#windows.size >= this.#sweepAt) this.#sweep(now);
      window = { used: 0, endsAt: now + policy.durationSeconds * 1000 };
      this.#windows.set(id, window);
    }
    window.used += 1;
    return Promise.resolve({
      allowed: window.used <= policy.points,
      limit: policy.points,
      remaining: Math.max(0, policy.points - window.used),
      msBeforeReset: window.endsAt - now,
    });
  }

  #sweep(now: number): void {
    for (const [id, window] of this.#windows) if (window.endsAt <= now) this.#windows.delete(id);
    this.#sweepAt = Math.max(SWEEP_FROM, 2 * this.#windows.size);
  }

  async close(): Promise<void> {}
}

export function memoryRateLimiter(): ApiRateLimiter {
  return new MemoryApiRateLimiter();
}

export interface PostgresRateLimiterOptions {
  pool: pg.Pool;
  tableName: string;
  schemaName?: string;
  /** Ends the pool on close (when the limiter opened it). */
  ownsPool?: boolean;
}

/**
 * duplicate_object ("type … already exists": the table's row type), duplicate_table, or unique_violation on
 * the catalog: another session created the same table at the same moment.
 */
function lostCreateRace(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "42710" || code === "42P07" || code === "23505";
}

/**
 * Counters in a PostgreSQL table that every node shares (one upsert per request). When the database
 * fails, each instance falls back to an in-memory limiter of the same policy (the library's
 * insurance limiter), so an outage degrades to per-node limits instead of failing requests.
 * The table is created once, before the first instance is made, by whichever node starts first.
 */
export async function postgresRateLimiter(options: PostgresRateLimiterOptions): Promise<ApiRateLimiter> {
  const { pool, tableName, schemaName } = options;
  const createTable = () =>
    new Promise<void>((resolve, reject) => {
      new RateLimiterPostgres(
        { storeClient: pool, storeType: "pool", tableName, schemaName, points: 1, duration: 1, clearExpiredByTimeout: true },
        (error?: Error) => (error ? reject(error) : resolve()),
      );
    });
  try {
    await createTable();
  } catch (error) {
    // Nodes starting together race on CREATE TABLE IF NOT EXISTS, which PostgreSQL does not serialize: the
    // loser fails on the catalog. The table is there by then, so asking again finds it.
    if (!lostCreateRace(error)) throw error;
    await createTable();
  }
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
