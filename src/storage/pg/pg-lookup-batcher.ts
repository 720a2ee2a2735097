import type pg from "pg";
import type { Row } from "../rows.js";
import { sql } from "../statements.js";
import { type Pending, TurnBatcher } from "./turn-batcher.js";

/** How many lookups one query answers at most; a queue this long is sent at once instead of waiting. */
export const maxLookupBatch = 256;

interface TokenKey {
  serviceId: number;
  tokenHash: string;
}

type TokenLookup = "selectAccessToken" | "selectRefreshToken";

/** What the batcher needs of a pool (a test can count or fail its queries). */
export interface RowQuerier {
  query(config: pg.QueryConfig): Promise<{ rows: Row[] }>;
}

const keyOf = (serviceId: unknown, tokenHash: unknown): string => `${serviceId} ${tokenHash}`;

/**
 * The shared single-token lookup, run once per key of a batch. As a lateral subquery every key is
 * one probe of the token_hash primary key however the batch and table sizes compare; `OFFSET 0`
 * keeps PostgreSQL from flattening it into a join, which it would answer with a hash join over
 * the whole table once a batch is large relative to the table.
 */
function batchLookup(statement: TokenLookup): pg.QueryConfig {
  const lookup = /^SELECT \* FROM (\w+) WHERE service_id = \? AND token_hash = \?$/.exec(sql[statement]);
  if (!lookup?.[1]) throw new Error(`not a token lookup by service and hash: ${sql[statement]}`);
  return {
    name: `${statement}Batch`,
    text:
      "SELECT t.* FROM unnest($1::bigint[], $2::text[]) AS k(service_id, token_hash) CROSS JOIN LATERAL " +
      `(SELECT * FROM ${lookup[1]} WHERE service_id = k.service_id AND token_hash = k.token_hash OFFSET 0) AS t`,
  };
}

/**
 * Read coalescing for PostgreSQL token lookups (introspection, userinfo, revocation, refresh). One
 * query per lookup makes a busy server wait on round trips through the pool; the lookups made
 * during one event-loop turn are answered by one query instead, each caller getting its own row.
 *
 * - Read-your-writes holds: a batch's query is sent after every lookup in it was made, so it sees
 *   every write acknowledged before any of those calls. No answer is shared with an earlier query.
 * - If the query fails, every lookup of its batch rejects with its error.
 * - `close()` answers what is queued and waits for it; lookups after that are refused.
 */
export class PgLookupBatcher {
  readonly #pool: RowQuerier;
  readonly #query: pg.QueryConfig;
  readonly #batcher: TurnBatcher<TokenKey, Row | null>;

  /** `maxInFlight` bounds the pool connections this batcher holds, so writes keep the rest. */
  constructor(pool: RowQuerier, statement: TokenLookup, maxInFlight: number) {
    this.#pool = pool;
    this.#query = batchLookup(statement);
    this.#batcher = new TurnBatcher({ maxBatch: maxLookupBatch, maxInFlight, process: (batch) => this.#lookUp(batch) });
  }

  /** The token's row, or null when the service has no such token. */
  find(serviceId: number, tokenHash: string): Promise<Row | null> {
    return this.#batcher.add({ serviceId, tokenHash });
  }

  /** Refuses new lookups, then resolves once every queued lookup has been answered. */
  close(): Promise<void> {
    return this.#batcher.close();
  }

  async #lookUp(batch: Pending<TokenKey, Row | null>[]): Promise<void> {
    // Each distinct key once: the join returns a row per key it is given.
    const keys = new Map(batch.map(({ item }) => [keyOf(item.serviceId, item.tokenHash), item]));
    const values = [[...keys.values()].map((key) => key.serviceId), [...keys.values()].map((key) => key.tokenHash)];
    const { rows } = await this.#pool.query({ ...this.#query, values });
    const found = new Map(rows.map((row) => [keyOf(row.service_id, row.token_hash), row]));
    for (const { item, resolve } of batch) resolve(found.get(keyOf(item.serviceId, item.tokenHash)) ?? null);
  }
}
