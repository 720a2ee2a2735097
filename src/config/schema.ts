import { z } from "zod";

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
    .refine((v) => /^(sqlite:|postgres:\/\/|postgresql:\/\/)/.test(v) || !v.includes("://"), {
      message: "must be a file path, a sqlite: URL or a postgres:// URL",
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
