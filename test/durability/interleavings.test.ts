import { afterAll, describe, expect, it } from "vitest";
import { credentialHash } from "../../src/crypto/secrets.js";
import { appOnStore, type TestApp } from "../helpers/app.js";
import { TestDatabases, storeFactories, testPgUrl } from "../helpers/stores.js";
import type { Client } from "../../src/domain/client.js";
import { REDIRECT, type TokenFixture, basic, content, fixtureFor } from "../token/support.js";

/**
 * Single use under races, over HTTP, beyond the storage contract tests: many rounds, each with a
 * random number of parallel callers started in a random order with random small delays, of
 * - one authorization code redeemed N times,
 * - one refresh token refreshed N times,
 * - one authorization ticket sent to /issue and /fail at once,
 * - one password-grant ticket sent to /auth/token/issue and /auth/token/fail at once.
 * Every round must end with exactly one success, on SQLite and on PostgreSQL.
 * TESSERA_RACE_ROUNDS sets the rounds per kind (npm test: 12).
 */

const ROUNDS = Number(process.env.TESSERA_RACE_ROUNDS ?? 12);
const dialects: Array<"sqlite" | "postgres"> = testPgUrl ? ["sqlite", "postgres"] : ["sqlite"];
const fixtures: TokenFixture[] = [];
const totals = new Map<string, number>();

afterAll(async () => {
  console.log(`[races] rounds with exactly one winner: ${[...totals.entries()].map(([k, v]) => `${k}=${v}`).join(" ")}`);
  await Promise.all(fixtures.map((f) => f.t.close()));
});

const databases = new TestDatabases();
afterAll(async () => databases.disposeAll());

/**
 * The app on a fresh database of `dialect`, with the brute-force guards off: every round makes its
 * losers present a spent value (invalid_grant), and the grant-redemption guard would block the
 * client after 20 of them, turning the next rounds' winner into a refusal. The guards have their own
 * tests; this one is about the database deciding one winner.
 */
async function appWithoutGuards(dialect: "sqlite" | "postgres"): Promise<TestApp> {
  const database = await databases.create(storeFactories.find((factory) => factory.name === dialect)!);
  return appOnStore(database.store, {
    config: { rateLimitStore: "off", apiAuthMaxFailures: 0, bruteForceMaxFailures: 0, bruteForceMaxInvalidGrants: 0 },
  });
}

/** A small seeded generator so a failing round can be told apart and replayed. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return state / 4294967296;
  };
}

/** Starts `calls` in a shuffled order, each after a random delay of 0–3 ms, and waits for all. */
async function race<T>(random: () => number, calls: Array<() => Promise<T>>): Promise<T[]> {
  const order = calls.map((call, index) => ({ call, index, key: random() }));
  order.sort((a, b) => a.key - b.key);
  const results = new Array<T>(calls.length);
  await Promise.all(
    order.map(async ({ call, index }) => {
      const delay = Math.floor(random() * 4);
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      results[index] = await call();
    }),
  );
  return results;
}

function count(name: string): void {
  totals.set(name, (totals.get(name) ?? 0) + 1);
}

describe.each(dialects)("racing single-use values on %s", (dialect) => {
  let f: TokenFixture;
  let client: Client;
  let creds: { clientId: string; clientSecret: string };
  const random = prng(dialect === "sqlite" ? 7 : 11);
  const parallel = () => 2 + Math.floor(random() * 9);

  it("sets up", async () => {
    f = await fixtureFor(await appWithoutGuards(dialect), { supportedGrantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "PASSWORD"] });
    fixtures.push(f);
    const created = await f.client({ grantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "PASSWORD"] });
    client = created.client;
    creds = basic(client.clientIdAlias, created.secret!);
  });

  it("one code, N redemptions: exactly one OK per round", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const code = await f.code(client);
      const results = await race(
        random,
        Array.from({ length: parallel() }, () => () => f.tokenCall({ grant_type: "authorization_code", code, redirect_uri: REDIRECT }, creds)),
      );
      const actions = results.map((r) => r.body.action);
      const detail = results.map((r) => `${r.body.action}/${r.body.resultCode}/${String(r.body.responseContent ?? "").slice(0, 120)}`).join("\n  ");
      expect(actions.filter((a) => a === "OK"), `round ${round}:\n  ${detail}`).toHaveLength(1);
      expect(actions.filter((a) => a !== "OK").every((a) => a === "BAD_REQUEST")).toBe(true);
      // The losers replayed the code, so the winner's tokens are revoked, whatever the order (SEC-043).
      const winner = results.find((r) => r.body.action === "OK")!;
      const token = await f.t.deps.store.findAccessToken(f.service.apiKey, credentialHash(String(winner.body.accessToken)));
      expect(token?.revokedAt, `round ${round}: the winner's token outlived the replay`).not.toBeNull();
      count(`code/${dialect}`);
    }
  });

  it("one refresh token, N refreshes: exactly one OK per round", async () => {
    const first = await f.tokenCall({ grant_type: "authorization_code", code: await f.code(client), redirect_uri: REDIRECT }, creds);
    let refreshToken = String(content(first.body).refresh_token);
    for (let round = 0; round < ROUNDS; round++) {
      const results = await race(
        random,
        Array.from({ length: parallel() }, () => () => f.tokenCall({ grant_type: "refresh_token", refresh_token: refreshToken }, creds)),
      );
      const winners = results.filter((r) => r.body.action === "OK");
      expect(winners, `round ${round}: ${results.map((r) => r.body.action).join(",")}`).toHaveLength(1);
      expect(results.filter((r) => r.body.action !== "OK").every((r) => r.body.action === "BAD_REQUEST")).toBe(true);
      // The losers presented the rotated token: the grant, with the winner's new tokens, is revoked.
      const fresh = await f.t.deps.store.findAccessToken(f.service.apiKey, credentialHash(String(winners[0]!.body.accessToken)));
      expect(fresh?.revokedAt, `round ${round}: the winner's new token outlived the reuse`).not.toBeNull();
      count(`refresh/${dialect}`);
      // The losers presented a rotated token, which revokes the grant (RFC 9700 §4.14.2): start a new one.
      const again = await f.tokenCall({ grant_type: "authorization_code", code: await f.code(client), redirect_uri: REDIRECT }, creds);
      refreshToken = String(content(again.body).refresh_token);
    }
  });

  it("one authorization ticket, /issue and /fail at once: exactly one answer per round", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const authorized = await f.call("/auth/authorization", {
        parameters: new URLSearchParams({ client_id: client.clientIdAlias, response_type: "code", redirect_uri: REDIRECT, scope: "openid", state: `r${round}` }).toString(),
      });
      const ticket = String(authorized.body.ticket);
      const n = parallel();
      const results = await race(
        random,
        Array.from({ length: n }, (_, i) => () =>
          i % 2 === 0 ? f.call("/auth/authorization/issue", { ticket, subject: "alice" }) : f.call("/auth/authorization/fail", { ticket, reason: "DENIED" }),
        ),
      );
      const winners = results.filter((r) => r.status === 200 && r.body.action === "LOCATION");
      expect(winners, `round ${round}: ${results.map((r) => `${r.status}/${r.body.action}/${r.body.resultCode}`).join(",")}`).toHaveLength(1);
      // Everyone else was told the ticket is gone.
      expect(results.filter((r) => r !== winners[0]).every((r) => r.body.resultCode === "A041202")).toBe(true);
      count(`ticket/${dialect}`);
    }
  });

  it("one password ticket, /auth/token/issue and /auth/token/fail at once: exactly one answer per round", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const asked = await f.tokenCall({ grant_type: "password", username: `user${round}`, password: "pw" }, creds);
      expect(asked.body.action).toBe("PASSWORD");
      const ticket = String(asked.body.ticket);
      const results = await race(
        random,
        Array.from({ length: parallel() }, (_, i) => () =>
          i % 2 === 0 ? f.call("/auth/token/issue", { ticket, subject: "alice" }) : f.call("/auth/token/fail", { ticket, reason: "INVALID_RESOURCE_OWNER_CREDENTIALS" }),
        ),
      );
      const winners = results.filter((r) => r.body.action === "OK" || (r.body.action === "BAD_REQUEST" && r.body.resultCode !== "A067201"));
      expect(winners, `round ${round}: ${results.map((r) => `${r.body.action}/${r.body.resultCode}`).join(",")}`).toHaveLength(1);
      expect(results.filter((r) => r !== winners[0]).every((r) => r.body.action === "INTERNAL_SERVER_ERROR")).toBe(true);
      count(`password-ticket/${dialect}`);
    }
  });
});
