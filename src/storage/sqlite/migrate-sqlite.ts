import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { migrationsFolder } from "../migrations-folder.js";
import type { SqliteStore } from "./sqlite-store.js";

/** Applies the pending migrations of `drizzle/sqlite` (drizzle's journal table records what ran). */
export function migrateSqlite(store: SqliteStore): void {
  migrate(drizzle({ client: store.database }), { migrationsFolder: migrationsFolder("sqlite") });
}
