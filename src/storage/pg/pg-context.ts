import type pg from "pg";
import { StoreConflictError } from "../ports.js";
import type { Row } from "../rows.js";
import { type StatementName, statementsOf } from "../statements.js";
import { insertTokens } from "./insert-tokens.js";
import { PgLookupBatcher } from "./pg-lookup-batcher.js";
import { insertTokenWriteBatch } from "./pg-token-write-batch.js";
import { PgTokenWriteBatcher } from "./pg-token-write-batcher.js";

/** The shared statements with PostgreSQL's numbered placeholders. */
const pgSql = Object.fromEntries(
  Object.entries(statementsOf("postgres")).map(([name, text]) => {
    let position = 0;
    return [name, text.replace(/\?/g, () => `$${++position}`)];
  }),
) as Record<StatementName, string>;

/** The pool, or the connection of a transaction in progress. */
export type Querier = Pick<pg.Pool | pg.PoolClient, "query">;

/**
 * What every PostgreSQL port shares: the pool, its statement helpers and the batchers. Single
 * statements run on the pool as named prepared statements; work of several statements runs in one
 * BEGIN/COMMIT on a checked-out connection. Consume-once rules are the WHERE clauses of
 * `statements.ts`: under READ COMMITTED a second concurrent UPDATE waits for the first, re-reads
 * the row and no longer matches.
 */
export interface PgContext {
  rows(name: StatementName, values: unknown[], on?: Querier): Promise<Row[]>;
  one(name: StatementName, values: unknown[], on?: Querier): Promise<Row | undefined>;
  /** Runs a statement and answers the rows it changed; a unique-key violation becomes a StoreConflictError. */
  run(name: StatementName, values: unknown[], on?: Querier): Promise<number>;
  count(name: StatementName, values: unknown[]): Promise<number>;
  /** Runs `work` in one transaction on one connection. */
  transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T>;
  /** Tokens issued with a new grant, group-committed (pg-token-write-batcher.ts). */
  readonly newGrantTokenWrites: PgTokenWriteBatcher;
  /** The access and refresh token lookups of one event-loop turn share a query (pg-lookup-batcher.ts). */
  readonly accessTokens: PgLookupBatcher;
  readonly refreshTokens: PgLookupBatcher;
  /** Writes what the batchers hold, then ends the pool. */
  close(): Promise<void>;
}

export function pgContext(pool: pg.Pool): PgContext {
  const rows = async (name: StatementName, values: unknown[], on: Querier = pool): Promise<Row[]> =>
    (await on.query<Row>({ name, text: pgSql[name], values })).rows;

  const one = async (name: StatementName, values: unknown[], on?: Querier): Promise<Row | undefined> => (await rows(name, values, on))[0];

  const run = async (name: StatementName, values: unknown[], on: Querier = pool): Promise<number> => {
    try {
      return (await on.query({ name, text: pgSql[name], values })).rowCount ?? 0;
    } catch (error) {
      throw asConflict(error);
    }
  };

  const count = async (name: StatementName, values: unknown[]): Promise<number> => Number((await one(name, values))?.n ?? 0);

  const transaction = async <T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      const result = await work(client);
      await client.query("COMMIT");
      client.release();
      return result;
    } catch (error) {
      // A connection whose ROLLBACK fails is in an unknown state: destroy it rather than reuse it.
      const rollback = await client.query("ROLLBACK").then(
        () => undefined,
        (rollbackError: Error) => rollbackError,
      );
      client.release(rollback);
      throw asConflict(error);
    }
  };

  const context: PgContext = {
    rows,
    one,
    run,
    count,
    transaction,
    newGrantTokenWrites: new PgTokenWriteBatcher(
      (batch) => insertTokenWriteBatch(pool, batch),
      (write) => transaction((client) => insertTokens(context, write, client)),
    ),
    // Of the pool's 10 connections, lookups hold at most 6 and token-write batches 2, leaving at least two
    // for every other query and transaction. Access tokens are looked up far more often.
    accessTokens: new PgLookupBatcher(pool, "selectAccessToken", 4),
    refreshTokens: new PgLookupBatcher(pool, "selectRefreshToken", 2),
    async close() {
      await Promise.all([context.newGrantTokenWrites.close(), context.accessTokens.close(), context.refreshTokens.close()]);
      if (!pool.ended) await pool.end();
    },
  };
  return context;
}

function asConflict(error: unknown): unknown {
  if ((error as { code?: unknown } | null)?.code === "23505") {
    return new StoreConflictError((error as Error).message, { cause: error });
  }
  return error;
}
