import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { Store } from "./ports.js";
import { migrateSqlite } from "./sqlite/migrate-sqlite.js";
import { SqliteStore } from "./sqlite/sqlite-store.js";

export interface OpenStoreOptions {
  /** Apply pending migrations before returning. */
  migrate?: boolean;
  /** SQLite files only: run WAL checkpoints on a worker thread instead of inside request commits (the server sets it). */
  checkpointInBackground?: boolean;
  /** SQLite files only: commit writes on a worker thread with its own connection (the server sets it). */
  writeOnWorkerThread?: boolean;
  /** Told when the writer thread stopped and writes fell back to the serving connection. */
  onWriterThreadFailure?: (error: Error) => void;
  /** PostgreSQL only: the schema that holds Tessera's tables (created when missing); default `public`. */
  pgSchema?: string;
}

export type DatabaseLocation = { dialect: "sqlite"; filename: string } | { dialect: "postgres"; url: string };

/**
 * Reads `TESSERA_DATABASE_URL`: a plain file path, `sqlite:<path>`, `sqlite::memory:`, or a
 * `postgres://` / `postgresql://` URL.
 */
export function parseDatabaseUrl(databaseUrl: string): DatabaseLocation {
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return { dialect: "postgres", url: databaseUrl };
  if (databaseUrl.startsWith("sqlite:")) {
    let filename = databaseUrl.slice("sqlite:".length);
    if (filename.startsWith("//")) filename = filename.slice(2);
    if (filename === "") throw new Error("sqlite: URL without a file path");
    return { dialect: "sqlite", filename };
  }
  if (databaseUrl.includes("://")) throw new Error(`unsupported database URL scheme: ${databaseUrl.split("://")[0]}`);
  if (databaseUrl === "") throw new Error("empty database URL");
  return { dialect: "sqlite", filename: databaseUrl };
}

/** Opens the store named by `databaseUrl`, creating the SQLite file's directory when needed. */
export async function openStore(databaseUrl: string, options: OpenStoreOptions = {}): Promise<Store> {
  const location = parseDatabaseUrl(databaseUrl);
  if (location.dialect === "postgres") {
    const { openPgStore } = await import("./pg/pg-store.js");
    return openPgStore(location.url, options);
  }
  const inMemory = location.filename === ":memory:";
  if (!inMemory) mkdirSync(dirname(resolve(location.filename)), { recursive: true });
  const store = new SqliteStore(location.filename);
  try {
    if (options.migrate) migrateSqlite(store);
    if (options.checkpointInBackground && !inMemory) store.checkpointInBackground(location.filename);
    if (options.writeOnWorkerThread && !inMemory) await store.writeOnWorkerThread(location.filename, options.onWriterThreadFailure);
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}
