import { randomBytes } from "node:crypto";
import pg from "pg";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { type ApiRateLimiter, postgresRateLimiter } from "../../src/http/rate-limit/api-rate-limiter.js";
import { createRateLimiting } from "../../src/http/rate-limit/rate-limiting.js";
import { callApi, createApiToken, createService, createTestApp } from "../helpers/app.js";
import { testPgUrl } from "../helpers/stores.js";
import { limitHeaders } from "./support.js";

/** Counters shared through PostgreSQL: two limiters on one table behave like two nodes. */
describe.skipIf(!testPgUrl)("PostgreSQL rate-limit store", () => {
  const table = `rate_limits_test_${randomBytes(6).toString("hex")}`;
  let pool: pg.Pool;
  let nodeA: ApiRateLimiter;
  let nodeB: ApiRateLimiter;

  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: testPgUrl, max: 4 });
    nodeA = await postgresRateLimiter({ pool, tableName: table });
    nodeB = await postgresRateLimiter({ pool, tableName: table });
  });
  afterAll(async () => {
    await pool.query(`DROP TABLE IF EXISTS "${table}"`);
    await pool.end();
  });

  it("creates its table and shares the count between nodes", async () => {
    const created = await pool.query("SELECT 1 FROM information_schema.tables WHERE table_name = $1", [table]);
    expect(created.rowCount).toBe(1);
    const policy = { points: 3, durationSeconds: 60 };
    const key = `token:${randomBytes(8).toString("hex")}`;
    expect(await nodeA.consume(key, policy)).toMatchObject({ allowed: true, limit: 3, remaining: 2 });
    expect(await nodeB.consume(key, policy)).toMatchObject({ allowed: true, remaining: 1 });
    expect(await nodeA.consume(key, policy)).toMatchObject({ allowed: true, remaining: 0 });
    const refused = await nodeB.consume(key, policy);
    expect(refused).toMatchObject({ allowed: false, remaining: 0 });
    expect(refused.msBeforeReset).toBeGreaterThan(55_000);
  });

  it("keeps separate counts per policy and per key", async () => {
    const key = `token:${randomBytes(8).toString("hex")}`;
    await nodeA.consume(key, { points: 1, durationSeconds: 60 });
    expect((await nodeA.consume(key, { points: 1, durationSeconds: 60 })).allowed).toBe(false);
    expect((await nodeB.consume(key, { points: 2, durationSeconds: 60 })).allowed).toBe(true);
    expect((await nodeB.consume(`${key}-other`, { points: 1, durationSeconds: 60 })).allowed).toBe(true);
  });

  it("is what TESSERA_RATE_LIMIT_STORE=postgres builds, on the database of TESSERA_DATABASE_URL", async () => {
    const configured = `${table}_cfg`;
    const limiting = createRateLimiting({
      config: { rateLimitStore: "postgres", databaseUrl: testPgUrl!, rateLimitPostgresTable: configured },
      store: { getService: async () => null },
      logger: pino({ level: "silent" }),
      now: Date.now,
    });
    try {
      const key = randomBytes(8).toString("hex");
      expect(await limiting.limiter!.consume(key, { points: 1, durationSeconds: 60 })).toMatchObject({ allowed: true });
      expect(await limiting.limiter!.consume(key, { points: 1, durationSeconds: 60 })).toMatchObject({ allowed: false });
      const row = await pool.query(`SELECT points FROM "${configured}"`);
      expect(row.rows).toEqual([{ points: 2 }]);
    } finally {
      await limiting.limiter!.close();
      await pool.query(`DROP TABLE IF EXISTS "${configured}"`);
    }
  });

  it("limits API calls of two app instances (nodes) together", async () => {
    const t = await createTestApp();
    try {
      const node = (limiter: ApiRateLimiter) =>
        createApp({
          ...t.deps,
          rateLimiting: createRateLimiting({
            config: { rateLimitManagement: 3, rateLimitWindowSeconds: 60 },
            store: t.deps.store,
            logger: t.deps.logger,
            now: t.deps.now,
            limiter,
          }),
        });
      const appA = node(nodeA);
      const appB = node(nodeB);
      const service = await createService(t.app, t.adminToken);
      const token = await createApiToken(t.app, t.adminToken, service.apiKey, ["VIEW_SERVICE"]);
      const path = `/api/${service.apiKey}/service/get`;
      expect(limitHeaders((await callApi(appA, token, "GET", path)).headers).remaining).toBe("2");
      expect(limitHeaders((await callApi(appB, token, "GET", path)).headers).remaining).toBe("1");
      expect((await callApi(appB, token, "GET", path)).status).toBe(200);
      const refused = await callApi(appA, token, "GET", path);
      expect(refused.status).toBe(429);
      expect(refused.body.resultCode).toBe("A001207");
    } finally {
      await t.close();
    }
  });

  it("starts when nodes create the table at the same moment (PostgreSQL does not serialize CREATE TABLE IF NOT EXISTS)", async () => {
    const raced = `${table}_race`;
    const pools = Array.from({ length: 6 }, () => new pg.Pool({ connectionString: testPgUrl, max: 1 }));
    try {
      for (let round = 0; round < 5; round++) {
        const limiters = await Promise.all(pools.map((each) => postgresRateLimiter({ pool: each, tableName: `${raced}_${round}` })));
        expect(limiters).toHaveLength(6);
      }
    } finally {
      for (let round = 0; round < 5; round++) await pool.query(`DROP TABLE IF EXISTS "${raced}_${round}"`);
      await Promise.all(pools.map((each) => each.end()));
    }
  });

  it("asks again when its CREATE TABLE lost the race to another node's, and still fails on any other error", async () => {
    const raced = `${table}_lost`;
    // The loser's error as PostgreSQL raises it, once; the table does exist by the second attempt.
    const losingOnce = (code: string) => {
      let lost = false;
      return new Proxy(pool, {
        get(target, property) {
          if (property !== "query") return Reflect.get(target, property, target);
          return async (query: { text: string }) => {
            if (!lost && query.text.includes("CREATE TABLE")) {
              lost = true;
              await target.query(query);
              throw Object.assign(new Error(`type "${raced}" already exists`), { code });
            }
            return target.query(query);
          };
        },
      });
    };
    try {
      const limiter = await postgresRateLimiter({ pool: losingOnce("42710"), tableName: raced });
      expect((await limiter.consume("key", { points: 1, durationSeconds: 60 })).allowed).toBe(true);
      await expect(postgresRateLimiter({ pool: losingOnce("42501"), tableName: raced })).rejects.toMatchObject({ code: "42501" });
    } finally {
      await pool.query(`DROP TABLE IF EXISTS "${raced}"`);
    }
  });
});
