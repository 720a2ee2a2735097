import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Client } from "../../src/domain/client.js";
import { openStore } from "../../src/storage/open-store.js";
import { type Store, StoreConflictError } from "../../src/storage/ports.js";
import { accessToken, authorizationCode, baseTime, client, grant, hash, service, ticket } from "./fixtures.js";

/**
 * The SQLite adapter's writes of one event-loop turn share one commit (see write-batcher.ts); these
 * check the Store-level promises that must hold all the same: one winner per one-time value, a
 * conflicting write failing alone, and queued writes committed (not dropped) by close().
 */
describe.each([
  { writer: "the serving connection", writeOnWorkerThread: false },
  { writer: "a worker thread", writeOnWorkerThread: true },
])("SQLite store group commit, writes on $writer", ({ writeOnWorkerThread }) => {
  let dir: string;
  let url: string;
  let store: Store;
  let c: Client;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "tessera-group-commit-"));
    url = `sqlite:${join(dir, "tessera.db")}`;
    store = await openStore(url, { migrate: true, writeOnWorkerThread });
    const s = service();
    await store.createService(s, []);
    c = client(s.serviceId);
    await store.createClient(c, { secretHash: hash(), secretSealed: null });
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("decides one winner among consumes of one code in the same batch, and the rest are replays", async () => {
    const g = grant(c);
    const code = authorizationCode(g);
    await store.saveAuthorizationCode(code, g);
    const outcomes = await Promise.all(
      Array.from({ length: 4 }, () => store.consumeAuthorizationCode(c.serviceId, code.codeHash, code.clientId, baseTime)),
    );
    expect(outcomes.map((o) => o.outcome)).toEqual(["consumed", "replayed", "replayed", "replayed"]);
  });

  it("hands a ticket to exactly one of the consumers in the same batch", async () => {
    const t = ticket(c);
    await store.saveTicket(t);
    const taken = await Promise.all([1, 2, 3].map(() => store.consumeTicket(c.serviceId, t.ticketHash, t.kind, baseTime)));
    expect(taken.filter((found) => found !== null)).toHaveLength(1);
  });

  it("fails only the conflicting write of a batch; its grant is not left behind", async () => {
    const first = grant(c);
    const token = accessToken(first);
    const clashing = grant(c);
    const other = grant(c);
    const results = await Promise.allSettled([
      store.saveTokens({ grant: first, accessToken: token }),
      store.saveTokens({ grant: clashing, accessToken: { ...accessToken(clashing), tokenHash: token.tokenHash } }),
      store.saveTokens({ grant: other, accessToken: accessToken(other) }),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(StoreConflictError);
    expect(await store.getGrant(c.serviceId, clashing.grantId)).toBeNull();
    expect(await store.getGrant(c.serviceId, other.grantId)).not.toBeNull();
  });

  it("shows an acknowledged write to the next read at once", async () => {
    const g = grant(c);
    const token = accessToken(g);
    await store.saveTokens({ grant: g, accessToken: token });
    expect(await store.findAccessToken(c.serviceId, token.tokenHash)).toMatchObject({ tokenHash: token.tokenHash });
  });

  it("commits the writes still queued when the store is closed", async () => {
    const g = grant(c);
    const token = accessToken(g);
    const issued = store.saveTokens({ grant: g, accessToken: token });
    await store.close();
    await expect(issued).resolves.toBeUndefined();
    store = await openStore(url);
    expect(await store.findAccessToken(c.serviceId, token.tokenHash)).not.toBeNull();
  });
});
