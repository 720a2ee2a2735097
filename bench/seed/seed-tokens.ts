import { createHash } from "node:crypto";
import Database from "better-sqlite3";
import pg from "pg";
import { sha256 } from "../../src/crypto/secrets.js";

/**
 * Bulk loader for stored access tokens. It writes straight into the store's own database in large
 * transactions (a running server keeps serving: SQLite in WAL mode lets one writer and readers
 * share the file). Each seeded row is a copy of a real row Tessera wrote (the template), so its
 * JSON columns are exactly what the token module produces; only the token hash and the times
 * differ. Token i of a batch named `prefix` is `base64url(SHA-256("seed:<prefix>:<i>"))`, so the
 * bench can present any seeded token without keeping millions of strings in memory.
 */

export function seededToken(prefix: string, index: number): string {
  return createHash("sha256").update(`seed:${prefix}:${index}`).digest("base64url");
}

/** `count` seeded tokens spread evenly over the batch, for introspection requests. */
export function sampleSeededTokens(prefix: string, total: number, count: number): string[] {
  const step = Math.max(1, Math.floor(total / count));
  const tokens: string[] = [];
  for (let i = 0; i < total && tokens.length < count; i += step) tokens.push(seededToken(prefix, i));
  return tokens;
}

export interface SeedRequest {
  /** Hash (as stored) of a real access token whose row is copied. */
  templateTokenHash: string;
  prefix: string;
  count: number;
  createdAt: number;
  expiresAt: number;
  /** Rows per transaction. */
  batchSize?: number;
  onProgress?: (done: number) => void;
}

export interface SeedResult {
  rows: number;
  seconds: number;
}

type Row = Record<string, unknown>;

function templateColumns(template: Row): string[] {
  return Object.keys(template);
}

function timed<T>(start: number, rows: number): SeedResult {
  return { rows, seconds: (performance.now() - start) / 1000 };
}

export function seedSqliteTokens(filename: string, request: SeedRequest): SeedResult {
  const started = performance.now();
  const db = new Database(filename);
  try {
    db.pragma("busy_timeout = 30000");
    // Loader-only settings of this connection: the bench can rebuild the file if the machine dies mid-load.
    db.pragma("synchronous = OFF");
    db.pragma("cache_size = -262144");
    const template = db.prepare("SELECT * FROM access_tokens WHERE token_hash = ?").get(request.templateTokenHash) as Row | undefined;
    if (!template) throw new Error("template access token not found in the SQLite database");
    const columns = templateColumns(template);
    const insert = db.prepare(`INSERT INTO access_tokens (${columns.join(", ")}) VALUES (${columns.map((c) => `@${c}`).join(", ")})`);
    const row: Row = { ...template, created_at_ms: request.createdAt, expires_at_ms: request.expiresAt, revoked_at_ms: null, refresh_token_hash: null };
    const batchSize = request.batchSize ?? 200_000;
    const writeBatch = db.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) {
        row.token_hash = sha256(seededToken(request.prefix, i));
        insert.run(row);
      }
    });
    for (let from = 0; from < request.count; from += batchSize) {
      const to = Math.min(request.count, from + batchSize);
      writeBatch(from, to);
      request.onProgress?.(to);
    }
    db.pragma("wal_checkpoint(TRUNCATE)");
    return timed(started, request.count);
  } finally {
    db.close();
  }
}

/** base64url(SHA-256(text)) in SQL, matching `sha256()` of src/crypto/secrets.ts. */
const sqlSha256 = (text: string) => `translate(rtrim(encode(sha256(convert_to(${text}, 'UTF8')), 'base64'), '='), '+/', '-_')`;

export async function seedPgTokens(url: string, request: SeedRequest): Promise<SeedResult> {
  const started = performance.now();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const found = await client.query<Row>("SELECT * FROM access_tokens WHERE token_hash = $1", [request.templateTokenHash]);
    const template = found.rows[0];
    if (!template) throw new Error("template access token not found in the PostgreSQL database");
    const columns = templateColumns(template);
    const typed = await client.query<{ column_name: string; data_type: string }>(
      "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'access_tokens' AND table_schema = current_schema()",
    );
    const typeOf = new Map(typed.rows.map((r) => [r.column_name, r.data_type]));
    const fixed: Row = { ...template, created_at_ms: request.createdAt, expires_at_ms: request.expiresAt, revoked_at_ms: null, refresh_token_hash: null };
    const values: unknown[] = [];
    const expressions = columns.map((column) => {
      if (column === "token_hash") return sqlSha256(sqlSha256(`'seed:' || $1::text || ':' || g::text`));
      const value = fixed[column];
      values.push(value !== null && typeof value === "object" && !(value instanceof Date) ? JSON.stringify(value) : value);
      return `$${values.length + 3}::${typeOf.get(column) ?? "text"}`;
    });
    const sql = `INSERT INTO access_tokens (${columns.join(", ")}) SELECT ${expressions.join(", ")} FROM generate_series($2::bigint, $3::bigint) AS g`;
    const batchSize = request.batchSize ?? 250_000;
    await client.query("SET synchronous_commit = off");
    for (let from = 0; from < request.count; from += batchSize) {
      const to = Math.min(request.count, from + batchSize);
      await client.query(sql, [request.prefix, from, to - 1, ...values]);
      request.onProgress?.(to);
    }
    await client.query("ANALYZE access_tokens");
    return timed(started, request.count);
  } finally {
    await client.end();
  }
}
