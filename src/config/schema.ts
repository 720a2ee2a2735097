import { z } from "zod";
import { DatabaseUrlError, parseDatabaseUrl } from "./database-url.js";
import { errorUriBaseProblem } from "./error-uri-base.js";

/** Requests one API token may make per rate-limit window in one category. */
function rateLimitPoints(fallback: number, env: string, what: string) {
  return z.coerce
    .number()
    .int()
    .min(1)
    .max(10_000_000)
    .default(fallback)
    .describe(`${env}: requests per API token and window for ${what}; also the most a service's rateLimits may allow, and the quota of admin-token calls.`);
}

/**
 * Every setting Tessera reads, with its environment variable, default and meaning.
 * `docs/configuration.md` is generated from these descriptions (`tessera config-docs`).
 */
export const configSchema = z.object({
  port: z.coerce
    .number()
    .int()
    .min(0)
    .max(65535)
    .default(8080)
    .describe("TESSERA_PORT: TCP port the API listens on (0 picks a free port)."),
  host: z
    .string()
    .min(1)
    .default("127.0.0.1")
    .describe("TESSERA_HOST: interface to bind. Use 0.0.0.0 to listen on every interface."),
  databaseUrl: z
    .string()
    .min(1)
    .default("sqlite:./data/tessera.db")
    .superRefine((value, ctx) => {
      try {
        parseDatabaseUrl(value);
      } catch (error) {
        if (!(error instanceof DatabaseUrlError)) throw error;
        ctx.addIssue({ code: "custom", message: error.message });
      }
    })
    .describe(
      "TESSERA_DATABASE_URL: a file path or sqlite: URL (embedded SQLite, the default ./data/tessera.db), or a postgres:// URL.",
    ),
  adminToken: z
    .string()
    .min(32, "must be at least 32 characters")
    .optional()
    .describe(
      "TESSERA_ADMIN_TOKEN: organization-level API token. When unset, one is generated on the first start, printed once and stored hashed.",
    ),
  masterKey: z
    .string()
    .regex(/^[A-Za-z0-9_-]{43}$|^[0-9a-fA-F]{64}$/, "must be 32 bytes as base64url (43 chars) or hex (64 chars)")
    .optional()
    .describe(
      "TESSERA_MASTER_KEY: 32-byte key (base64url or hex) that encrypts private signing keys and recoverable client secrets at rest. When unset, a key file is created next to the SQLite database (development only).",
    ),
  logLevel: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
    .default("info")
    .describe("TESSERA_LOG_LEVEL: minimum level written to the log."),
  migrate: z
    .enum(["auto", "off"])
    .default("auto")
    .describe("TESSERA_MIGRATE: `auto` applies pending migrations at start; `off` expects `tessera migrate` to have run."),
  bodyLimitBytes: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024)
    .describe("TESSERA_BODY_LIMIT_BYTES: largest request body accepted; larger bodies get 413."),
  shutdownTimeoutMs: z.coerce
    .number()
    .int()
    .min(0)
    .default(10_000)
    .describe("TESSERA_SHUTDOWN_TIMEOUT_MS: how long SIGTERM waits for in-flight requests before closing."),
  cacheTtlMs: z.coerce
    .number()
    .int()
    .min(0)
    .max(60_000)
    .default(2_000)
    .describe(
      "TESSERA_CACHE_TTL_MS: how long API tokens, services, clients and signing keys read from the database are reused in memory. Changes made through this node apply at once; changes made through another node apply within this time. On the embedded SQLite store (one serving process) access tokens read by introspection and userinfo are kept too, for at least a minute; every revocation drops them at once. 0 turns the cache off.",
    ),
  rateLimitStore: z
    .enum(["memory", "postgres", "off"])
    .default("memory")
    .describe(
      "TESSERA_RATE_LIMIT_STORE: where API rate-limit counters live. `memory`: in this process (one node); `postgres`: in a table of the PostgreSQL database of TESSERA_DATABASE_URL, shared by every node; `off`: no rate limits.",
    ),
  rateLimitPostgresTable: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, "must be a lower-case SQL identifier")
    .default("tessera_rate_limits")
    .describe("TESSERA_RATE_LIMIT_PG_TABLE: table for the counters when TESSERA_RATE_LIMIT_STORE=postgres (created when missing)."),
  rateLimitWindowSeconds: z.coerce
    .number()
    .int()
    .min(1)
    .max(86_400)
    .default(1)
    .describe("TESSERA_RATE_LIMIT_WINDOW_SECONDS: length of the rate-limit window of every category, in seconds."),
  rateLimitAuthorization: rateLimitPoints(50_000, "TESSERA_RATE_LIMIT_AUTHORIZATION", "/auth/authorization, /issue, /fail and /pushed_auth_req"),
  rateLimitToken: rateLimitPoints(50_000, "TESSERA_RATE_LIMIT_TOKEN", "/auth/token, /issue and /fail"),
  rateLimitIntrospection: rateLimitPoints(50_000, "TESSERA_RATE_LIMIT_INTROSPECTION", "/auth/introspection and /auth/introspection/standard"),
  rateLimitRevocation: rateLimitPoints(50_000, "TESSERA_RATE_LIMIT_REVOCATION", "/auth/revocation"),
  rateLimitUserinfo: rateLimitPoints(50_000, "TESSERA_RATE_LIMIT_USERINFO", "/auth/userinfo and /issue"),
  rateLimitManagement: rateLimitPoints(1_000, "TESSERA_RATE_LIMIT_MANAGEMENT", "every other /api operation (services, clients, API tokens, keys, discovery)"),
  apiAuthMaxFailures: z.coerce
    .number()
    .int()
    .min(0)
    .default(100)
    .describe(
      "TESSERA_API_AUTH_MAX_FAILURES: requests with a missing or unknown API token one remote address may make per brute-force window before it gets 429 (0: no limit).",
    ),
  bruteForceMaxFailures: z.coerce
    .number()
    .int()
    .min(0)
    .default(10)
    .describe(
      "TESSERA_BRUTE_FORCE_MAX_FAILURES: failed client authentications per client, and rejected password-grant logins per username, allowed per window before further attempts are refused (0: no limit).",
    ),
  bruteForceMaxInvalidGrants: z.coerce
    .number()
    .int()
    .min(0)
    .default(20)
    .describe(
      "TESSERA_BRUTE_FORCE_MAX_INVALID_GRANTS: authorization codes and refresh tokens a client may present in vain (invalid_grant) per window before its redemptions are refused (0: no limit).",
    ),
  bruteForceMaxUserCodeFailures: z.coerce
    .number()
    .int()
    .min(0)
    .default(200)
    .describe(
      "TESSERA_BRUTE_FORCE_MAX_USER_CODE_FAILURES: unknown user codes one service may be asked about at /device/verification and /device/complete per window before every user-code lookup of the service is refused with 429 until the window ends (0: no limit; RFC 8628 section 5.1).",
    ),
  bruteForceWindowSeconds: z.coerce
    .number()
    .int()
    .min(1)
    .max(86_400)
    .default(300)
    .describe("TESSERA_BRUTE_FORCE_WINDOW_SECONDS: window of the brute-force limits, counted from the first failure, in seconds."),
  outboundAllowLoopback: z
    // Environment variables are strings; a config object built in code (tests) passes a boolean.
    .preprocess((value) => (value === "true" ? true : value === "false" ? false : value), z.boolean({ error: "must be true or false" }).default(false))
    .describe(
      "TESSERA_OUTBOUND_ALLOW_LOOPBACK: `true` lets outbound fetches (a client's jwks_uri, sector_identifier_uri and request_uri) use http and reach loopback addresses (127.0.0.0/8, ::1), for development and tests. Off, every fetch is https to a public address, checked after DNS resolution; private, link-local, CGNAT, metadata and other special ranges are refused either way.",
    ),
  outboundTimeoutMs: z.coerce
    .number()
    .int()
    .min(100)
    .max(30_000)
    .default(3_000)
    .describe(
      "TESSERA_OUTBOUND_TIMEOUT_MS: deadline of one outbound fetch (resolution, connection, TLS and the whole response). A failed fetch is remembered for 10 seconds, so a slow server costs this at most once per period.",
    ),
  outboundMaxResponseBytes: z.coerce
    .number()
    .int()
    .min(1024)
    .max(1024 * 1024)
    .default(64 * 1024)
    .describe("TESSERA_OUTBOUND_MAX_RESPONSE_BYTES: largest response body an outbound fetch accepts (a client's JWK Set, a sector identifier document, a request object); larger ones fail."),
  errorUriBase: z
    .string()
    .superRefine((value, ctx) => {
      const problem = errorUriBaseProblem(value);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .optional()
    .describe(
      "TESSERA_ERROR_URI_BASE: the page OAuth error bodies point `error_uri` at; each gets `#` and its result code appended (`https://auth.example.com/docs/result-codes#A050311`). Default: this server's own page, `http://<TESSERA_HOST>:<TESSERA_PORT>/docs/result-codes` (a wildcard host as localhost); set it when clients reach Tessera's docs under another URL. Services can leave `error_uri` out with `errorUriOmitted`.",
    ),
  metrics: z
    .enum(["off", "port", "token"])
    .default("off")
    .describe(
      "TESSERA_METRICS: where Prometheus metrics are served (docs/metrics.md). `off`: nowhere, and nothing is counted; `port`: `GET /metrics` on a separate listener (TESSERA_METRICS_HOST and TESSERA_METRICS_PORT), meant for an interface only the scraper reaches; `token`: `GET /metrics` on the API's own port, answered only to `Authorization: Bearer <TESSERA_METRICS_TOKEN>`.",
    ),
  metricsHost: z
    .string()
    .min(1)
    .default("127.0.0.1")
    .describe("TESSERA_METRICS_HOST: interface the metrics listener binds when TESSERA_METRICS=port."),
  metricsPort: z.coerce
    .number()
    .int()
    .min(0)
    .max(65535)
    .default(9464)
    .describe("TESSERA_METRICS_PORT: TCP port of the metrics listener when TESSERA_METRICS=port (0 picks a free port)."),
  metricsToken: z
    .string()
    .min(32, "must be at least 32 characters")
    .optional()
    .describe(
      "TESSERA_METRICS_TOKEN: bearer token a scrape must present. Required when TESSERA_METRICS=token; with `port`, optional (when set, the separate listener asks for it too). It is not an API token and opens nothing else.",
    ),
  tracing: z
    .enum(["on", "off"])
    .default("on")
    .describe(
      "TESSERA_TRACING: `on` opens OpenTelemetry spans (one per HTTP operation, one per database call) through @opentelemetry/api; they cost next to nothing and go nowhere until an OpenTelemetry SDK is registered in the process (docs/observability.md), which then reads the standard OTEL_* variables. `off` makes no tracing calls at all.",
    ),
}).superRefine((config, ctx) => {
  if (config.metrics === "token" && config.metricsToken === undefined) {
    ctx.addIssue({ code: "custom", path: ["metricsToken"], message: "must be set when TESSERA_METRICS=token" });
  }
});

export type Config = z.infer<typeof configSchema>;

/** Environment variable behind each setting, in one place so messages and docs agree. */
export const configEnv: Record<keyof Config, string> = {
  port: "TESSERA_PORT",
  host: "TESSERA_HOST",
  databaseUrl: "TESSERA_DATABASE_URL",
  adminToken: "TESSERA_ADMIN_TOKEN",
  masterKey: "TESSERA_MASTER_KEY",
  logLevel: "TESSERA_LOG_LEVEL",
  migrate: "TESSERA_MIGRATE",
  bodyLimitBytes: "TESSERA_BODY_LIMIT_BYTES",
  shutdownTimeoutMs: "TESSERA_SHUTDOWN_TIMEOUT_MS",
  cacheTtlMs: "TESSERA_CACHE_TTL_MS",
  rateLimitStore: "TESSERA_RATE_LIMIT_STORE",
  rateLimitPostgresTable: "TESSERA_RATE_LIMIT_PG_TABLE",
  rateLimitWindowSeconds: "TESSERA_RATE_LIMIT_WINDOW_SECONDS",
  rateLimitAuthorization: "TESSERA_RATE_LIMIT_AUTHORIZATION",
  rateLimitToken: "TESSERA_RATE_LIMIT_TOKEN",
  rateLimitIntrospection: "TESSERA_RATE_LIMIT_INTROSPECTION",
  rateLimitRevocation: "TESSERA_RATE_LIMIT_REVOCATION",
  rateLimitUserinfo: "TESSERA_RATE_LIMIT_USERINFO",
  rateLimitManagement: "TESSERA_RATE_LIMIT_MANAGEMENT",
  apiAuthMaxFailures: "TESSERA_API_AUTH_MAX_FAILURES",
  bruteForceMaxFailures: "TESSERA_BRUTE_FORCE_MAX_FAILURES",
  bruteForceMaxInvalidGrants: "TESSERA_BRUTE_FORCE_MAX_INVALID_GRANTS",
  bruteForceMaxUserCodeFailures: "TESSERA_BRUTE_FORCE_MAX_USER_CODE_FAILURES",
  bruteForceWindowSeconds: "TESSERA_BRUTE_FORCE_WINDOW_SECONDS",
  outboundAllowLoopback: "TESSERA_OUTBOUND_ALLOW_LOOPBACK",
  outboundTimeoutMs: "TESSERA_OUTBOUND_TIMEOUT_MS",
  outboundMaxResponseBytes: "TESSERA_OUTBOUND_MAX_RESPONSE_BYTES",
  errorUriBase: "TESSERA_ERROR_URI_BASE",
  metrics: "TESSERA_METRICS",
  metricsHost: "TESSERA_METRICS_HOST",
  metricsPort: "TESSERA_METRICS_PORT",
  metricsToken: "TESSERA_METRICS_TOKEN",
  tracing: "TESSERA_TRACING",
};

export class ConfigError extends Error {}

/** Reads the settings from `env`; a bad value throws a ConfigError naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const raw: Record<string, string | undefined> = {};
  for (const [key, name] of Object.entries(configEnv)) {
    const value = env[name];
    if (value !== undefined && value !== "") raw[key] = value;
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const key = issue.path[0] as keyof Config;
      return `${configEnv[key] ?? String(key)}: ${issue.message}`;
    });
    throw new ConfigError(`Invalid configuration:\n  ${lines.join("\n  ")}`);
  }
  return parsed.data;
}
