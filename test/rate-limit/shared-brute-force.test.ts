import { randomBytes } from "node:crypto";
import pg from "pg";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InMemoryAttemptLimiter } from "../../src/core/brute-force/attempt-limiter.js";
import { postgresRateLimiter } from "../../src/http/rate-limit/api-rate-limiter.js";
import { PostgresAttemptLimiter } from "../../src/http/rate-limit/postgres-attempt-limiter.js";
import { createRateLimiting } from "../../src/http/rate-limit/rate-limiting.js";
import { testPgUrl } from "../helpers/stores.js";

/** Brute-force counters in the rate limits' PostgreSQL table: two limiters on one table behave like two nodes. */
describe.skipIf(!testPgUrl)("brute-force counters shared through PostgreSQL", () => {
  const table = `rate_limits_bf_${randomBytes(6).toString("hex")}`;
  let pool: pg.Pool;

  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: testPgUrl, max: 4 });
    await postgresRateLimiter({ pool, tableName: table });
  });
  afterAll(async () => {
    await pool.query(`DROP TABLE IF EXISTS "${table}"`);
    await pool.end();
  });

  const limiter = (settings = { maxFailures: 3, windowSeconds: 60 }, recheckAfterMs = 0) =>
    new PostgresAttemptLimiter({ pool, tableName: table, keyPrefix: "bf_test", settings, recheckAfterMs });

  it("blocks a key on every node once the failures of all nodes fill the window, until a success resets it", async () => {
    const [nodeA, nodeB] = [limiter(), limiter()];
    const key = `1:${randomBytes(4).toString("hex")}`;
    expect(await nodeA.recordFailure(key)).toBe(false);
    expect(await nodeB.recordFailure(key)).toBe(false);
    expect(await nodeA.isBlocked(key)).toBe(false);
    expect(await nodeB.recordFailure(key)).toBe(true);
    expect(await nodeA.isBlocked(key)).toBe(true);
    const retry = await nodeA.retryAfterSeconds(key);
    expect(retry).toBeGreaterThan(55);
    expect(retry).toBeLessThanOrEqual(60);
    await nodeB.reset(key);
    expect(await nodeA.isBlocked(key)).toBe(false);
    expect(await nodeA.retryAfterSeconds(key)).toBe(0);
  });

  it("counts nothing when the limit is 0, as the in-memory limiter", async () => {
    const off = limiter({ maxFailures: 0, windowSeconds: 60 });
    const memory = new InMemoryAttemptLimiter({ maxFailures: 0, windowSeconds: 60 }, Date.now);
    for (const guard of [off, memory]) {
      expect(await guard.recordFailure("k")).toBe(false);
      expect(await guard.isBlocked("k")).toBe(false);
    }
  });

  it("reuses a clear answer for the recheck interval, except after a failure it recorded itself", async () => {
    const [remembering, other] = [limiter({ maxFailures: 1, windowSeconds: 60 }, 60_000), limiter({ maxFailures: 1, windowSeconds: 60 })];
    const key = `address-${randomBytes(4).toString("hex")}`;
    expect(await remembering.isBlocked(key)).toBe(false);
    await other.recordFailure(key);
    // Another node's failure shows after the interval; this node's own at once.
    expect(await remembering.isBlocked(key)).toBe(false);
    await remembering.recordFailure(key);
    expect(await remembering.isBlocked(key)).toBe(true);
  });

  it("is what TESSERA_RATE_LIMIT_STORE=postgres builds for the guards and the API-token address guard", async () => {
    const configured = `${table}_cfg`;
    const build = () =>
      createRateLimiting({
        config: { rateLimitStore: "postgres", databaseUrl: testPgUrl!, rateLimitPostgresTable: configured, bruteForceMaxFailures: 2, apiAuthMaxFailures: 2 },
        store: { getService: async () => null },
        logger: pino({ level: "silent" }),
        now: Date.now,
      });
    const nodeA = build();
    // Started one after the other: two CREATE TABLE IF NOT EXISTS at once can collide on a fresh database.
    await nodeA.limiter!.consume("warm-up", { points: 1, durationSeconds: 1 });
    const nodeB = build();
    try {
      const client = `9:${randomBytes(4).toString("hex")}`;
      await nodeA.bruteForce!.clientAuthentication.recordFailure(client);
      await nodeA.bruteForce!.clientAuthentication.recordFailure(client);
      expect(await nodeB.bruteForce!.clientAuthentication.isBlocked(client)).toBe(true);
      // Each guard counts apart: the same key elsewhere is untouched.
      expect(await nodeB.bruteForce!.credentialRedemption.isBlocked(client)).toBe(false);
      const address = `203.0.113.${randomBytes(1)[0]}`;
      await nodeA.addressFailures.recordFailure(address);
      await nodeA.addressFailures.recordFailure(address);
      expect(await nodeB.addressFailures.isBlocked(address)).toBe(true);
    } finally {
      await nodeA.limiter!.close();
      await nodeB.limiter!.close();
      await pool.query(`DROP TABLE IF EXISTS "${configured}"`);
    }
  });
});
