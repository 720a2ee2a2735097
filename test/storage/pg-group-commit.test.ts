import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "../../src/domain/client.js";
import type { NewGrantTokenWrite } from "../../src/storage/pg/pg-token-write-batch.js";
import { maxTokenWriteBatch } from "../../src/storage/pg/pg-token-write-batcher.js";
import { type Store, StoreConflictError } from "../../src/storage/ports.js";
import { pgDatabaseWithInspector, type TestDatabase, TestDatabases, testPgUrl } from "../helpers/stores.js";
import { accessToken, client, grant, hash, refreshToken, service, tokenPair } from "./fixtures.js";

/**
 * PostgreSQL writes the tokens issued with a new grant during one event-loop turn in one statement
 * (src/storage/pg/pg-write-batcher.ts). These check that batching happens (the rows of one turn
 * share a transaction id) and that callers still see exactly their own outcome.
 */
describe.skipIf(!testPgUrl)("PostgreSQL store group commit", () => {
  const databases = new TestDatabases();
  let database: TestDatabase;
  let store: Store;
  let inspector: pg.Client;
  let c: Client;

  beforeAll(async () => {
    ({ database, inspector } = await pgDatabaseWithInspector(databases));
    store = database.store;
    const s = service();
    await store.createService(s, []);
    c = client(s.serviceId);
    await store.createClient(c, { secretHash: hash(), secretSealed: null });
  });

  afterAll(async () => {
    await inspector?.end();
    await databases.disposeAll();
  });

  function newTokenWrite(withRefreshToken = false): NewGrantTokenWrite {
    const g = grant(c);
    return withRefreshToken ? { ...tokenPair(g), grant: g } : { grant: g, accessToken: accessToken(g) };
  }

  /** The id of the transaction that wrote each grant, by grant id (absent: not written). */
  async function writers(writes: NewGrantTokenWrite[]): Promise<Map<string, string>> {
    const { rows } = await inspector.query<{ grant_id: string; xmin: string }>(
      "SELECT grant_id, xmin::text AS xmin FROM grants WHERE grant_id = ANY($1::text[])",
      [writes.map((write) => write.grant.grantId)],
    );
    return new Map(rows.map((row) => [row.grant_id, row.xmin]));
  }

  async function expectStored(write: NewGrantTokenWrite): Promise<void> {
    expect(await store.getGrant(c.serviceId, write.grant.grantId)).toEqual(write.grant);
    expect(await store.findAccessToken(c.serviceId, write.accessToken.tokenHash)).toEqual(write.accessToken);
    if (write.refreshToken) {
      expect(await store.findRefreshToken(c.serviceId, write.refreshToken.tokenHash)).toEqual(write.refreshToken);
    }
  }

  async function expectAbsent(write: NewGrantTokenWrite): Promise<void> {
    expect(await store.getGrant(c.serviceId, write.grant.grantId)).toBeNull();
    const { rows } = await inspector.query("SELECT 1 FROM access_tokens WHERE grant_id = $1 UNION ALL SELECT 1 FROM refresh_tokens WHERE grant_id = $1", [
      write.grant.grantId,
    ]);
    expect(rows).toEqual([]);
  }

  it("writes the writes of one event-loop turn in one transaction, every row readable afterwards", async () => {
    const writes = Array.from({ length: 100 }, (_, index) => newTokenWrite(index % 2 === 0));
    await Promise.all(writes.map((write) => store.saveTokens(write)));
    for (const write of writes) await expectStored(write);
    const transactions = new Set((await writers(writes)).values());
    expect(transactions.size).toBe(1);
  });

  it("splits a longer queue into batches of at most maxTokenWriteBatch writes", async () => {
    const writes = Array.from({ length: 2 * maxTokenWriteBatch + 10 }, () => newTokenWrite());
    await Promise.all(writes.map((write) => store.saveTokens(write)));
    const byTransaction = new Map<string, number>();
    for (const xmin of (await writers(writes)).values()) byTransaction.set(xmin, (byTransaction.get(xmin) ?? 0) + 1);
    expect([...byTransaction.values()].reduce((sum, n) => sum + n, 0)).toBe(writes.length);
    expect(byTransaction.size).toBe(3);
    for (const rows of byTransaction.values()) expect(rows).toBeLessThanOrEqual(maxTokenWriteBatch);
  });

  it("rejects only the caller whose access token hash is taken; the rest of its batch is written", async () => {
    const existing = newTokenWrite();
    await store.saveTokens(existing);
    const writes = Array.from({ length: 10 }, () => newTokenWrite(true));
    const clashing = writes[3] as NewGrantTokenWrite;
    clashing.accessToken.tokenHash = existing.accessToken.tokenHash;
    const results = await Promise.allSettled(writes.map((write) => store.saveTokens(write)));
    expect(results.map((result) => result.status)).toEqual(writes.map((write) => (write === clashing ? "rejected" : "fulfilled")));
    expect((results[3] as PromiseRejectedResult).reason).toBeInstanceOf(StoreConflictError);
    await expectAbsent(clashing);
    for (const write of writes) if (write !== clashing) await expectStored(write);
    await expectStored(existing);
  });

  it("lets exactly one of two callers of one batch have the same new access token hash", async () => {
    const first = newTokenWrite();
    const second = newTokenWrite();
    second.accessToken.tokenHash = first.accessToken.tokenHash;
    const others = [newTokenWrite(), newTokenWrite()];
    const results = await Promise.allSettled([first, second, ...others].map((write) => store.saveTokens(write)));
    const [a, b, ...rest] = results;
    expect([a?.status, b?.status].sort()).toEqual(["fulfilled", "rejected"]);
    const rejected = [a, b].find((result) => result?.status === "rejected") as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(StoreConflictError);
    expect(rest.map((result) => result.status)).toEqual(["fulfilled", "fulfilled"]);
    for (const write of others) await expectStored(write);
  });

  it("leaves no half-written write behind when a batch fails", async () => {
    const existing = newTokenWrite(true);
    await store.saveTokens(existing);
    // Its grant and access token come first in the batch's statement; its refresh token is a duplicate.
    const duplicateRefresh = newTokenWrite();
    duplicateRefresh.refreshToken = refreshToken(duplicateRefresh.grant, { tokenHash: existing.refreshToken?.tokenHash ?? hash() });
    // A client that does not exist: the foreign key fails, not a unique key.
    const orphan = newTokenWrite();
    const missingClient = { ...c, clientId: c.clientId + 1 };
    orphan.grant = grant(missingClient, { grantId: orphan.grant.grantId });
    const fine = newTokenWrite(true);
    const results = await Promise.allSettled([duplicateRefresh, orphan, fine].map((write) => store.saveTokens(write)));
    expect(results.map((result) => result.status)).toEqual(["rejected", "rejected", "fulfilled"]);
    expect((results[0] as PromiseRejectedResult).reason).toBeInstanceOf(StoreConflictError);
    expect((results[1] as PromiseRejectedResult).reason).not.toBeInstanceOf(StoreConflictError);
    await expectAbsent(duplicateRefresh);
    await expectAbsent(orphan);
    await expectStored(fine);
    await expectStored(existing);
  });

  it("settles every queued write when the store is closed, and refuses writes after that", async () => {
    const other = await database.openAnother();
    const writes = Array.from({ length: maxTokenWriteBatch + 50 }, (_, index) => newTokenWrite(index % 3 === 0));
    // It and writes[0] land in different batches, written side by side: either may win.
    const clashing = newTokenWrite();
    clashing.accessToken.tokenHash = (writes[0] as NewGrantTokenWrite).accessToken.tokenHash;
    const all = [...writes, clashing];
    const settled = Promise.allSettled(all.map((write) => other.saveTokens(write)));
    await other.close();
    const results = await Promise.race([settled, new Promise<"hanging">((resolve) => setTimeout(() => resolve("hanging"), 5_000))]);
    if (results === "hanging") throw new Error("close() left writes unsettled");
    const rejected = results.flatMap((result, index) => (result.status === "rejected" ? [{ write: all[index], reason: result.reason }] : []));
    expect(rejected).toHaveLength(1);
    expect([writes[0], clashing]).toContain(rejected[0]?.write);
    expect(rejected[0]?.reason).toBeInstanceOf(StoreConflictError);
    for (const write of all) if (write !== rejected[0]?.write) await expectStored(write);
    await expect(other.saveTokens(newTokenWrite())).rejects.toThrow(/closed/);
  });
});
