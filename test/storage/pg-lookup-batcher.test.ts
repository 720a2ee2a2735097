import type pg from "pg";
import { describe, expect, it } from "vitest";
import { maxLookupBatch, PgLookupBatcher, type RowQuerier } from "../../src/storage/pg/pg-lookup-batcher.js";
import type { Row } from "../../src/storage/rows.js";

/**
 * The queue of PostgreSQL read coalescing, with the pool replaced by one the test controls: one
 * query per event-loop turn, each caller its own answer, the limit on queries in flight, a failed
 * query rejecting its callers, and close() answering what is queued.
 */

interface HeldQuery {
  keys: { serviceId: number; tokenHash: string }[];
  answer: (rows: Row[]) => void;
  fail: (error: unknown) => void;
}

/** A pool whose queries stay pending until the test answers them. */
function heldPool() {
  const queries: HeldQuery[] = [];
  const pool: RowQuerier = {
    query: (config: pg.QueryConfig) =>
      new Promise((resolve, reject) => {
        const [serviceIds, tokenHashes] = config.values as [number[], string[]];
        queries.push({
          keys: serviceIds.map((serviceId, index) => ({ serviceId, tokenHash: tokenHashes[index] as string })),
          answer: (rows) => resolve({ rows }),
          fail: reject,
        });
      }),
  };
  return { queries, pool };
}

const row = (serviceId: number, tokenHash: string): Row => ({ service_id: serviceId, token_hash: tokenHash, subject: `${serviceId}/${tokenHash}` });
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("PgLookupBatcher", () => {
  it("answers the lookups of one turn with one query, each caller with its own row or null", async () => {
    const { queries, pool } = heldPool();
    const batcher = new PgLookupBatcher(pool, "selectAccessToken", 4);
    const lookups = [
      batcher.find(1, "a"),
      batcher.find(1, "missing"),
      batcher.find(2, "a"),
      batcher.find(1, "b"),
      batcher.find(1, "a"),
    ];
    await nextTurn();
    expect(queries).toHaveLength(1);
    // Each distinct key is sent once; (2, "a") is another service's key, not a duplicate.
    expect(queries[0]?.keys).toEqual([
      { serviceId: 1, tokenHash: "a" },
      { serviceId: 1, tokenHash: "missing" },
      { serviceId: 2, tokenHash: "a" },
      { serviceId: 1, tokenHash: "b" },
    ]);
    queries[0]?.answer([row(1, "b"), row(1, "a")]);
    expect(await Promise.all(lookups)).toEqual([row(1, "a"), null, null, row(1, "b"), row(1, "a")]);
  });

  it("rejects every lookup of a failed query with its error, and answers the next batch", async () => {
    const { queries, pool } = heldPool();
    const batcher = new PgLookupBatcher(pool, "selectRefreshToken", 4);
    const failed = [batcher.find(1, "a"), batcher.find(1, "b")];
    await nextTurn();
    const error = new Error("connection lost");
    queries[0]?.fail(error);
    expect(await Promise.allSettled(failed)).toEqual([
      { status: "rejected", reason: error },
      { status: "rejected", reason: error },
    ]);
    const next = batcher.find(1, "a");
    await nextTurn();
    queries[1]?.answer([row(1, "a")]);
    expect(await next).toEqual(row(1, "a"));
  });

  it("keeps at most maxInFlight queries of at most maxLookupBatch keys in flight, starting the rest as they finish", async () => {
    const { queries, pool } = heldPool();
    const batcher = new PgLookupBatcher(pool, "selectAccessToken", 2);
    const lookups = Array.from({ length: 3 * maxLookupBatch + 5 }, (_, index) => batcher.find(1, `t${index}`));
    // A full batch is sent at once, without waiting for the turn to end.
    expect(queries.map((query) => query.keys.length)).toEqual([maxLookupBatch, maxLookupBatch]);
    await nextTurn();
    expect(queries).toHaveLength(2);
    queries[1]?.answer([]);
    await nextTurn();
    expect(queries.map((query) => query.keys.length)).toEqual([maxLookupBatch, maxLookupBatch, maxLookupBatch]);
    queries[0]?.answer([]);
    queries[2]?.answer([]);
    await nextTurn();
    expect(queries.map((query) => query.keys.length)).toEqual([maxLookupBatch, maxLookupBatch, maxLookupBatch, 5]);
    queries[3]?.answer([row(1, "t0")]);
    expect((await Promise.all(lookups)).every((answer) => answer === null)).toBe(true);
  });

  it("answers the queued lookups on close, resolves once they settled, and refuses lookups afterwards", async () => {
    const { queries, pool } = heldPool();
    const batcher = new PgLookupBatcher(pool, "selectAccessToken", 1);
    const lookups = Array.from({ length: maxLookupBatch + 1 }, (_, index) => batcher.find(1, `t${index}`));
    let closed = false;
    const closing = batcher.close().then(() => {
      closed = true;
    });
    expect(queries).toHaveLength(1);
    queries[0]?.answer([row(1, "t0")]);
    await nextTurn();
    expect(queries).toHaveLength(2);
    expect(closed).toBe(false);
    queries[1]?.answer([row(1, `t${maxLookupBatch}`)]);
    await closing;
    const answers = await Promise.all(lookups);
    expect(answers.filter((answer) => answer !== null)).toEqual([row(1, "t0"), row(1, `t${maxLookupBatch}`)]);
    await expect(batcher.find(1, "t0")).rejects.toThrow(/closed/);
  });
});
