import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { renderConfigDocs } from "../../src/cli/commands/config-docs.js";
import { parseDatabaseUrl } from "../../src/config/database-url.js";
import { errorUriBaseOf } from "../../src/config/error-uri-base.js";
import { ConfigError, loadConfig } from "../../src/config/schema.js";

function configErrorOf(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected a ConfigError");
}

describe("configuration", () => {
  it("has defaults that run on a fresh clone", () => {
    const config = loadConfig({});
    expect(config.adminToken).toBeUndefined();
    expect(config.masterKey).toBeUndefined();
    expect(config).toMatchObject({
      port: 8080,
      host: "127.0.0.1",
      databaseUrl: "sqlite:./data/tessera.db",
      logLevel: "info",
      migrate: "auto",
      bodyLimitBytes: 1024 * 1024,
      shutdownTimeoutMs: 10_000,
    });
  });

  it("reads every variable and treats empty ones as unset", () => {
    const config = loadConfig({
      TESSERA_PORT: "0",
      TESSERA_HOST: "0.0.0.0",
      TESSERA_DATABASE_URL: "postgres://u@db:5432/tessera",
      TESSERA_ADMIN_TOKEN: "a".repeat(32),
      TESSERA_MASTER_KEY: "f".repeat(64),
      TESSERA_LOG_LEVEL: "debug",
      TESSERA_MIGRATE: "off",
      TESSERA_BODY_LIMIT_BYTES: "2048",
      TESSERA_SHUTDOWN_TIMEOUT_MS: "",
    });
    expect(config).toMatchObject({
      port: 0,
      host: "0.0.0.0",
      databaseUrl: "postgres://u@db:5432/tessera",
      adminToken: "a".repeat(32),
      logLevel: "debug",
      migrate: "off",
      bodyLimitBytes: 2048,
      shutdownTimeoutMs: 10_000,
    });
  });

  it.each([
    ["TESSERA_PORT", "eighty"],
    ["TESSERA_PORT", "70000"],
    ["TESSERA_PORT", "80.5"],
    ["TESSERA_DATABASE_URL", "mysql://db/tessera"],
    ["TESSERA_ADMIN_TOKEN", "too-short"],
    ["TESSERA_MASTER_KEY", "not-a-key"],
    ["TESSERA_MASTER_KEY", "a".repeat(63)],
    ["TESSERA_LOG_LEVEL", "loud"],
    ["TESSERA_MIGRATE", "sometimes"],
    ["TESSERA_BODY_LIMIT_BYTES", "100"],
    ["TESSERA_SHUTDOWN_TIMEOUT_MS", "-1"],
    ["TESSERA_ERROR_URI_BASE", "not a url"],
    ["TESSERA_ERROR_URI_BASE", "ftp://example.com/result-codes"],
    ["TESSERA_ERROR_URI_BASE", "https://example.com/result-codes#top"],
  ])("rejects %s=%s with a message naming the variable", (name, value) => {
    const message = configErrorOf({ [name]: value });
    expect(message).toContain(`${name}:`);
    expect(message.split("\n")).toHaveLength(2);
  });

  it.each([
    [{}, "http://127.0.0.1:8080/docs/result-codes"],
    [{ TESSERA_HOST: "0.0.0.0", TESSERA_PORT: "9000" }, "http://localhost:9000/docs/result-codes"],
    [{ TESSERA_HOST: "::" }, "http://localhost:8080/docs/result-codes"],
    [{ TESSERA_HOST: "::1" }, "http://[::1]:8080/docs/result-codes"],
    [{ TESSERA_ERROR_URI_BASE: "https://auth.example.com/docs/result-codes" }, "https://auth.example.com/docs/result-codes"],
    [{ TESSERA_ERROR_URI_BASE: "https://auth.example.com/errors?lang=en" }, "https://auth.example.com/errors?lang=en"],
  ])("error_uri base for %j is %s (default: this server's result-code page)", (env, base) => {
    expect(errorUriBaseOf(loadConfig(env))).toBe(base);
  });

  it("names every bad variable at once", () => {
    const message = configErrorOf({ TESSERA_PORT: "x", TESSERA_LOG_LEVEL: "y" });
    expect(message).toContain("TESSERA_PORT:");
    expect(message).toContain("TESSERA_LOG_LEVEL:");
  });

  it("never echoes a rejected secret in the message", () => {
    const message = configErrorOf({ TESSERA_ADMIN_TOKEN: "short-secret-value" });
    expect(message).not.toContain("short-secret-value");
  });

  it.each(["sqlite:", "sqlite://"])("refuses TESSERA_DATABASE_URL=%s, a sqlite: URL without a file path, saying what to write", (value) => {
    expect(configErrorOf({ TESSERA_DATABASE_URL: value }).split("\n")[1]?.trim()).toBe(
      "TESSERA_DATABASE_URL: a sqlite: URL needs a file path (sqlite:./data/tessera.db) or :memory: (sqlite::memory:)",
    );
  });

  it("accepts exactly the database URLs the store, the key-file placement and the rate limiter read, as one parser does", () => {
    const urls = [
      "sqlite:./data/tessera.db",
      "sqlite:///var/lib/tessera.db",
      "sqlite://relative.db",
      "sqlite::memory:",
      ":memory:",
      "./data/tessera.db",
      "/srv/tessera.db",
      "postgres://u@db:5432/tessera",
      "postgresql://db/tessera?sslmode=require",
      "sqlite:",
      "sqlite://",
      "mysql://db/tessera",
      "http://db/tessera",
    ];
    for (const url of urls) {
      let parsed: unknown;
      try {
        parsed = parseDatabaseUrl(url);
      } catch {
        parsed = "refused";
      }
      const settingAccepted = (() => {
        try {
          return loadConfig({ TESSERA_DATABASE_URL: url }).databaseUrl === url;
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigError);
          return false;
        }
      })();
      expect({ url, settingAccepted }).toEqual({ url, settingAccepted: parsed !== "refused" });
    }
    expect(parseDatabaseUrl("sqlite::memory:")).toEqual({ dialect: "sqlite", file: null });
    expect(parseDatabaseUrl(":memory:")).toEqual({ dialect: "sqlite", file: null });
  });

  it("docs/configuration.md matches the schema (run `npm run tessera -- config-docs` after changing it)", () => {
    const committed = readFileSync(new URL("../../docs/configuration.md", import.meta.url), "utf8");
    expect(committed, "docs/configuration.md is stale: run `npm run generate`").toBe(renderConfigDocs());
  });
});
