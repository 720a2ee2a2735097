import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { parseDatabaseUrl } from "../config/database-url.js";
import type { InvalidationFeedEvent } from "./invalidation-feed.js";
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
  /** PostgreSQL only: the connection that listens for other nodes' cache invalidations went down or came back. */
  onInvalidationFeedEvent?: (event: InvalidationFeedEvent) => void;
}

/** Opens the store named by `databaseUrl`, creating the SQLite file's directory when needed. */
export async function openStore(databaseUrl: string, options: OpenStoreOptions = {}): Promise<Store> {
  const location = parseDatabaseUrl(databaseUrl);
  if (location.dialect === "postgres") {
    const { openPgStore } = await import("./pg/pg-store.js");
    return openPgStore(location.url, options);
  }
  const { file } = location;
  if (file !== null) mkdirSync(dirname(file), { recursive: true });
  const store = new SqliteStore(file ?? ":memory:");
  try {
    if (options.migrate) migrateSqlite(store);
    if (options.checkpointInBackground && file !== null) store.checkpointInBackground(file);
    if (options.writeOnWorkerThread && file !== null) await store.writeOnWorkerThread(file, options.onWriterThreadFailure);
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}
