import { afterEach, describe, expect, it } from "vitest";
import { pino } from "pino";
import { ConfigError, loadConfig } from "../../src/config/schema.js";
import { credentialHash } from "../../src/crypto/secrets.js";
import { createRateLimiting } from "../../src/http/rate-limit/rate-limiting.js";
import { SERVICE_POLICY_TTL_MS } from "../../src/http/rate-limit/service-policies.js";
import { type TestApp, callApi, createApiToken, createService } from "../helpers/app.js";
import { REDIRECT, basic, content, fixtureFor } from "../token/support.js";
import { limitHeaders, limitedApp } from "./support.js";

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const ccGrant = new URLSearchParams({ grant_type: "client_credentials" }).toString();

/** A service with a confidential client_credentials client, on an app with `config` limits. */
async function setup(config: Parameters<typeof limitedApp>[0], settings: Record<string, unknown> = {}) {
  t = await limitedApp(config);
  const f = await fixtureFor(t, { supportedGrantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "CLIENT_CREDENTIALS"], ...settings });
  const { client, secret } = await f.client({ grantTypes: ["CLIENT_CREDENTIALS", "AUTHORIZATION_CODE"], responseTypes: ["CODE"] });
  const creds = basic(client.clientIdAlias, secret!);
  const tokenCall = (token = f.token) =>
    callApi(f.t.app, token, "POST", `/api/${f.service.apiKey}/auth/token`, { parameters: ccGrant, ...creds });
  return { f, client, creds, tokenCall };
}

describe("API rate limits per token and category", () => {
  it("sends RateLimit-Policy, RateLimit and X-RateLimit-* on every counted response, remaining going down", async () => {
    const { tokenCall } = await setup({ rateLimitToken: 5, rateLimitWindowSeconds: 60 });
    const before = Math.floor(Date.now() / 1000);
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await tokenCall();
      expect(res.status).toBe(200);
      expect(res.body.action).toBe("OK");
      const h = limitHeaders(res.headers);
      expect(h.policy).toBe('"token";q=5;w=60');
      expect(h.limit).toBe("5");
      expect(h.state).toMatch(new RegExp(`^"token";r=${4 - i};t=(59|60)$`));
      expect(Number(h.reset)).toBeGreaterThanOrEqual(before + 59);
      expect(Number(h.reset)).toBeLessThanOrEqual(before + 61);
      expect(h.retryAfter).toBeNull();
      remaining.push(h.remaining!);
    }
    expect(remaining).toEqual(["4", "3", "2"]);
  });

  it("sends the same fields on answers built outside the runtime path: a refused body, an error, a pretty document", async () => {
    const { f, tokenCall } = await setup({ rateLimitToken: 5, rateLimitManagement: 9, rateLimitWindowSeconds: 60 });
    const ok = await tokenCall();
    expect([...ok.headers.keys()].sort()).toEqual(["content-type", "ratelimit", "ratelimit-policy", "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"]);
    expect(ok.headers.get("content-type")).toBe("application/json");
    const invalid = await callApi(f.t.app, f.token, "POST", `/api/${f.service.apiKey}/auth/token`, { parameters: 42 });
    expect(invalid.status).toBe(400);
    expect(invalid.body.resultCode).toBe("A000204");
    expect(invalid.headers.get("content-type")).toBe("application/json");
    expect(limitHeaders(invalid.headers)).toMatchObject({ policy: '"token";q=5;w=60', limit: "5", remaining: "3", retryAfter: null });
    const pretty = await callApi(f.t.app, f.token, "GET", `/api/${f.service.apiKey}/service/configuration?pretty=true`);
    expect(pretty.status).toBe(200);
    expect(limitHeaders(pretty.headers)).toMatchObject({ policy: '"management";q=9;w=60', remaining: "8" });
  });

  it("answers 429 with Retry-After and A001207 past the limit, and issues no token (SEC-150)", async () => {
    const { f, tokenCall } = await setup({ rateLimitToken: 2, rateLimitWindowSeconds: 30 });
    await tokenCall();
    await tokenCall();
    const refused = await tokenCall();
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({
      resultCode: "A001207",
      resultMessage: "[A001207] Too many requests for this API token and category; retry after 30 seconds.",
    });
    expect(refused.headers.get("retry-after")).toBe("30");
    expect(limitHeaders(refused.headers)).toMatchObject({ limit: "2", remaining: "0", policy: '"token";q=2;w=30' });
    // Same request through a second token of the service: it issues, so the limit is the only reason for the 429.
    const other = await createApiToken(f.t.app, f.t.adminToken, f.service.apiKey, ["USE_SERVICE"]);
    const accepted = await tokenCall(other);
    expect(accepted.body.action).toBe("OK");
    const issued = await f.t.deps.store.findAccessToken(f.service.apiKey, credentialHash(String(accepted.body.accessToken)));
    expect(issued).not.toBeNull();
  });

  it("keeps the tokens of one service apart: A's exhaustion leaves B untouched", async () => {
    const { f, tokenCall } = await setup({ rateLimitToken: 1, rateLimitWindowSeconds: 60 });
    const tokenB = await createApiToken(f.t.app, f.t.adminToken, f.service.apiKey, ["USE_SERVICE"]);
    expect((await tokenCall()).status).toBe(200);
    expect((await tokenCall()).status).toBe(429);
    const b = await tokenCall(tokenB);
    expect(b.status).toBe(200);
    expect(limitHeaders(b.headers).remaining).toBe("0");
    expect((await tokenCall(tokenB)).status).toBe(429);
  });

  it("keeps categories apart: an exhausted token category leaves introspection and management untouched", async () => {
    const { f, tokenCall } = await setup({ rateLimitToken: 1, rateLimitIntrospection: 3, rateLimitManagement: 7, rateLimitWindowSeconds: 60 });
    const first = await tokenCall();
    expect((await tokenCall()).status).toBe(429);
    const introspected = await callApi(f.t.app, f.token, "POST", `/api/${f.service.apiKey}/auth/introspection`, { token: String(first.body.accessToken) });
    expect(introspected.status).toBe(200);
    expect(introspected.body.action).toBe("OK");
    expect(limitHeaders(introspected.headers)).toMatchObject({ policy: '"introspection";q=3;w=60', remaining: "2" });
    const configuration = await callApi(f.t.app, f.token, "GET", `/api/${f.service.apiKey}/service/configuration`);
    expect(configuration.status).toBe(200);
    expect(limitHeaders(configuration.headers)).toMatchObject({ policy: '"management";q=7;w=60', remaining: "6" });
  });

  it("applies the service's rateLimits over the server-wide default, per category", async () => {
    const { f, tokenCall } = await setup(
      { rateLimitToken: 100, rateLimitWindowSeconds: 1 },
      { rateLimits: { token: { points: 2, durationSeconds: 120 } } },
    );
    const res = await tokenCall();
    expect(limitHeaders(res.headers)).toMatchObject({ policy: '"token";q=2;w=120', remaining: "1" });
    await tokenCall();
    const refused = await tokenCall();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(100);
    // Categories the service leaves out keep the default.
    const introspected = await callApi(f.t.app, f.token, "POST", `/api/${f.service.apiKey}/auth/introspection`, { token: "x".repeat(43) });
    expect(limitHeaders(introspected.headers).policy).toBe('"introspection";q=50000;w=1');
  });

  it("reads a changed rateLimits after the policy cache time", async () => {
    const { f, tokenCall } = await setup({ rateLimitToken: 100, rateLimitWindowSeconds: 60 });
    expect(limitHeaders((await tokenCall()).headers).limit).toBe("100");
    const updated = await callApi(f.t.app, f.t.adminToken, "POST", `/api/${f.service.apiKey}/service/update`, {
      rateLimits: { token: { points: 9, durationSeconds: 60 } },
    });
    expect(updated.status).toBe(200);
    expect(updated.body.rateLimits).toEqual({ token: { points: 9, durationSeconds: 60 } });
    f.t.clock.advance(SERVICE_POLICY_TTL_MS + 1);
    expect(limitHeaders((await tokenCall()).headers)).toMatchObject({ limit: "9", remaining: "8" });
    // null removes the override: the default applies again.
    const cleared = await callApi(f.t.app, f.t.adminToken, "POST", `/api/${f.service.apiKey}/service/update`, { rateLimits: null });
    expect(cleared.status).toBe(200);
    f.t.clock.advance(SERVICE_POLICY_TTL_MS + 1);
    expect(limitHeaders((await tokenCall()).headers).limit).toBe("100");
  });

  it("rejects invalid rateLimits settings with 400", async () => {
    t = await limitedApp({});
    for (const rateLimits of [{ token: { points: 0, durationSeconds: 1 } }, { token: { points: 5 } }, { bogus: { points: 1, durationSeconds: 1 } }]) {
      const res = await callApi(t.app, t.adminToken, "POST", "/api/service/create", {
        serviceName: "x",
        issuer: "https://issuer.example.com",
        rateLimits,
      });
      expect(res.status).toBe(400);
      expect(res.body.resultCode).toBe("A000204");
      expect(res.body.resultMessage).toContain("rateLimits");
    }
  });

  it("starts a fresh window once the old one has passed", async () => {
    const { tokenCall } = await setup({ rateLimitToken: 1, rateLimitWindowSeconds: 1 });
    expect((await tokenCall()).status).toBe(200);
    const refused = await tokenCall();
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("1");
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const again = await tokenCall();
    expect(again.status).toBe(200);
    expect(again.body.action).toBe("OK");
  });

  it("a refused /auth/authorization/issue does not consume the ticket", async () => {
    const { f, client } = await setup({ rateLimitAuthorization: 1, rateLimitWindowSeconds: 60 });
    const parameters = new URLSearchParams({ client_id: client.clientIdAlias, response_type: "code", redirect_uri: REDIRECT, scope: "openid" }).toString();
    const authorized = await f.call("/auth/authorization", { parameters });
    expect(authorized.body.action).toBe("INTERACTION");
    const refused = await f.call("/auth/authorization/issue", { ticket: authorized.body.ticket, subject: "alice" });
    expect(refused.status).toBe(429);
    expect(refused.body.resultCode).toBe("A001207");
    const other = await createApiToken(f.t.app, f.t.adminToken, f.service.apiKey, ["USE_SERVICE"]);
    const issued = await callApi(f.t.app, other, "POST", `/api/${f.service.apiKey}/auth/authorization/issue`, { ticket: authorized.body.ticket, subject: "alice" });
    expect(issued.body.action).toBe("LOCATION");
    expect(issued.body.authorizationCode).toBeTypeOf("string");
  });

  it("a refused code redemption does not consume the code", async () => {
    const { f, client, creds } = await setup({ rateLimitToken: 1, rateLimitWindowSeconds: 60 });
    const code = await f.code(client, { scope: "openid" });
    const parameters = new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: REDIRECT }).toString();
    await f.tokenCall(ccGrant, creds);
    const refused = await f.tokenCall(parameters, creds);
    expect(refused.status).toBe(429);
    const other = await createApiToken(f.t.app, f.t.adminToken, f.service.apiKey, ["USE_SERVICE"]);
    const redeemed = await callApi(f.t.app, other, "POST", `/api/${f.service.apiKey}/auth/token`, { parameters, ...creds });
    expect(redeemed.body.action).toBe("OK");
    expect(content(redeemed.body).access_token).toBeTypeOf("string");
  });

  it("limits the admin token with the operator's quotas, never a service's override", async () => {
    t = await limitedApp({ rateLimitManagement: 50, rateLimitWindowSeconds: 60 });
    const list = await callApi(t.app, t.adminToken, "GET", "/api/service/get/list");
    expect(limitHeaders(list.headers)).toMatchObject({ policy: '"management";q=50;w=60', remaining: "49" });
    const service = await createService(t.app, t.adminToken, { rateLimits: { management: { points: 3, durationSeconds: 60 } } });
    const got = await callApi(t.app, t.adminToken, "GET", `/api/${service.apiKey}/service/get`);
    expect(limitHeaders(got.headers)).toMatchObject({ policy: '"management";q=50;w=60', remaining: "47" });
  });

  it("sends no rate-limit fields when TESSERA_RATE_LIMIT_STORE=off", async () => {
    const { tokenCall } = await setup({ rateLimitStore: "off", rateLimitToken: 1 });
    for (let i = 0; i < 3; i++) {
      const res = await tokenCall();
      expect(res.status).toBe(200);
      expect(limitHeaders(res.headers).policy).toBeNull();
    }
  });
});

describe("API token guessing per remote address", () => {
  it("answers 429 A190201 after too many failed authentications, even for a valid token, until the window passes (SEC-150)", async () => {
    t = await limitedApp({ apiAuthMaxFailures: 3, bruteForceWindowSeconds: 60 });
    const service = await createService(t.app, t.adminToken);
    const good = await createApiToken(t.app, t.adminToken, service.apiKey, ["USE_SERVICE"]);
    const path = `/api/${service.apiKey}/auth/introspection`;
    expect((await callApi(t.app, null, "POST", path, { token: "x" })).body.resultCode).toBe("A001202");
    for (let i = 0; i < 2; i++) {
      const res = await callApi(t.app, `guess-${i}`, "POST", path, { token: "x" });
      expect(res.status).toBe(401);
      expect(res.body.resultCode).toBe("A001203");
    }
    const blocked = await callApi(t.app, good, "POST", path, { token: "x" });
    expect(blocked.status).toBe(429);
    expect(blocked.body).toEqual({
      resultCode: "A190201",
      resultMessage: "[A190201] Too many failed API authentications from this address; retry after 60 seconds.",
    });
    expect(blocked.headers.get("retry-after")).toBe("60");
    t.clock.advance(60_000);
    const after = await callApi(t.app, good, "POST", path, { token: "x" });
    expect(after.status).toBe(200);
  });

  it("does not count successful authentications", async () => {
    t = await limitedApp({ apiAuthMaxFailures: 2, bruteForceWindowSeconds: 60 });
    for (let i = 0; i < 5; i++) expect((await callApi(t.app, t.adminToken, "GET", "/api/service/get/list")).status).toBe(200);
    expect((await callApi(t.app, "wrong", "GET", "/api/service/get/list")).status).toBe(401);
    expect((await callApi(t.app, t.adminToken, "GET", "/api/service/get/list")).status).toBe(200);
  });
});

describe("rate-limit settings", () => {
  it("reads the environment variables and names a bad one", () => {
    const config = loadConfig({ TESSERA_RATE_LIMIT_TOKEN: "5", TESSERA_RATE_LIMIT_STORE: "postgres", TESSERA_BRUTE_FORCE_MAX_FAILURES: "0" });
    expect(config).toMatchObject({ rateLimitToken: 5, rateLimitStore: "postgres", bruteForceMaxFailures: 0, rateLimitManagement: 1000 });
    expect(() => loadConfig({ TESSERA_RATE_LIMIT_INTROSPECTION: "0" })).toThrow(/TESSERA_RATE_LIMIT_INTROSPECTION/);
    expect(() => loadConfig({ TESSERA_RATE_LIMIT_STORE: "redis" })).toThrow(/TESSERA_RATE_LIMIT_STORE/);
  });

  it("refuses the postgres store without a PostgreSQL database", () => {
    expect(() =>
      createRateLimiting({
        config: { rateLimitStore: "postgres", databaseUrl: "sqlite:./x.db" },
        store: { getService: async () => null },
        logger: pino({ level: "silent" }),
        now: Date.now,
      }),
    ).toThrow(ConfigError);
  });
});
