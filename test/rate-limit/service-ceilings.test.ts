import { afterEach, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { rateLimitCategories, type RateLimitCategory } from "../../src/domain/rate-limits.js";
import { SERVICE_POLICY_TTL_MS } from "../../src/http/rate-limit/service-policies.js";
import { type TestApp, callApi, createApiToken, createService } from "../helpers/app.js";
import { limitHeaders, limitedApp } from "./support.js";

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** Distinct operator quotas per category, so a message naming the wrong one shows. */
const operatorQuotas: Record<RateLimitCategory, number> = {
  authorization: 600,
  token: 601,
  introspection: 602,
  revocation: 603,
  userinfo: 604,
  management: 605,
};
const operatorConfig = {
  rateLimitWindowSeconds: 60,
  rateLimitAuthorization: operatorQuotas.authorization,
  rateLimitToken: operatorQuotas.token,
  rateLimitIntrospection: operatorQuotas.introspection,
  rateLimitRevocation: operatorQuotas.revocation,
  rateLimitUserinfo: operatorQuotas.userinfo,
  rateLimitManagement: operatorQuotas.management,
};

/** A service with a token that may modify it (a tenant's own administrator). */
async function tenant() {
  t = await limitedApp(operatorConfig);
  const service = await createService(t.app, t.adminToken);
  const modifier = await createApiToken(t.app, t.adminToken, service.apiKey, ["MODIFY_SERVICE"]);
  const update = (rateLimits: unknown, token = modifier) =>
    callApi(t!.app, token, "POST", `/api/${service.apiKey}/service/update`, { rateLimits });
  return { t, service, modifier, update };
}

describe("the operator's TESSERA_RATE_LIMIT_* values are ceilings a service can only lower", () => {
  it("refuses a quota above the operator's in every category, at update (any caller) and at create, naming the ceiling", async () => {
    const { t, update } = await tenant();
    for (const category of rateLimitCategories) {
      const ceiling = operatorQuotas[category];
      const refused = await update({ [category]: { points: ceiling + 1, durationSeconds: 60 } });
      expect(refused.status, category).toBe(400);
      expect(refused.body).toEqual({
        resultCode: "A002202",
        resultMessage: `[A002202] The service settings are invalid: rateLimits.${category}: ${ceiling + 1} requests per 60 s is more than the operator's ceiling of ${ceiling} per 60 s`,
      });
      const viaAdmin = await callApi(t.app, t.adminToken, "POST", "/api/service/create", {
        serviceName: "x",
        issuer: "https://issuer.example.com",
        rateLimits: { [category]: { points: 10_000_000, durationSeconds: 1 } },
      });
      expect(viaAdmin.status).toBe(400);
      expect(viaAdmin.body.resultCode).toBe("A002202");
      expect(viaAdmin.body.resultMessage).toContain(`rateLimits.${category}: 10000000 requests per 1 s make 600000000 per 60 s`);
      const accepted = await update({ [category]: { points: ceiling, durationSeconds: 60 } });
      expect(accepted.status, category).toBe(200);
      expect(accepted.body.rateLimits).toEqual({ [category]: { points: ceiling, durationSeconds: 60 } });
    }
  });

  it("weighs a shorter window by how many of them fit in the operator's window", async () => {
    const { update } = await tenant();
    // 10 per second is 600 per minute: exactly the ceiling; 11 per second is 660.
    expect((await update({ authorization: { points: 10, durationSeconds: 1 } })).status).toBe(200);
    const refused = await update({ authorization: { points: 11, durationSeconds: 1 } });
    expect(refused.status).toBe(400);
    expect(refused.body.resultMessage).toBe(
      "[A002202] The service settings are invalid: rateLimits.authorization: 11 requests per 1 s make 660 per 60 s, more than the operator's ceiling of 600 per 60 s",
    );
    // A window that does not divide the operator's counts each one it touches: 7 s windows, 9 of them in a minute.
    expect((await update({ authorization: { points: 66, durationSeconds: 7 } })).status).toBe(200);
    expect((await update({ authorization: { points: 67, durationSeconds: 7 } })).status).toBe(400);
    // Several categories wrong at once: every one is named.
    const both = await update({ token: { points: 602, durationSeconds: 60 }, userinfo: { points: 605, durationSeconds: 3600 } });
    expect(both.body.resultMessage).toContain("rateLimits.token: 602 requests");
    expect(both.body.resultMessage).toContain("rateLimits.userinfo: 605 requests per 3600 s");
  });

  it("accepts a longer window with no more requests: it is stricter, and only the service's own tokens feel it", async () => {
    const { service, update } = await tenant();
    expect((await update({ management: { points: 2, durationSeconds: 86_400 } })).status).toBe(200);
    t!.clock.advance(SERVICE_POLICY_TTL_MS + 1);
    const viewer = await createApiToken(t!.app, t!.adminToken, service.apiKey, ["VIEW_SERVICE"]);
    const path = `/api/${service.apiKey}/service/get`;
    expect((await callApi(t!.app, viewer, "GET", path)).status).toBe(200);
    expect((await callApi(t!.app, viewer, "GET", path)).status).toBe(200);
    const refused = await callApi(t!.app, viewer, "GET", path);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(86_000);
    expect(limitHeaders(refused.headers).policy).toBe('"management";q=2;w=86400');
    // Lifting it: a changed quota starts a fresh count.
    expect((await callApi(t!.app, t!.adminToken, "POST", `/api/${service.apiKey}/service/update`, { rateLimits: null })).status).toBe(200);
    t!.clock.advance(SERVICE_POLICY_TTL_MS + 1);
    expect((await callApi(t!.app, viewer, "GET", path)).status).toBe(200);
  });

  it("never counts admin calls against a service's rateLimits: the organization token keeps the operator's budget", async () => {
    const { service, update } = await tenant();
    // The reported attack: a tenant sets management to 1 per day.
    expect((await update({ management: { points: 1, durationSeconds: 86_400 }, token: { points: 1, durationSeconds: 86_400 } })).status).toBe(200);
    t!.clock.advance(SERVICE_POLICY_TTL_MS + 1);
    const paths = [`/api/${service.apiKey}/service/get`, `/api/${service.apiKey}/service/configuration`, `/api/${service.apiKey}/client/get/list`];
    for (let round = 0; round < 3; round++) {
      for (const path of paths) {
        const res = await callApi(t!.app, t!.adminToken, "GET", path);
        expect(res.status, path).toBe(200);
        expect(limitHeaders(res.headers).policy).toBe(`"management";q=${operatorQuotas.management};w=60`);
      }
      // Runtime calls made with the admin token use the operator's quota too.
      const runtime = await callApi(t!.app, t!.adminToken, "POST", `/api/${service.apiKey}/auth/token`, { parameters: "grant_type=client_credentials" });
      expect(runtime.status).toBe(200);
      expect(limitHeaders(runtime.headers).policy).toBe(`"token";q=${operatorQuotas.token};w=60`);
    }
    // The service's own tokens do get the service's policy.
    const viewer = await createApiToken(t!.app, t!.adminToken, service.apiKey, ["VIEW_SERVICE"]);
    expect((await callApi(t!.app, viewer, "GET", paths[0]!)).status).toBe(200);
    expect((await callApi(t!.app, viewer, "GET", paths[0]!)).status).toBe(429);
  });

  it("applies the operator's quota when a stored one is above a ceiling lowered since", async () => {
    const { service, update } = await tenant();
    expect((await update({ token: { points: 500, durationSeconds: 60 }, introspection: { points: 5, durationSeconds: 1 } })).status).toBe(200);
    t!.clock.advance(SERVICE_POLICY_TTL_MS + 1);
    const user = await createApiToken(t!.app, t!.adminToken, service.apiKey, ["USE_SERVICE"]);
    const tokenCall = (app: TestApp["app"]) =>
      callApi(app, user, "POST", `/api/${service.apiKey}/auth/token`, { parameters: "grant_type=client_credentials" });
    const introspect = (app: TestApp["app"]) => callApi(app, user, "POST", `/api/${service.apiKey}/auth/introspection`, { token: "x".repeat(43) });
    expect(limitHeaders((await tokenCall(t!.app)).headers).policy).toBe('"token";q=500;w=60');
    expect(limitHeaders((await introspect(t!.app)).headers).policy).toBe('"introspection";q=5;w=1');
    // The operator restarts with lower ceilings over the same database: 100 tokens, 120 introspections a minute.
    const lowered = createApp({ ...t!.deps, rateLimiting: undefined, config: { ...t!.deps.config, rateLimitToken: 100, rateLimitIntrospection: 120 } });
    expect(limitHeaders((await tokenCall(lowered)).headers).policy).toBe('"token";q=100;w=60');
    // 5 per second would be 300 a minute, above 120: the operator's quota applies.
    expect(limitHeaders((await introspect(lowered)).headers).policy).toBe('"introspection";q=120;w=60');
    // A stored quota still within the lowered ceiling keeps applying.
    expect((await update({ token: { points: 50, durationSeconds: 60 } })).status).toBe(200);
    const within = createApp({ ...t!.deps, rateLimiting: undefined, config: { ...t!.deps.config, rateLimitToken: 100 } });
    expect(limitHeaders((await tokenCall(within)).headers).policy).toBe('"token";q=50;w=60');
  });
});
