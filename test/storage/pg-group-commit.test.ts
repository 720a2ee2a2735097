import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "../../src/domain/client.js";
import type { NewGrantIssue } from "../../src/storage/pg/pg-issue-batch.js";
import { maxIssueBatch } from "../../src/storage/pg/pg-issue-batcher.js";
import { type Store, StoreConflictError } from "../../src/storage/ports.js";
import { pgDatabaseWithInspector, type TestDatabase, TestDatabases, testPgUrl } from "../helpers/stores.js";
import { accessToken, client, grant, hash, refreshToken, service, tokenPair } from "./fixtures.js";

/**
 * PostgreSQL writes the tokens issued with a new grant during one event-loop turn in one statement
 * (src/storage/pg/pg-issue-batcher.ts). These check that batching happens (the rows of one turn
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

  function newIssue(withRefreshToken = false): NewGrantIssue {
    const g = grant(c);
    return withRefreshToken ? { ...tokenPair(g), grant: g } : { grant: g, accessToken: accessToken(g) };
  }

  /** The id of the transaction that wrote each grant, by grant id (absent: not written). */
  async function writers(issues: NewGrantIssue[]): Promise<Map<string, string>> {
    const { rows } = await inspector.query<{ grant_id: string; xmin: string }>(
      "SELECT grant_id, xmin::text AS xmin FROM grants WHERE grant_id = ANY($1::text[])",
      [issues.map((issue) => issue.grant.grantId)],
    );
    return new Map(rows.map((row) => [row.grant_id, row.xmin]));
  }

  async function expectStored(issue: NewGrantIssue): Promise<void> {
    expect(await store.getGrant(c.serviceId, issue.grant.grantId)).toEqual(issue.grant);
    expect(await store.findAccessToken(c.serviceId, issue.accessToken.tokenHash)).toEqual(issue.accessToken);
    if (issue.refreshToken) {
      expect(await store.findRefreshToken(c.serviceId, issue.refreshToken.tokenHash)).toEqual(issue.refreshToken);
    }
  }

  async function expectAbsent(issue: NewGrantIssue): Promise<void> {
    expect(await store.getGrant(c.serviceId, issue.grant.grantId)).toBeNull();
    const { rows } = await inspector.query("SELECT 1 FROM access_tokens WHERE grant_id = $1 UNION ALL SELECT 1 FROM refresh_tokens WHERE grant_id = $1", [
      issue.grant.grantId,
    ]);
    expect(rows).toEqual([]);
  }

  it("writes the issues of one event-loop turn in one transaction, every row readable afterwards", async () => {
    const issues = Array.from({ length: 100 }, (_, index) => newIssue(index % 2 === 0));
    await Promise.all(issues.map((issue) => store.issueTokens(issue)));
    for (const issue of issues) await expectStored(issue);
    const transactions = new Set((await writers(issues)).values());
    expect(transactions.size).toBe(1);
  });

  it("splits a longer queue into batches of at most maxIssueBatch issues", async () => {
    const issues = Array.from({ length: 2 * maxIssueBatch + 10 }, () => newIssue());
    await Promise.all(issues.map((issue) => store.issueTokens(issue)));
    const byTransaction = new Map<string, number>();
    for (const xmin of (await writers(issues)).values()) byTransaction.set(xmin, (byTransaction.get(xmin) ?? 0) + 1);
    expect([...byTransaction.values()].reduce((sum, n) => sum + n, 0)).toBe(issues.length);
    expect(byTransaction.size).toBe(3);
    for (const rows of byTransaction.values()) expect(rows).toBeLessThanOrEqual(maxIssueBatch);
  });

  it("rejects only the caller whose access token hash is taken; the rest of its batch is written", async () => {
    const existing = newIssue();
    await store.issueTokens(existing);
    const issues = Array.from({ length: 10 }, () => newIssue(true));
    const clashing = issues[3] as NewGrantIssue;
    clashing.accessToken.tokenHash = existing.accessToken.tokenHash;
    const results = await Promise.allSettled(issues.map((issue) => store.issueTokens(issue)));
    expect(results.map((result) => result.status)).toEqual(issues.map((issue) => (issue === clashing ? "rejected" : "fulfilled")));
    expect((results[3] as PromiseRejectedResult).reason).toBeInstanceOf(StoreConflictError);
    await expectAbsent(clashing);
    for (const issue of issues) if (issue !== clashing) await expectStored(issue);
    await expectStored(existing);
  });

  it("lets exactly one of two callers of one batch have the same new access token hash", async () => {
    const first = newIssue();
    const second = newIssue();
    second.accessToken.tokenHash = first.accessToken.tokenHash;
    const others = [newIssue(), newIssue()];
    const results = await Promise.allSettled([first, second, ...others].map((issue) => store.issueTokens(issue)));
    const [a, b, ...rest] = results;
    expect([a?.status, b?.status].sort()).toEqual(["fulfilled", "rejected"]);
    const rejected = [a, b].find((result) => result?.status === "rejected") as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(StoreConflictError);
    expect(rest.map((result) => result.status)).toEqual(["fulfilled", "fulfilled"]);
    for (const issue of others) await expectStored(issue);
  });

  it("leaves no half-written issue behind when a batch fails", async () => {
    const existing = newIssue(true);
    await store.issueTokens(existing);
    // Its grant and access token come first in the batch's statement; its refresh token is a duplicate.
    const duplicateRefresh = newIssue();
    duplicateRefresh.refreshToken = refreshToken(duplicateRefresh.grant, { tokenHash: existing.refreshToken?.tokenHash ?? hash() });
    // A client that does not exist: the foreign key fails, not a unique key.
    const orphan = newIssue();
    const missingClient = { ...c, clientId: c.clientId + 1 };
    orphan.grant = grant(missingClient, { grantId: orphan.grant.grantId });
    const fine = newIssue(true);
    const results = await Promise.allSettled([duplicateRefresh, orphan, fine].map((issue) => store.issueTokens(issue)));
    expect(results.map((result) => result.status)).toEqual(["rejected", "rejected", "fulfilled"]);
    expect((results[0] as PromiseRejectedResult).reason).toBeInstanceOf(StoreConflictError);
    expect((results[1] as PromiseRejectedResult).reason).not.toBeInstanceOf(StoreConflictError);
    await expectAbsent(duplicateRefresh);
    await expectAbsent(orphan);
    await expectStored(fine);
    await expectStored(existing);
  });

  it("settles every queued issue when the store is closed, and refuses issues after that", async () => {
    const other = await database.openAnother();
    const issues = Array.from({ length: maxIssueBatch + 50 }, (_, index) => newIssue(index % 3 === 0));
    // It and issues[0] land in different batches, written side by side: either may win.
    const clashing = newIssue();
    clashing.accessToken.tokenHash = (issues[0] as NewGrantIssue).accessToken.tokenHash;
    const all = [...issues, clashing];
    const settled = Promise.allSettled(all.map((issue) => other.issueTokens(issue)));
    await other.close();
    const results = await Promise.race([settled, new Promise<"hanging">((resolve) => setTimeout(() => resolve("hanging"), 5_000))]);
    if (results === "hanging") throw new Error("close() left issues unsettled");
    const rejected = results.flatMap((result, index) => (result.status === "rejected" ? [{ issue: all[index], reason: result.reason }] : []));
    expect(rejected).toHaveLength(1);
    expect([issues[0], clashing]).toContain(rejected[0]?.issue);
    expect(rejected[0]?.reason).toBeInstanceOf(StoreConflictError);
    for (const issue of all) if (issue !== rejected[0]?.issue) await expectStored(issue);
    await expect(other.issueTokens(newIssue())).rejects.toThrow(/closed/);
  });
});
