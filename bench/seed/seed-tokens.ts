import Database from "better-sqlite3";
import pg from "pg";
import { credentialHash } from "../../src/crypto/secrets.js";

/**
 * Bulk loader for stored access tokens. It writes straight into the store's own database in large
 * transactions (a running server keeps serving: SQLite in WAL mode lets one writer and readers
 * share the file). Each seeded row is a copy of a real row Tessera wrote (the template), so its
 * JSON columns are exactly what the token module produces; only the token hash and the times
 * differ. Token i of a batch named `prefix` is derived from `prefix` and `i` (`seededToken`), so the
 * bench can present any seeded token without keeping millions of strings in memory. Each batch is
 * inserted in hash order, so the primary-key index is written page by page instead of at random.
 */

export function seededToken(prefix: string, index: number): string {
  // 43 characters of the base64url alphabet, like a real token; unique per prefix and index.
  return `${prefix}_${String(index).padStart(12, "0")}_`.padEnd(43, "x");
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
  /**
   * Who holds the seeded tokens (the template's holder otherwise): token i belongs to subject
   * `holderSubject(i % subjects)` at `clientIds[floor(i / subjects) % clientIds.length]`, so each
   * subject holds count / subjects tokens spread over that many clients.
   */
  holders?: { subjects: number; clientIds: readonly number[] };
  /** Stop after the batch that passes this many seconds (the result says how many rows went in). */
  budgetSeconds?: number;
  onProgress?: (done: number) => void;
}

export function holderSubject(index: number): string {
  return `user-${index}`;
}

export interface SeedResult {
  rows: number;
  seconds: number;
}

type Row = Record<string, unknown>;

function templateColumns(template: Row): string[] {
  return Object.keys(template);
}

function timed(start: number, rows: number): SeedResult {
  return { rows, seconds: (performance.now() - start) / 1000 };
}

export function seedSqliteTokens(filename: string, request: SeedRequest): SeedResult {
  const started = performance.now();
  const db = new Database(filename);
  try {
    db.pragma("busy_timeout = 30000");
    // Loader-only settings of this connection: the bench can rebuild the file if the machine dies mid-load.
    db.pragma("synchronous = OFF");
    db.pragma("cache_size = -1048576");
    const template = db.prepare("SELECT * FROM access_tokens WHERE token_hash = ?").get(request.templateTokenHash) as Row | undefined;
    if (!template) throw new Error("template access token not found in the SQLite database");
    const columns = templateColumns(template);
    const insert = db.prepare(`INSERT INTO access_tokens (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`);
    const fixed: Row = { ...template, created_at_ms: request.createdAt, expires_at_ms: request.expiresAt, revoked_at_ms: null, refresh_token_hash: null };
    const values = columns.map((column) => fixed[column]);
    const hashAt = columns.indexOf("token_hash");
    const subjectAt = columns.indexOf("subject");
    const clientAt = columns.indexOf("client_id");
    const { holders } = request;
    const batchSize = request.batchSize ?? 250_000;
    const writeBatch = db.transaction((rows: Array<{ hash: string; index: number }>) => {
      for (const { hash, index } of rows) {
        values[hashAt] = hash;
        if (holders) {
          values[subjectAt] = holderSubject(index % holders.subjects);
          values[clientAt] = holders.clientIds[Math.floor(index / holders.subjects) % holders.clientIds.length];
        }
        insert.run(values);
      }
    });
    const deadline = request.budgetSeconds === undefined ? Number.POSITIVE_INFINITY : started + request.budgetSeconds * 1000;
    let rows = 0;
    for (let from = 0; from < request.count && performance.now() < deadline; from += batchSize) {
      const to = Math.min(request.count, from + batchSize);
      const rowsOfBatch: Array<{ hash: string; index: number }> = new Array(to - from);
      for (let i = from; i < to; i++) rowsOfBatch[i - from] = { hash: credentialHash(seededToken(request.prefix, i)), index: i };
      rowsOfBatch.sort((a, b) => (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0));
      writeBatch(rowsOfBatch);
      rows = to;
      request.onProgress?.(to);
    }
    db.pragma("wal_checkpoint(TRUNCATE)");
    return timed(started, rows);
  } finally {
    db.close();
  }
}

/** base64url(SHA-256(text)) in SQL: `credentialHash()` of src/crypto/secrets.ts for seeded tokens, which are not of the time-led form it prefixes. */
const sqlSha256 = (text: string) => `translate(rtrim(encode(sha256(convert_to(${text}, 'UTF8')), 'base64'), '='), '+/', '-_')`;

/** `seededToken($1, g)` in SQL. */
const sqlSeededToken = "rpad($1::text || '_' || lpad(g::text, 12, '0') || '_', 43, 'x')";

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
      if (column === "token_hash") return sqlSha256(sqlSeededToken);
      const value = fixed[column];
      values.push(value !== null && typeof value === "object" && !(value instanceof Date) ? JSON.stringify(value) : value);
      return `$${values.length + 3}::${typeOf.get(column) ?? "text"}`;
    });
    const sql = `INSERT INTO access_tokens (${columns.join(", ")}) SELECT ${expressions.join(", ")} FROM generate_series($2::bigint, $3::bigint) AS g ORDER BY ${columns.indexOf("token_hash") + 1}`;
    const batchSize = request.batchSize ?? 250_000;
    await client.query("SET synchronous_commit = off");
    const deadline = request.budgetSeconds === undefined ? Number.POSITIVE_INFINITY : started + request.budgetSeconds * 1000;
    let rows = 0;
    for (let from = 0; from < request.count && performance.now() < deadline; from += batchSize) {
      const to = Math.min(request.count, from + batchSize);
      await client.query(sql, [request.prefix, from, to - 1, ...values]);
      rows = to;
      request.onProgress?.(to);
    }
    await client.query("ANALYZE access_tokens");
    return timed(started, rows);
  } finally {
    await client.end();
  }
}
