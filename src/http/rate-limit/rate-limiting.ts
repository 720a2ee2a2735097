import pg from "pg";
import type { Logger } from "pino";
import { parseDatabaseUrl } from "../../config/database-url.js";
import { type Config, ConfigError, configSchema } from "../../config/schema.js";
import { type AttemptLimiter, type AttemptLimitSettings, InMemoryAttemptLimiter } from "../../core/brute-force/attempt-limiter.js";
import { type BruteForceGuards, type BruteForceSettings, inMemoryBruteForceGuards } from "../../core/brute-force/brute-force-guards.js";
import type { RateLimitCategory, RateLimitPolicy } from "../../domain/rate-limits.js";
import type { Store } from "../../storage/ports.js";
import { type ApiRateLimiter, memoryRateLimiter, postgresRateLimiter, type RateLimitVerdict } from "./api-rate-limiter.js";
import { PostgresAttemptLimiter } from "./postgres-attempt-limiter.js";
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
  /** The protocol's failure counters, kept where the rate limits are counted (shared by the nodes with PostgreSQL). */
  bruteForce?: BruteForceGuards;
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

/** A failure counter that waits for the table like `deferred`, and counts in this process when the table could not be made. */
function deferredAttempts(ready: Promise<unknown>, shared: () => AttemptLimiter, local: () => AttemptLimiter): AttemptLimiter {
  const settled = ready.then(shared, local);
  return {
    isBlocked: async (key) => (await settled).isBlocked(key),
    recordFailure: async (key) => (await settled).recordFailure(key),
    reset: async (key) => (await settled).reset(key),
    retryAfterSeconds: async (key) => (await settled).retryAfterSeconds(key),
  };
}

/** The PostgreSQL counters' table and pool, once the table exists. */
interface SharedCounters {
  pool: pg.Pool;
  tableName: string;
  ready: Promise<unknown>;
}

function storeLimiter(config: RateLimitConfig, logger: Logger): { limiter: ApiRateLimiter | null; shared: SharedCounters | null } {
  switch (config.rateLimitStore) {
    case "off":
      return { limiter: null, shared: null };
    case "memory":
      return { limiter: memoryRateLimiter(), shared: null };
    case "postgres": {
      if (parseDatabaseUrl(config.databaseUrl).dialect !== "postgres") {
        throw new ConfigError("TESSERA_RATE_LIMIT_STORE: postgres needs TESSERA_DATABASE_URL to be a postgres:// URL");
      }
      const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 4, allowExitOnIdle: true });
      pool.on("error", () => undefined);
      const tableName = config.rateLimitPostgresTable;
      const ready = postgresRateLimiter({ pool, tableName, ownsPool: true });
      return { limiter: deferred(ready, logger), shared: { pool, tableName, ready } };
    }
  }
}

/** The brute-force settings of `config`, per guard. */
export function bruteForceSettings(config: RateLimitConfig): BruteForceSettings {
  const windowSeconds = config.bruteForceWindowSeconds;
  return {
    clientAuthentication: { maxFailures: config.bruteForceMaxFailures, windowSeconds },
    credentialRedemption: { maxFailures: config.bruteForceMaxInvalidGrants, windowSeconds },
    passwordLogin: { maxFailures: config.bruteForceMaxFailures, windowSeconds },
    userCodeLookup: { maxFailures: config.bruteForceMaxUserCodeFailures, windowSeconds },
  };
}

/**
 * The failure counters beside the rate limits: in PostgreSQL (the same pool and table) when the
 * rate limits are counted there, so every node sees every node's failures; in this process otherwise.
 */
function attemptLimiters(
  config: RateLimitConfig,
  shared: SharedCounters | null,
  now: () => number,
): { bruteForce: BruteForceGuards; addressFailures: AttemptLimiter } {
  const settings = bruteForceSettings(config);
  const address: AttemptLimitSettings = { maxFailures: config.apiAuthMaxFailures, windowSeconds: config.bruteForceWindowSeconds };
  if (shared === null) {
    return { bruteForce: inMemoryBruteForceGuards(settings, now), addressFailures: new InMemoryAttemptLimiter(address, now) };
  }
  const counter = (keyPrefix: string, limits: AttemptLimitSettings, recheckAfterMs = 0): AttemptLimiter =>
    deferredAttempts(
      shared.ready,
      () => new PostgresAttemptLimiter({ pool: shared.pool, tableName: shared.tableName, keyPrefix, settings: limits, recheckAfterMs }),
      () => new InMemoryAttemptLimiter(limits, now),
    );
  return {
    bruteForce: {
      clientAuthentication: counter("bf_client_auth", settings.clientAuthentication),
      credentialRedemption: counter("bf_redemption", settings.credentialRedemption),
      passwordLogin: counter("bf_password", settings.passwordLogin),
      userCodeLookup: counter("bf_user_code", settings.userCodeLookup),
    },
    // Asked on every API call: a clear answer is reused for a second instead of a query per request.
    addressFailures: counter("bf_api_auth", address, 1_000),
  };
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
  const { limiter, shared } = sources.limiter !== undefined ? { limiter: sources.limiter, shared: null } : storeLimiter(config, sources.logger);
  return {
    limiter,
    policies: new ServicePolicies(defaultPolicies(config), sources.store, sources.now),
    ...attemptLimiters(config, shared, sources.now),
  };
}
