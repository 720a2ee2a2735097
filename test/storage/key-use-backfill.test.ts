import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { migrationsFolder } from "../../src/storage/migrations-folder.js";
import { testPgUrl } from "../helpers/stores.js";

/**
 * Migration 0002 adds `signed_until_ms`. Keys that signed tokens before it recorded nothing, and a
 * null would let a rotation retire them at once: the migration gives every key that was already
 * active the bound rotation used before (the service's longest access, refresh or ID token lifetime
 * from the upgrade), and leaves keys still waiting for their activation, which signed nothing, at null.
 */

const day = 86_400_000;
const settings = JSON.stringify({ serviceName: "s", issuer: "https://as.example.com", accessTokenDuration: 600, refreshTokenDuration: 86_400, idTokenDuration: 300 });
const keyColumns = "service_id, kid, alg, public_jwk_json, private_jwk_sealed, created_at_ms, activates_at_ms";

function statementsOf(folder: "sqlite" | "pg", tag: string): string[] {
  return readFileSync(join(migrationsFolder(folder), `${tag}.sql`), "utf8")
    .split("--> statement-breakpoint")
    .map((statement) => statement.trim())
    .filter((statement) => statement.length > 0);
}

const before = ["0000_init", "0001_access_tokens_grant_refresh_idx"];
const backfill = "0002_signing_key_use_and_revocation";

interface Rows {
  run(sql: string, values?: unknown[]): Promise<void>;
  signedUntil(kid: string): Promise<number | null>;
}

async function checkBackfill(folder: "sqlite" | "pg", db: Rows): Promise<void> {
  for (const tag of before) for (const statement of statementsOf(folder, tag)) await db.run(statement);
  const now = Date.now();
  await db.run("INSERT INTO services (id, issuer, settings_json, created_at_ms, modified_at_ms) VALUES (1, 'https://as.example.com', ?, ?, ?)", [settings, now, now]);
  const key = `INSERT INTO signing_keys (${keyColumns}) VALUES (1, ?, 'ES256', '{}', 'sealed', ?, ?)`;
  await db.run(key, ["signing", now - day, now - day]);
  await db.run(key, ["pending", now, now + day]);
  const upgradedFrom = Date.now();
  for (const statement of statementsOf(folder, backfill)) await db.run(statement);
  const upgradedUntil = Date.now();

  const signedUntil = await db.signedUntil("signing");
  expect(signedUntil).toBeGreaterThanOrEqual(Math.floor(upgradedFrom / 1000) * 1000 + day);
  expect(signedUntil).toBeLessThanOrEqual(upgradedUntil + day);
  expect(await db.signedUntil("pending")).toBeNull();
}

describe("migration 0002 gives keys that signed before it the previous retirement bound", () => {
  it("on SQLite", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tessera-backfill-"));
    const db = new Database(join(dir, "tessera.db"));
    try {
      await checkBackfill("sqlite", {
        run: async (sql, values = []) => {
          db.prepare(sql).run(...values);
        },
        signedUntil: async (kid) => (db.prepare("SELECT signed_until_ms AS v FROM signing_keys WHERE kid = ?").get(kid) as { v: number | null }).v,
      });
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(!testPgUrl)("on PostgreSQL", async () => {
    const schema = `tessera_backfill_${randomBytes(6).toString("hex")}`;
    const client = new pg.Client({ connectionString: testPgUrl });
    await client.connect();
    try {
      await client.query(`CREATE SCHEMA ${schema}`);
      await client.query(`SET search_path TO ${schema}`);
      await checkBackfill("pg", {
        run: async (sql, values = []) => {
          let n = 0;
          await client.query(sql.replace(/\?/g, () => `$${++n}`), values);
        },
        signedUntil: async (kid) => {
          const { rows } = await client.query<{ v: string | null }>("SELECT signed_until_ms AS v FROM signing_keys WHERE kid = $1", [kid]);
          return rows[0]!.v === null ? null : Number(rows[0]!.v);
        },
      });
    } finally {
      await client.query(`DROP SCHEMA ${schema} CASCADE`);
      await client.end();
    }
  });
});
