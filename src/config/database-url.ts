import { resolve } from "node:path";

/** The database a TESSERA_DATABASE_URL names. */
export type DatabaseLocation =
  | { dialect: "postgres"; url: string }
  /** `file` is absolute (resolved against the working directory at parse time); null is in memory. */
  | { dialect: "sqlite"; file: string | null };

/** A database URL that names no database Tessera can open; the message says what to write instead. */
export class DatabaseUrlError extends Error {}

const expected = "use a file path, a sqlite: URL or a postgres:// URL";

/**
 * The one reader of TESSERA_DATABASE_URL, used by the settings check, the store, the development
 * key file's placement and the rate limiter: `postgres://` or `postgresql://` → PostgreSQL;
 * `sqlite:<path>`, `sqlite://<path>` or a bare path → that SQLite file; `:memory:` (either way) →
 * SQLite in memory. A `sqlite:` URL without a path names nothing and is refused (DatabaseUrlError),
 * as are other schemes and the empty string.
 */
export function parseDatabaseUrl(databaseUrl: string): DatabaseLocation {
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return { dialect: "postgres", url: databaseUrl };
  let path = databaseUrl;
  if (databaseUrl.startsWith("sqlite:")) {
    path = databaseUrl.slice("sqlite:".length).replace(/^\/\//, "");
    if (path === "") throw new DatabaseUrlError("a sqlite: URL needs a file path (sqlite:./data/tessera.db) or :memory: (sqlite::memory:)");
  } else if (databaseUrl.includes("://")) {
    throw new DatabaseUrlError(`unsupported scheme ${databaseUrl.split("://")[0]}://; ${expected}`);
  } else if (databaseUrl === "") {
    throw new DatabaseUrlError(`empty; ${expected}`);
  }
  return { dialect: "sqlite", file: path === ":memory:" ? null : resolve(path) };
}

/** The database for humans: SQLite file path, or the PostgreSQL URL without its password. */
export function describeDatabase(databaseUrl: string): string {
  const location = parseDatabaseUrl(databaseUrl);
  if (location.dialect === "sqlite") return location.file ? `SQLite ${location.file}` : "SQLite in memory";
  try {
    const url = new URL(location.url);
    if (url.password) url.password = "***";
    return `PostgreSQL ${url.toString()}`;
  } catch {
    return "PostgreSQL (unparseable URL)";
  }
}
