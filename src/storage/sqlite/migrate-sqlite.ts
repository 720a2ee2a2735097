import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { migrationsFolder } from "../migrations-folder.js";
import type { SqliteStore } from "./sqlite-store.js";

/**
 * Applies the pending migrations of `drizzle/sqlite` (drizzle's journal table records what ran).
 * drizzle reads the journal before it takes the write lock, so two processes migrating the same
 * file at once can both try a migration; the loser fails, and on its second try it finds the
 * migration recorded. A genuine failure fails twice and is reported.
 */
export function migrateSqlite(store: SqliteStore): void {
  const run = () => migrate(drizzle({ client: store.database }), { migrationsFolder: migrationsFolder("sqlite") });
  try {
    run();
  } catch {
    run();
  }
}
