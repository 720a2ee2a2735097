import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { migrationsFolder } from "../migrations-folder.js";
import type { SqliteStore } from "./sqlite-store.js";

/** Tries before a failure is reported: each lost race against another migrating process costs one. */
const attempts = 5;

/**
 * Applies the pending migrations of `drizzle/sqlite` (drizzle's journal table records what ran).
 * drizzle reads the journal in a deferred transaction and only then asks for the write lock, so
 * when several processes migrate the same file at once SQLite refuses all but one upgrade at once
 * ("database is locked", no busy wait, to avoid a deadlock). A refused process waits a little and
 * tries again, finding the migrations recorded; a genuine failure fails every try and is reported.
 */
export function migrateSqlite(store: SqliteStore): void {
  const run = () => migrate(drizzle({ client: store.database }), { migrationsFolder: migrationsFolder("sqlite") });
  for (let attempt = 1; ; attempt++) {
    try {
      run();
      return;
    } catch (error) {
      if (attempt >= attempts) throw error;
      // Start-up only, so a blocking pause is acceptable; it lets the winner commit.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20 * attempt);
    }
  }
}
