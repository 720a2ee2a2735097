import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/storage/open-store.js";
import type { Store } from "../../src/storage/ports.js";
import { testPgUrl } from "../helpers/stores.js";

/**
 * Found by the crash test: two deployments in two schemas of one database, each chosen the way
 * docs/storage.md tells operators (`?options=-c search_path=…`), must both get their tables. With
 * drizzle's journal in the shared `drizzle` schema, the second one found the migrations recorded,
 * created nothing and failed at its first query.
 */

const schemas = [0, 1].map(() => `tessera_sp_${randomBytes(5).toString("hex")}`);
const stores: Store[] = [];

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: testPgUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

afterAll(async () => {
  await Promise.all(stores.map((store) => store.close()));
  if (testPgUrl) for (const schema of schemas) await admin(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
});

describe.skipIf(!testPgUrl)("PostgreSQL schema chosen in the URL", () => {
  it("each of two schemas of one database gets its own tables and journal", async () => {
    for (const schema of schemas) {
      await admin(`CREATE SCHEMA "${schema}"`);
      const url = new URL(testPgUrl!);
      url.searchParams.set("options", `-c search_path=${schema}`);
      const store = await openStore(url.toString(), { migrate: true });
      stores.push(store);
      await expect(store.hasAdminToken()).resolves.toBe(false);
    }
    const client = new pg.Client({ connectionString: testPgUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ table_schema: string; table_name: string }>(
        "SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema = ANY($1) AND table_name IN ('api_tokens', '__drizzle_migrations')",
        [schemas],
      );
      for (const schema of schemas) {
        expect(rows.filter((row) => row.table_schema === schema).map((row) => row.table_name).sort()).toEqual(["__drizzle_migrations", "api_tokens"]);
      }
    } finally {
      await client.end();
    }
  });
});
