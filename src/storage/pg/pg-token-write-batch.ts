import { getTableColumns } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type pg from "pg";
import type { GrantRecord } from "../../domain/records.js";
import type { TokenWrite } from "../ports.js";
import { params } from "../rows.js";
import { sql } from "../statements.js";
import { accessTokens, grants, refreshTokens } from "./schema.js";

/** A token write that creates its grant: nothing else in the database refers to its rows yet, so it can share a statement. */
export type NewGrantTokenWrite = TokenWrite & { grant: GrantRecord };

/** A multi-row insert whose parameters `first` … `first + width - 1` are one array per column. */
interface UnnestInsert {
  text: string;
  first: number;
  width: number;
}

/**
 * Turns one of the shared single-row inserts into a multi-row insert of the same columns, fed by
 * one array parameter per column, typed as `table` declares the column. The statement text does
 * not depend on the number of rows, so every connection prepares it once.
 */
function unnestInsert(statement: string, table: PgTable, first: number): UnnestInsert {
  const insert = /^(INSERT INTO \w+ \(([\w, ]+)\)) VALUES \([?, ]+\)$/.exec(statement);
  if (!insert?.[1] || !insert[2]) throw new Error(`not a single-row insert: ${statement}`);
  const types = new Map(Object.values(getTableColumns(table)).map((column) => [column.name, column.getSQLType()]));
  const arrays = insert[2].split(", ").map((name, index) => {
    const type = types.get(name);
    if (type === undefined) throw new Error(`no column ${name} in the schema for: ${statement}`);
    return `$${first + index}::${type}[]`;
  });
  return { text: `${insert[1]} SELECT * FROM unnest(${arrays.join(", ")})`, first, width: arrays.length };
}

const grantInsert = unnestInsert(sql.insertGrant, grants, 1);
const refreshTokenInsert = unnestInsert(sql.insertRefreshToken, refreshTokens, grantInsert.first + grantInsert.width);
const accessTokenInsert = unnestInsert(sql.insertAccessToken, accessTokens, refreshTokenInsert.first + refreshTokenInsert.width);

/**
 * One statement, so one implicit transaction and one round trip: the grants, refresh tokens and
 * access tokens of a whole batch. The tokens' foreign keys to the grants are checked at the end
 * of the statement, when the grants written by the first part are visible. Any error (a
 * duplicate hash, a client deleted meanwhile) aborts the statement and leaves no row behind.
 */
const batchInsert = `WITH new_grants AS (${grantInsert.text}), new_refresh_tokens AS (${refreshTokenInsert.text}) ${accessTokenInsert.text}`;

/** The rows' values column by column: the `width` arrays that `unnest` zips back into rows. */
function columns(rows: readonly unknown[][], width: number): unknown[][] {
  const result = Array.from({ length: width }, (): unknown[] => []);
  for (const row of rows) {
    row.forEach((value, index) => {
      result[index]?.push(value);
    });
  }
  return result;
}

/**
 * Writes every token write of `batch` atomically; resolves once PostgreSQL has committed them. A failed
 * statement has already ended its implicit transaction on the server, so there is no ROLLBACK that
 * could fail; the pool discards the connection all the same, as it does after any failed query.
 */
export async function insertTokenWriteBatch(pool: pg.Pool, batch: readonly NewGrantTokenWrite[]): Promise<void> {
  const grantRows = batch.map((write) => params.grant(write.grant));
  const refreshTokenRows = batch.flatMap((write) => (write.refreshToken ? [params.refreshToken(write.refreshToken)] : []));
  const accessTokenRows = batch.map((write) => params.accessToken(write.accessToken));
  const values = [
    ...columns(grantRows, grantInsert.width),
    ...columns(refreshTokenRows, refreshTokenInsert.width),
    ...columns(accessTokenRows, accessTokenInsert.width),
  ];
  await pool.query({ name: "insertTokenWriteBatch", text: batchInsert, values });
}
