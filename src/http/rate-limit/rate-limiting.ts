import pg from "pg";
import type { Logger } from "pino";
import { parseDatabaseUrl } from "../../config/database-url.js";
import { type Config, ConfigError, configSchema } from "../../config/schema.js";
import { type AttemptLimiter, InMemoryAttemptLimiter } from "../../core/brute-force/attempt-limiter.js";
import type { RateLimitCategory, RateLimitPolicy } from "../../domain/rate-limits.js";
import type { Store } from "../../storage/ports.js";
import { type ApiRateLimiter, memoryRateLimiter, postgresRateLimiter, type RateLimitVerdict } from "./api-rate-limiter.js";
import { ServicePolicies } from "./service-policies.js";

/** The settings the API rate limits and brute-force guards read; any left out take the schema's defaults. */
export type RateLimitConfig = Pick<
  Config,
  | "rateLimitStore"
  | "rateLimitPostgresTable"
  | "rateLimitWindowSeconds"
  | "rateLimitAuthorization"
  | "rateLimitToken"
  | "rateLimitIntrospection"
  | "rateLimitRevocation"
  | "rateLimitUserinfo"
  | "rateLimitManagement"
  | "apiAuthMaxFailures"
  | "bruteForceMaxFailures"
  | "bruteForceMaxInvalidGrants"
  | "bruteForceMaxUserCodeFailures"
  | "bruteForceWindowSeconds"
  | "databaseUrl"
>;

/** Everything the API-level limits need at request time (built once per app). */
export interface ApiRateLimiting {
  /** Null when TESSERA_RATE_LIMIT_STORE=off. */
  limiter: ApiRateLimiter | null;
  policies: ServicePolicies;
  /** Failed API authentications (missing or unknown token) per remote address. */
  addressFailures: AttemptLimiter;
}

/** The config with every rate-limit setting present (the schema's defaults fill the gaps). */
export function rateLimitConfig(partial: Partial<RateLimitConfig>): RateLimitConfig {
  return configSchema.parse(partial);
}

export function defaultPolicies(config: RateLimitConfig): Record<RateLimitCategory, RateLimitPolicy> {
  const durationSeconds = config.rateLimitWindowSeconds;
  return {
    authorization: { points: config.rateLimitAuthorization, durationSeconds },
    token: { points: config.rateLimitToken, durationSeconds },
    introspection: { points: config.rateLimitIntrospection, durationSeconds },
    revocation: { points: config.rateLimitRevocation, durationSeconds },
    userinfo: { points: config.rateLimitUserinfo, durationSeconds },
    management: { points: config.rateLimitManagement, durationSeconds },
  };
}

/**
 * A limiter whose store is still being prepared (the PostgreSQL table is created at start). If that
 * fails, the error is logged and counting continues in memory, so a database problem at start does
 * not turn every request into an error.
 */
function deferred(ready: Promise<ApiRateLimiter>, logger: Logger): ApiRateLimiter {
  const settled = ready.catch((error: unknown) => {
    logger.error({ err: error }, "the PostgreSQL rate-limit store could not be prepared; counting in memory on this node");
    return memoryRateLimiter();
  });
  return {
    consume: async (key: string, policy: RateLimitPolicy): Promise<RateLimitVerdict> => (await settled).consume(key, policy),
    close: async () => (await settled).close(),
  };
}

function storeLimiter(config: RateLimitConfig, logger: Logger): ApiRateLimiter | null {
  switch (config.rateLimitStore) {
    case "off":
      return null;
    case "memory":
      return memoryRateLimiter();
    case "postgres": {
      if (parseDatabaseUrl(config.databaseUrl).dialect !== "postgres") {
        throw new ConfigError("TESSERA_RATE_LIMIT_STORE: postgres needs TESSERA_DATABASE_URL to be a postgres:// URL");
      }
      const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 4, allowExitOnIdle: true });
      pool.on("error", () => undefined);
      return deferred(postgresRateLimiter({ pool, tableName: config.rateLimitPostgresTable, ownsPool: true }), logger);
    }
  }
}

export interface RateLimitingSources {
  config: Partial<RateLimitConfig>;
  store: Pick<Store, "getService">;
  logger: Logger;
  now: () => number;
  /** A prepared limiter (tests); otherwise one is made for `config.rateLimitStore`. */
  limiter?: ApiRateLimiter | null;
}

export function createRateLimiting(sources: RateLimitingSources): ApiRateLimiting {
  const config = rateLimitConfig(sources.config);
  return {
    limiter: sources.limiter !== undefined ? sources.limiter : storeLimiter(config, sources.logger),
    policies: new ServicePolicies(defaultPolicies(config), sources.store, sources.now),
    addressFailures: new InMemoryAttemptLimiter(
      { maxFailures: config.apiAuthMaxFailures, windowSeconds: config.bruteForceWindowSeconds },
      sources.now,
    ),
  };
}
