import { afterAll, describe, expect, it } from "vitest";
import type { Client } from "../../src/domain/client.js";
import type { GrantRecord } from "../../src/domain/records.js";
import type { Store } from "../../src/storage/ports.js";
import { startWorker } from "../../src/storage/sqlite/start-worker.js";
import { type StoreFactory, storeFactories, type TestDatabase, TestDatabases } from "../helpers/stores.js";
import { accessToken, authorizationCode, baseTime, client, grant, service, ticket, tokenPair } from "./fixtures.js";
import type { RaceJob, RaceKind, RaceOutcomes } from "./race-worker.js";

/**
 * Exactly one of many simultaneous uses of one code, refresh token, ticket or DPoP proof jti wins. SQLite racers
 * are worker threads, each with its own Store (connection) on the same file, released together
 * from a shared start line; PostgreSQL racers are parallel calls spread over two pools.
 */

const itemsPerKind = 12;
const contenders = 4;
const now = baseTime + 1;
const kinds: RaceKind[] = ["code", "refresh", "ticket", "dpopJti"];
const winner: Record<RaceKind, string> = { code: "consumed", refresh: "rotated", ticket: "consumed", dpopJti: "used" };
const loser: Record<RaceKind, string> = { code: "replayed", refresh: "replayed", ticket: "missed", dpopJti: "replayed" };
/** The proof key every contender's DPoP jtis are used with. */
const dpopJkt = "race-jkt";

interface Arena {
  database: TestDatabase;
  serviceId: number;
  c: Client;
  g: GrantRecord;
  /** Same grant; the subject marks the tokens a rotation writes so the test can count them. */
  nextGrant: GrantRecord;
  items: Record<RaceKind, string[]>;
}

async function arena(databases: TestDatabases, factory: StoreFactory): Promise<Arena> {
  const database = await databases.create(factory);
  const { store } = database;
  const s = service();
  await store.createService(s, []);
  const c = client(s.serviceId);
  await store.createClient(c, null);
  const g = grant(c);
  await store.saveTokens({ grant: g, accessToken: accessToken(g) });
  const items: Record<RaceKind, string[]> = { code: [], refresh: [], ticket: [], dpopJti: [] };
  for (let i = 0; i < itemsPerKind; i++) {
    const codeGrant = grant(c);
    const code = authorizationCode(codeGrant);
    await store.saveAuthorizationCode(code, codeGrant);
    items.code.push(code.codeHash);
    const pair = tokenPair(g);
    await store.saveTokens(pair);
    items.refresh.push(pair.refreshToken.tokenHash);
    const t = ticket(c);
    await store.saveTicket(t);
    items.ticket.push(t.ticketHash);
    items.dpopJti.push(`jti-${i}`);
  }
  return { database, serviceId: s.serviceId, c, g, nextGrant: { ...g, subject: "rotated-in" }, items };
}

/** Per kind and item: exactly one winner, every other contender told it lost. */
function expectOneWinnerEach(perContender: RaceOutcomes[]): void {
  for (const kind of kinds) {
    for (let i = 0; i < itemsPerKind; i++) {
      const counts: Record<string, number> = {};
      for (const outcomes of perContender) {
        const outcome = outcomes[kind][i]!;
        counts[outcome] = (counts[outcome] ?? 0) + 1;
      }
      expect({ kind, item: i, counts }).toEqual({
        kind,
        item: i,
        counts: { [winner[kind]]: 1, [loser[kind]]: perContender.length - 1 },
      });
    }
  }
}

/** Each won rotation wrote its next tokens, each lost one wrote nothing. */
async function expectOneRotationWrittenEach(store: Store, a: Arena): Promise<void> {
  const written = await store.revokeAccessTokensOfSubject(a.serviceId, a.c.clientId, a.nextGrant.subject!, now);
  expect(written).toBe(itemsPerKind);
}

function runWorker(job: RaceJob, onReady: () => void): Promise<RaceOutcomes> {
  return new Promise((resolve, reject) => {
    const worker = startWorker(new URL("./race-worker.js", import.meta.url), job);
    worker.on("message", (message: { ready?: boolean; outcomes?: RaceOutcomes }) => {
      if (message.ready) onReady();
      if (message.outcomes) resolve(message.outcomes);
    });
    worker.on("error", reject);
    worker.on("exit", (code) => {
      if (code !== 0) reject(new Error(`race worker exited with ${code}`));
    });
  });
}

describe("concurrent use of one-time credentials", () => {
  const databases = new TestDatabases();
  afterAll(() => databases.disposeAll());

  for (const factory of storeFactories) {
    if (factory.name === "sqlite") {
      it("SQLite: threads with their own Store on one file — exactly one use of each code, refresh token, ticket and DPoP proof jti wins", async () => {
        const a = await arena(databases, factory);
        const startLine = new SharedArrayBuffer(8);
        const flags = new Int32Array(startLine);
        let ready = 0;
        const release = () => {
          ready += 1;
          if (ready === contenders) {
            Atomics.store(flags, 1, 1);
            Atomics.notify(flags, 1);
          }
        };
        const job = (): RaceJob => ({
          databaseUrl: a.database.databaseUrl,
          serviceId: a.serviceId,
          clientId: a.c.clientId,
          items: a.items,
          nextTokens: a.items.refresh.map(() => tokenPair(a.nextGrant)),
          dpopJkt,
          now,
          startLine,
        });
        const perContender = await Promise.all(Array.from({ length: contenders }, () => runWorker(job(), release)));
        expectOneWinnerEach(perContender);
        await expectOneRotationWrittenEach(a.database.store, a);
      });
    } else {
      it("PostgreSQL: parallel calls over two pools — exactly one use of each code, refresh token, ticket and DPoP proof jti wins", async () => {
        const a = await arena(databases, factory);
        const pools = [a.database.store, await a.database.openAnother()];
        const contend = async (store: Store): Promise<RaceOutcomes> => {
          const [code, refresh, ticket, dpopJti] = await Promise.all([
            Promise.all(a.items.code.map((hash) => store.consumeAuthorizationCode(a.serviceId, hash, a.c.clientId, now).then((r) => r.outcome))),
            Promise.all(
              a.items.refresh.map((hash) =>
                store.rotateRefreshToken(a.serviceId, hash, now, tokenPair(a.nextGrant)).then((r) => r.outcome),
              ),
            ),
            Promise.all(
              a.items.ticket.map((hash) =>
                store.consumeTicket(a.serviceId, hash, "AUTHORIZATION", now).then((t) => (t ? "consumed" : "missed")),
              ),
            ),
            Promise.all(
              a.items.dpopJti.map((jti) =>
                store.useDpopProofJwtId(a.serviceId, dpopJkt, jti, now + 60_000).then((fresh) => (fresh ? "used" : "replayed")),
              ),
            ),
          ]);
          return { code, refresh, ticket, dpopJti };
        };
        const perContender = await Promise.all(Array.from({ length: contenders * 2 }, (_, i) => contend(pools[i % 2]!)));
        expectOneWinnerEach(perContender);
        await expectOneRotationWrittenEach(a.database.store, a);
      });
    }
  }
});
