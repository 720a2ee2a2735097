import { resolve } from "node:path";

/** Which database a TESSERA_DATABASE_URL names, in a form fit for messages and key-file placement. */
export type DatabaseLocation =
  | { dialect: "postgres"; url: string }
  | { dialect: "sqlite"; file: string }
  | { dialect: "sqlite"; file: null };

/** `sqlite:path`, `sqlite://path` or a bare path → the SQLite file (null for `:memory:`); postgres URLs as is. */
export function databaseLocation(databaseUrl: string): DatabaseLocation {
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return { dialect: "postgres", url: databaseUrl };
  const path = databaseUrl.replace(/^sqlite:(\/\/)?/, "");
  if (path === ":memory:" || path === "") return { dialect: "sqlite", file: null };
  return { dialect: "sqlite", file: resolve(path) };
}

/** The database for humans: SQLite file path, or the PostgreSQL URL without its password. */
export function describeDatabase(databaseUrl: string): string {
  const location = databaseLocation(databaseUrl);
  if (location.dialect === "sqlite") return location.file ? `SQLite ${location.file}` : "SQLite in memory";
  try {
    const url = new URL(location.url);
    if (url.password) url.password = "***";
    return `PostgreSQL ${url.toString()}`;
  } catch {
    return "PostgreSQL (unparseable URL)";
  }
}
