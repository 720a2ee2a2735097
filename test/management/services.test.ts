import { calculateJwkThumbprint } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServiceView } from "../../src/http/routes/management/wire-schemas.js";
import { callApi, createApiToken, createClient, createService, createTestApp, type TestApp } from "../helpers/app.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

describe("service create", () => {
  it("assigns apiKey and timestamps, applies defaults and answers Authlete's Service shape", async () => {
    t.clock.now = 1_700_000_000_000;
    const res = await callApi<ServiceView & { metadata: unknown }>(t.app, t.adminToken, "POST", "/api/service/create", {
      serviceName: "Shop",
      issuer: "https://login.shop.example",
      description: "The shop",
    });
    expect(res.status).toBe(200);
    expect(res.body.apiKey).toBeGreaterThanOrEqual(1_000_000_000);
    expect(Number.isSafeInteger(res.body.apiKey)).toBe(true);
    expect(res.body.createdAt).toBe(1_700_000_000_000);
    expect(res.body.modifiedAt).toBe(1_700_000_000_000);
    expect(res.body.supportedGrantTypes).toEqual(["AUTHORIZATION_CODE", "REFRESH_TOKEN", "CLIENT_CREDENTIALS"]);
    expect(res.body.accessTokenDuration).toBe(3600);
    expect(res.body.metadata).toEqual([{ key: "clientCount", value: "0" }]);
    // Optional settings that are unset are omitted, not null (the SDK models them as optional strings).
    expect(Object.values(res.body).includes(null)).toBe(false);
    expect("jwksUri" in res.body).toBe(false);
  });

  it("generates one signing key per algorithm, kid = RFC 7638 thumbprint, private part sealed", async () => {
    t.clock.now = 1_700_000_100_000;
    const service = await createService(t.app, t.adminToken);
    const keys = await t.deps.store.listSigningKeys(service.apiKey);
    expect(keys.map((key) => key.alg).sort()).toEqual(["ES256", "EdDSA", "PS256", "RS256"]);
    for (const key of keys) {
      expect(key.kid).toBe(await calculateJwkThumbprint(key.publicJwk, "sha256"));
      expect(key.publicJwk).not.toHaveProperty("d");
      expect(key.privateJwkSealed.startsWith("v1.")).toBe(true);
      const privateJwk = JSON.parse(t.deps.sealer.open(key.privateJwkSealed));
      expect(privateJwk.d).toBeTypeOf("string");
      expect(privateJwk.kid).toBe(key.kid);
      expect(key.activatesAt).toBe(key.createdAt);
      expect(key.createdAt).toBe(1_700_000_100_000);
    }
  });

  it("accepts and ignores the read-only fields a GET returned", async () => {
    const res = await callApi<ServiceView>(t.app, t.adminToken, "POST", "/api/service/create", {
      serviceName: "Echo",
      issuer: "https://echo.example",
      apiKey: 1,
      createdAt: 5,
      modifiedAt: 5,
      metadata: [{ key: "clientCount", value: "99" }],
      number: 7,
    });
    expect(res.status).toBe(200);
    expect(res.body.apiKey).not.toBe(1);
    expect(res.body.createdAt).not.toBe(5);
  });

  it.each([
    ["missing serviceName", { issuer: "https://a.example" }, "serviceName"],
    ["http issuer off loopback", { serviceName: "x", issuer: "http://a.example" }, "issuer"],
    ["issuer with a query", { serviceName: "x", issuer: "https://a.example/?x=1" }, "issuer"],
    ["issuer with a fragment", { serviceName: "x", issuer: "https://a.example/#f" }, "issuer"],
    ["wrong type", { serviceName: "x", issuer: "https://a.example", accessTokenDuration: "3600" }, "accessTokenDuration"],
    ["unknown enum", { serviceName: "x", issuer: "https://a.example", supportedGrantTypes: ["MAGIC"] }, "supportedGrantTypes"],
    ["unknown field", { serviceName: "x", issuer: "https://a.example", parMandatory: true }, "parMandatory"],
    ["negative duration", { serviceName: "x", issuer: "https://a.example", idTokenDuration: -1 }, "idTokenDuration"],
  ])("rejects %s with 400 naming the field", async (_label, body, field) => {
    const res = await callApi(t.app, t.adminToken, "POST", "/api/service/create", body);
    expect(res.status).toBe(400);
    expect(res.body.resultCode).toBe("A000204");
    expect(res.body.resultMessage).toContain(field);
  });

  it.each([
    ["a javascript: endpoint", { authorizationEndpoint: "javascript:alert(1)" }, "authorizationEndpoint: must use https"],
    ["an http endpoint off loopback", { tokenEndpoint: "http://as.example/token" }, "tokenEndpoint: must use https"],
    ["an endpoint with a fragment", { userInfoEndpoint: "https://as.example/userinfo#x" }, "userInfoEndpoint: must not contain a fragment"],
    ["a data: policy URL", { policyUri: "data:text/html,hi" }, "policyUri"],
    ["a scope listed twice", { supportedScopes: [{ name: "openid" }, { name: "openid" }] }, "openid is listed twice"],
  ])("rejects %s with 400 A002202", async (_label, settings, message) => {
    const res = await callApi(t.app, t.adminToken, "POST", "/api/service/create", { serviceName: "x", issuer: "https://x.example", ...settings });
    expect(res.status).toBe(400);
    expect(res.body.resultCode).toBe("A002202");
    expect(res.body.resultMessage).toContain(message);
  });

  it("accepts loopback http endpoints for local development", async () => {
    const res = await callApi(t.app, t.adminToken, "POST", "/api/service/create", {
      serviceName: "dev",
      issuer: "http://127.0.0.1:9000",
      authorizationEndpoint: "http://127.0.0.1:9000/authorize",
      jwksUri: "http://localhost:9000/jwks",
    });
    expect(res.status).toBe(200);
  });

  it("is refused to a service token even with every permission (403 A001205)", async () => {
    const service = await createService(t.app, t.adminToken);
    const token = await createApiToken(t.app, t.adminToken, service.apiKey, ["USE_SERVICE", "MODIFY_SERVICE", "DELETE_SERVICE", "CREATE_CLIENT", "MODIFY_CLIENT"]);
    const res = await callApi(t.app, token, "POST", "/api/service/create", { serviceName: "x", issuer: "https://x.example" });
    expect(res.status).toBe(403);
    expect(res.body.resultCode).toBe("A001205");
  });
});

describe("service get, update, list, delete", () => {
  it("gets with the admin token and with a VIEW_SERVICE token; counts clients", async () => {
    const service = await createService(t.app, t.adminToken);
    await createClient(t.app, t.adminToken, service.apiKey);
    const token = await createApiToken(t.app, t.adminToken, service.apiKey, ["VIEW_SERVICE"]);
    for (const caller of [t.adminToken, token]) {
      const res = await callApi<ServiceView & { metadata: unknown }>(t.app, caller, "GET", `/api/${service.apiKey}/service/get`);
      expect(res.status).toBe(200);
      expect(res.body.apiKey).toBe(service.apiKey);
      expect(res.body.issuer).toBe(service.issuer);
      expect(res.body.metadata).toEqual([{ key: "clientCount", value: "1" }]);
    }
  });

  it("updates by merging over the stored settings and bumps modifiedAt only", async () => {
    t.clock.now = 1_700_000_200_000;
    const service = await createService(t.app, t.adminToken, { description: "before", pkceRequired: true });
    t.clock.advance(5000);
    const token = await createApiToken(t.app, t.adminToken, service.apiKey, ["MODIFY_SERVICE"]);
    const res = await callApi<ServiceView>(t.app, token, "POST", `/api/${service.apiKey}/service/update`, {
      accessTokenDuration: 600,
      description: null,
    });
    expect(res.status).toBe(200);
    expect(res.body.accessTokenDuration).toBe(600);
    expect(res.body.pkceRequired).toBe(true);
    expect(res.body.serviceName).toBe(service.serviceName);
    expect(res.body).not.toHaveProperty("description");
    expect(res.body.createdAt).toBe(service.createdAt);
    expect(res.body.modifiedAt).toBe(1_700_000_205_000);
    const stored = await t.deps.store.getService(service.apiKey);
    expect(stored?.accessTokenDuration).toBe(600);
    expect(stored?.description ?? null).toBeNull();
  });

  it("rejects an invalid update (clearing a required field, a bad issuer) and keeps the stored service", async () => {
    const service = await createService(t.app, t.adminToken);
    for (const [body, field] of [
      [{ serviceName: null }, "serviceName"],
      [{ issuer: "http://evil.example" }, "issuer"],
      [{ supportedScopes: [{ name: "two words" }] }, "supportedScopes"],
      [{ apiKeyX: 1 }, "apiKeyX"],
    ] as const) {
      const res = await callApi(t.app, t.adminToken, "POST", `/api/${service.apiKey}/service/update`, body);
      expect(res.status).toBe(400);
      expect(res.body.resultCode).toBe("A000204");
      expect(res.body.resultMessage).toContain(field);
    }
    const merged = await callApi(t.app, t.adminToken, "POST", `/api/${service.apiKey}/service/update`, { tokenEndpoint: "http://as.example/token" });
    expect(merged.status).toBe(400);
    expect(merged.body.resultCode).toBe("A002202");
    const stored = await t.deps.store.getService(service.apiKey);
    expect(stored?.serviceName).toBe(service.serviceName);
    expect(stored?.issuer).toBe(service.issuer);
  });

  it("lists with start/end/totalCount; a service token sees only its own service", async () => {
    const local = await createTestApp();
    try {
      const created: ServiceView[] = [];
      for (let i = 0; i < 3; i++) created.push(await createService(local.app, local.adminToken, { serviceName: `S${i}` }));
      const all = await callApi<{ start: number; end: number; totalCount: number; services: ServiceView[] }>(
        local.app,
        local.adminToken,
        "GET",
        "/api/service/get/list",
      );
      expect(all.status).toBe(200);
      expect(all.body).toMatchObject({ start: 0, end: 5, totalCount: 3 });
      expect(all.body.services.map((s) => s.apiKey).sort()).toEqual(created.map((s) => s.apiKey).sort());

      const page = await callApi<{ start: number; end: number; totalCount: number; services: ServiceView[] }>(
        local.app,
        local.adminToken,
        "GET",
        "/api/service/get/list?start=1&end=2",
      );
      expect(page.body).toMatchObject({ start: 1, end: 2, totalCount: 3 });
      expect(page.body.services).toHaveLength(1);

      const token = await createApiToken(local.app, local.adminToken, created[1]!.apiKey, ["VIEW_SERVICE"]);
      const own = await callApi<{ totalCount: number; services: ServiceView[] }>(local.app, token, "GET", "/api/service/get/list");
      expect(own.status).toBe(200);
      expect(own.body.totalCount).toBe(1);
      expect(own.body.services.map((s) => s.apiKey)).toEqual([created[1]!.apiKey]);
    } finally {
      await local.close();
    }
  });

  it.each([
    ["start=-1", "start"],
    ["start=abc", "start"],
    ["end=1.5", "end"],
    ["start=4&end=2", "end"],
  ])("rejects the list query %s with 400 A000208", async (query, name) => {
    const res = await callApi(t.app, t.adminToken, "GET", `/api/service/get/list?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.resultCode).toBe("A000208");
    expect(res.body.resultMessage).toContain(name);
  });

  it("deletes with 204 and removes clients, keys and tokens with it", async () => {
    const service = await createService(t.app, t.adminToken);
    const { client } = await createClient(t.app, t.adminToken, service.apiKey);
    const token = await createApiToken(t.app, t.adminToken, service.apiKey, ["DELETE_SERVICE"]);
    const res = await t.app.request(`/api/${service.apiKey}/service/delete`, { method: "DELETE", headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe("");
    expect(await t.deps.store.getService(service.apiKey)).toBeNull();
    expect(await t.deps.store.getClient(service.apiKey, client.clientId)).toBeNull();
    expect(await t.deps.store.listSigningKeys(service.apiKey)).toEqual([]);
    const after = await callApi(t.app, t.adminToken, "GET", `/api/${service.apiKey}/service/get`);
    expect(after.status).toBe(404);
    expect(after.body.resultCode).toBe("A002201");
    // The service's tokens went with it.
    expect((await callApi(t.app, token, "GET", `/api/${service.apiKey}/service/get`)).status).toBe(401);
  });

  it("answers 404 A002201 for unknown services on get, update and delete", async () => {
    const unknown = 999_999_999_999;
    expect((await callApi(t.app, t.adminToken, "GET", `/api/${unknown}/service/get`)).body.resultCode).toBe("A002201");
    const update = await callApi(t.app, t.adminToken, "POST", `/api/${unknown}/service/update`, { description: "x" });
    expect(update.status).toBe(404);
    const del = await callApi(t.app, t.adminToken, "DELETE", `/api/${unknown}/service/delete`);
    expect(del.status).toBe(404);
    expect(del.body.resultCode).toBe("A002201");
  });
});
