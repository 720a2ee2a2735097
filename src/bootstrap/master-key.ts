import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { Logger } from "pino";
import { parseDatabaseUrl } from "../config/database-url.js";
import { ConfigError } from "../config/schema.js";
import { Sealer } from "../crypto/secrets.js";

export type MasterKeySource =
  | { kind: "setting" }
  | { kind: "dev-file"; file: string; created: boolean }
  | { kind: "ephemeral" };

const keyPattern = /^[A-Za-z0-9_-]{43}$/;

/** The development key file kept beside a SQLite database, e.g. `./data/tessera.db.master-key`. */
export function devKeyFileFor(databaseFile: string): string {
  return `${databaseFile}.master-key`;
}

function readKeyFile(file: string): string {
  const mode = statSync(file).mode & 0o777;
  // A key readable by others is as good as published: refuse rather than quietly use it.
  if ((mode & 0o077) !== 0) {
    throw new ConfigError(
      `TESSERA_MASTER_KEY: the development key file ${file} is readable by other users (mode ${mode.toString(8)}); run chmod 600 on it.`,
    );
  }
  const value = readFileSync(file, "utf8").trim();
  if (!keyPattern.test(value)) {
    throw new ConfigError(`TESSERA_MASTER_KEY: the development key file ${file} does not hold a 32-byte base64url key.`);
  }
  return value;
}

/**
 * The master key that seals private signing keys and recoverable secrets. Production sets
 * TESSERA_MASTER_KEY. For a first run on SQLite a key file is created beside the database (0600)
 * so `npm start` works on a fresh clone; PostgreSQL without the setting refuses to start, because a
 * key file on one host would not travel with a shared database.
 */
export function resolveMasterKey(
  settings: { masterKey?: string | undefined; databaseUrl: string },
  logger: Logger,
): { sealer: Sealer; source: MasterKeySource } {
  if (settings.masterKey) return { sealer: Sealer.fromSetting(settings.masterKey), source: { kind: "setting" } };

  const location = parseDatabaseUrl(settings.databaseUrl);
  if (location.dialect === "postgres") {
    throw new ConfigError(
      "TESSERA_MASTER_KEY: must be set when TESSERA_DATABASE_URL points at PostgreSQL. Generate one with: node -e \"console.log(require('node:crypto').randomBytes(32).toString('base64url'))\"",
    );
  }
  if (location.file === null) {
    logger.warn("TESSERA_MASTER_KEY is unset and the database is in memory: using a throw-away master key (development only)");
    return { sealer: Sealer.fromSetting(randomBytes(32).toString("base64url")), source: { kind: "ephemeral" } };
  }

  const file = devKeyFileFor(location.file);
  if (existsSync(file)) {
    return { sealer: Sealer.fromSetting(readKeyFile(file)), source: { kind: "dev-file", file, created: false } };
  }
  mkdirSync(dirname(file), { recursive: true });
  const key = randomBytes(32).toString("base64url");
  writeFileSync(file, `${key}\n`, { mode: 0o600, flag: "wx" });
  chmodSync(file, 0o600);
  logger.warn(
    { keyFile: file },
    "DEVELOPMENT ONLY: TESSERA_MASTER_KEY is unset, so a master key was generated and written next to the SQLite database. Anyone who can read that file can decrypt the signing keys. Set TESSERA_MASTER_KEY in production.",
  );
  return { sealer: Sealer.fromSetting(key), source: { kind: "dev-file", file, created: true } };
}
