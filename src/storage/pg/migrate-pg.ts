import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import type pg from "pg";
import { migrationsFolder } from "../migrations-folder.js";

/**
 * Applies the pending migrations of `drizzle/pg` on one connection that holds an advisory lock,
 * so several Tessera instances starting together do not run the same migration twice. With a
 * schema, drizzle's journal goes into that schema too.
 */
export async function migratePg(pool: pg.Pool, schema: string | undefined): Promise<void> {
  const client = await pool.connect();
  const lockKey = `tessera-migrate:${schema ?? "public"}`;
  try {
    await client.query("SELECT pg_advisory_lock(hashtext($1))", [lockKey]);
    try {
      await migrate(drizzle({ client }), {
        migrationsFolder: migrationsFolder("pg"),
        ...(schema === undefined ? {} : { migrationsSchema: schema }),
      });
    } finally {
      await client.query("SELECT pg_advisory_unlock(hashtext($1))", [lockKey]);
    }
  } finally {
    client.release();
  }
}
