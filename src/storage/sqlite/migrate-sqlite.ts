import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { migrationsFolder } from "../migrations-folder.js";
import type { SqliteStore } from "./sqlite-store.js";
import { LostRaceError, retryWhileLocked } from "./while-locked.js";

/** How long a starter keeps retrying while another process migrates the same file. */
const lockWaitMs = 15_000;

/** Migrations recorded in drizzle's journal table (0 before it exists). */
function recordedMigrations(store: SqliteStore): number {
  const table = store.database.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'").get();
  if (!table) return 0;
  return (store.database.prepare("SELECT count(*) AS n FROM __drizzle_migrations").get() as { n: number }).n;
}

/**
 * Applies the pending migrations of `drizzle/sqlite` (drizzle's journal table records what ran).
 * drizzle reads the journal outside the transaction that applies the migrations, so when several
 * processes migrate the same new file at once, one that read the journal before another committed
 * either has its write lock refused ("database is locked": SQLite does not wait there, to avoid
 * a deadlock) or, having waited, replays migrations already applied ("table … already exists",
 * rolled back). Both mean another process migrated meanwhile: this one waits and tries again, and
 * then finds them recorded. A failure while nobody else recorded a migration is thrown at once.
 */
export function migrateSqlite(store: SqliteStore): void {
  const run = () => migrate(drizzle({ client: store.database }), { migrationsFolder: migrationsFolder("sqlite") });
  retryWhileLocked(() => {
    const before = recordedMigrations(store);
    try {
      run();
    } catch (error) {
      if (recordedMigrations(store) > before) throw new LostRaceError(error);
      throw error;
    }
  }, lockWaitMs);
}
