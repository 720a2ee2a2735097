import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it, type MockInstance, vi } from "vitest";
import type { Client } from "../../src/domain/client.js";
import type { AccessTokenRecord, RefreshTokenRecord } from "../../src/domain/records.js";
import { maxLookupBatch } from "../../src/storage/pg/pg-lookup-batcher.js";
import type { Store, TokenWrite } from "../../src/storage/ports.js";
import { pgDatabaseWithInspector, type TestDatabase, TestDatabases, testPgUrl } from "../helpers/stores.js";
import { accessToken, client, grant, hash, service, tokenPair } from "./fixtures.js";

/**
 * PostgreSQL answers the token lookups of one event-loop turn with one query
 * (src/storage/pg/pg-lookup-batcher.ts). These count the queries the store sends through its pool
 * and check that every caller still gets exactly its own answer, and a fresh one.
 */

type PoolQuery = (this: pg.Pool, config: pg.QueryConfig) => Promise<pg.QueryResult>;

const poolQuery = pg.Pool.prototype.query as PoolQuery;

describe.skipIf(!testPgUrl)("PostgreSQL store read coalescing", () => {
  const databases = new TestDatabases();
  let database: TestDatabase;
  let store: Store;
  let inspector: pg.Client;
  let clientA: Client;
  let clientB: Client;
  let spy: MockInstance<PoolQuery>;

  beforeAll(async () => {
    ({ database, inspector } = await pgDatabaseWithInspector(databases));
    store = database.store;
    [clientA, clientB] = await Promise.all(
      [service(), service()].map(async (s) => {
        await store.createService(s, []);
        const c = client(s.serviceId);
        await store.createClient(c, { secretHash: hash(), secretSealed: null });
        return c;
      }),
    ) as [Client, Client];
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  afterAll(async () => {
    await inspector?.end();
    await databases.disposeAll();
  });

  /** Issues `count` access tokens of `c`, every other one paired with a refresh token. */
  async function issue(c: Client, count: number): Promise<{ accessTokens: AccessTokenRecord[]; refreshTokens: RefreshTokenRecord[] }> {
    const issues = Array.from({ length: count }, (_, index): TokenWrite => {
      const g = grant(c);
      return index % 2 === 0 ? { ...tokenPair(g), grant: g } : { grant: g, accessToken: accessToken(g) };
    });
    await Promise.all(issues.map((i) => store.saveTokens(i)));
    return {
      accessTokens: issues.map((i) => i.accessToken),
      refreshTokens: issues.flatMap((i) => (i.refreshToken ? [i.refreshToken] : [])),
    };
  }

  /** Counts the pool's queries from now on, by statement name. */
  function countQueries(): () => Record<string, number> {
    spy = vi.spyOn(pg.Pool.prototype, "query") as unknown as MockInstance<PoolQuery>;
    return () => {
      const counts: Record<string, number> = {};
      for (const [config] of spy.mock.calls) {
        const name = config.name ?? config.text;
        counts[name] = (counts[name] ?? 0) + 1;
      }
      return counts;
    };
  }

  it("answers concurrent lookups of existing, missing and other services' tokens, each with its own record, one query per table", async () => {
    const a = await issue(clientA, 40);
    const b = await issue(clientB, 10);
    const sa = clientA.serviceId;
    const sb = clientB.serviceId;
    const accessLookups: [number, string, AccessTokenRecord | null][] = [
      ...a.accessTokens.map((t): [number, string, AccessTokenRecord] => [sa, t.tokenHash, t]),
      ...b.accessTokens.map((t): [number, string, null] => [sa, t.tokenHash, null]),
      ...b.accessTokens.map((t): [number, string, AccessTokenRecord] => [sb, t.tokenHash, t]),
      ...a.accessTokens.slice(0, 5).map((t): [number, string, AccessTokenRecord] => [sa, t.tokenHash, t]),
      ...Array.from({ length: 10 }, (): [number, string, null] => [sa, hash(), null]),
      // A refresh token's hash is not an access token.
      ...a.refreshTokens.slice(0, 5).map((t): [number, string, null] => [sa, t.tokenHash, null]),
    ];
    const refreshLookups: [number, string, RefreshTokenRecord | null][] = [
      ...a.refreshTokens.map((t): [number, string, RefreshTokenRecord] => [sa, t.tokenHash, t]),
      ...b.refreshTokens.map((t): [number, string, null] => [sa, t.tokenHash, null]),
      ...a.accessTokens.slice(0, 5).map((t): [number, string, null] => [sa, t.tokenHash, null]),
      [sa, hash(), null],
    ];
    const counts = countQueries();
    const [accessAnswers, refreshAnswers] = await Promise.all([
      Promise.all(accessLookups.map(([serviceId, tokenHash]) => store.findAccessToken(serviceId, tokenHash))),
      Promise.all(refreshLookups.map(([serviceId, tokenHash]) => store.findRefreshToken(serviceId, tokenHash))),
    ]);
    expect(counts()).toEqual({ selectAccessTokenBatch: 1, selectRefreshTokenBatch: 1 });
    expect(accessAnswers).toEqual(accessLookups.map(([, , expected]) => expected));
    expect(refreshAnswers).toEqual(refreshLookups.map(([, , expected]) => expected));
  });

  it("probes the primary key once per key, also when a batch is large relative to the table", async () => {
    const { accessTokens } = await issue(clientA, 2_000);
    await inspector.query("ANALYZE access_tokens");
    const counts = countQueries();
    await store.findAccessToken(clientA.serviceId, hash());
    expect(counts()).toEqual({ selectAccessTokenBatch: 1 });
    const text = spy.mock.calls[0]?.[0].text ?? "";
    const keys = accessTokens.slice(0, maxLookupBatch);
    const { rows } = await inspector.query<{ "QUERY PLAN": unknown }>(`EXPLAIN (FORMAT JSON) ${text}`, [
      keys.map((t) => t.serviceId),
      keys.map((t) => t.tokenHash),
    ]);
    const plan = JSON.stringify(rows[0]?.["QUERY PLAN"]);
    expect(plan).toContain('"Index Name":"access_tokens_pk"');
    expect(plan).not.toContain("Seq Scan");
  });

  it("lets a lookup made after a revocation was acknowledged see it, while an older lookup's query is still in flight", async () => {
    const {
      accessTokens: [token],
    } = await issue(clientA, 1);
    if (!token) throw new Error("no token issued");
    let releaseOlder = (): void => undefined;
    countQueries();
    // The older lookup's query runs now, but its answer is held back until the end.
    spy.mockImplementationOnce(function (this: pg.Pool, config: pg.QueryConfig) {
      const answer = poolQuery.call(this, config);
      return new Promise((resolve) => {
        releaseOlder = () => resolve(answer);
      });
    });
    const older = store.findAccessToken(token.serviceId, token.tokenHash);
    await vi.waitFor(() => expect(spy).toHaveBeenCalledTimes(1));
    expect(await store.revokeAccessToken(token.serviceId, token.tokenHash, token.createdAt + 1)).toBe(true);
    expect(await store.findAccessToken(token.serviceId, token.tokenHash)).toEqual({ ...token, revokedAt: token.createdAt + 1 });
    releaseOlder();
    expect((await older)?.tokenHash).toBe(token.tokenHash);
  });

  it("rejects every lookup of a batch whose query fails with that error, and answers the next batch", async () => {
    const { accessTokens } = await issue(clientA, 3);
    const serviceId = clientA.serviceId;
    const counts = countQueries();
    // PostgreSQL refuses a NUL character in text: the whole batch's query fails.
    const batch = [...accessTokens.map((t) => t.tokenHash), "\u0000"].map((tokenHash) => store.findAccessToken(serviceId, tokenHash));
    const results = await Promise.allSettled(batch);
    expect(counts()).toEqual({ selectAccessTokenBatch: 1 });
    const reasons = results.map((result) => (result.status === "rejected" ? result.reason : result.value));
    expect(reasons[0]).toBeInstanceOf(Error);
    for (const reason of reasons) expect(reason).toBe(reasons[0]);
    expect(await Promise.all(accessTokens.map((t) => store.findAccessToken(serviceId, t.tokenHash)))).toEqual(accessTokens);
  });

  it("answers every pending lookup when the store is closed, and refuses lookups after that", async () => {
    const { accessTokens } = await issue(clientA, 20);
    const other = await database.openAnother();
    const serviceId = clientA.serviceId;
    const lookups = Array.from({ length: 3 * maxLookupBatch }, (_, index) => accessTokens[index % 25] ?? null);
    const settled = Promise.allSettled(lookups.map((t) => other.findAccessToken(serviceId, t?.tokenHash ?? hash())));
    await other.close();
    const results = await Promise.race([settled, new Promise<"hanging">((resolve) => setTimeout(() => resolve("hanging"), 5_000))]);
    if (results === "hanging") throw new Error("close() left lookups unsettled");
    expect(results).toEqual(lookups.map((t) => ({ status: "fulfilled", value: t })));
    await expect(other.findAccessToken(serviceId, accessTokens[0]?.tokenHash ?? "")).rejects.toThrow(/closed/);
  });
});
