import { createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callApi, createApiToken, createService, createTestApp, type TestApp } from "../helpers/app.js";
import { clientToken } from "../introspection/support.js";
import { type TokenFixture, fixtureFor } from "../token/support.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const privateMembers = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

async function jwksOf(serviceId: number, query = ""): Promise<JSONWebKeySet> {
  const res = await callApi<JSONWebKeySet>(t.app, t.adminToken, "GET", `/api/${serviceId}/service/jwks/get${query}`);
  expect(res.status).toBe(200);
  return res.body;
}

const rotate = (serviceId: number, body: Record<string, unknown>, token = t.adminToken) =>
  callApi(t.app, token, "POST", `/api/${serviceId}/service/keys/rotate`, body);

describe("GET /service/jwks/get", () => {
  it("publishes one public key per algorithm with kid, alg and use=sig, and no private member", async () => {
    const service = await createService(t.app, t.adminToken);
    const { keys } = await jwksOf(service.apiKey);
    expect(keys.map((key) => key.alg).sort()).toEqual(["ES256", "EdDSA", "PS256", "RS256"]);
    expect(new Set(keys.map((key) => key.kid)).size).toBe(keys.length);
    for (const key of keys) {
      expect(key).toMatchObject({ kid: expect.any(String), use: "sig" });
      for (const member of privateMembers) expect(key).not.toHaveProperty(member);
    }
  });

  it("refuses includePrivateKeys=true, accepts false, and pretty-prints on request", async () => {
    const service = await createService(t.app, t.adminToken);
    const refused = await callApi(t.app, t.adminToken, "GET", `/api/${service.apiKey}/service/jwks/get?includePrivateKeys=true`);
    expect(refused.status).toBe(400);
    expect(refused.body.resultCode).toBe("A172201");
    expect((await jwksOf(service.apiKey, "?includePrivateKeys=false")).keys).toHaveLength(4);
    const pretty = await t.app.request(`/api/${service.apiKey}/service/jwks/get?pretty=true`, { headers: { authorization: `Bearer ${t.adminToken}` } });
    expect(await pretty.text()).toMatch(/^\{\n {2}"keys": \[/);
  });

  it("needs VIEW_SERVICE and never shows another service's keys", async () => {
    const service = await createService(t.app, t.adminToken);
    const other = await createService(t.app, t.adminToken);
    const viewer = await createApiToken(t.app, t.adminToken, service.apiKey, ["VIEW_SERVICE"]);
    expect((await callApi(t.app, viewer, "GET", `/api/${service.apiKey}/service/jwks/get`)).status).toBe(200);
    expect((await callApi(t.app, viewer, "GET", `/api/${other.apiKey}/service/jwks/get`)).status).toBe(404);
    const kids = new Set((await jwksOf(service.apiKey)).keys.map((key) => key.kid));
    for (const key of (await jwksOf(other.apiKey)).keys) expect(kids.has(key.kid)).toBe(false);
  });
});

describe("POST /service/keys/rotate [ext]", () => {
  let f: TokenFixture;
  beforeAll(async () => {
    f = await fixtureFor(t, { accessTokenSignAlg: "RS256", accessTokenDuration: 600, idTokenDuration: 300, refreshTokenDuration: 3600 });
  });

  async function signedKid(): Promise<string> {
    const { client, secret } = await f.client({ grantTypes: ["CLIENT_CREDENTIALS"] });
    return String(decodeProtectedHeader(await clientToken(f, client, secret!)).kid);
  }

  it("publishes the new key first, signs with it from activation, and keeps the old key until its tokens expired", async () => {
    const serviceId = f.service.apiKey;
    const before = await jwksOf(serviceId);
    const oldKid = before.keys.find((key) => key.alg === "RS256")!.kid!;
    expect(await signedKid()).toBe(oldKid);

    const rotatedAt = t.clock.now;
    const res = await rotate(serviceId, { alg: "RS256", activationDelay: 120 });
    expect(res.status).toBe(200);
    expect(res.body.resultCode).toBe("A173001");
    const [created] = res.body.keys as Array<{ kid: string; alg: string; createdAt: number; activatesAt: number }>;
    expect(created).toMatchObject({ alg: "RS256", createdAt: rotatedAt, activatesAt: rotatedAt + 120_000 });
    const retiresAt = rotatedAt + 120_000 + 3600_000;
    expect(res.body.retiringKeys).toEqual([{ kid: oldKid, alg: "RS256", retiresAt }]);

    // Published at once, beside the old key; other algorithms untouched.
    const published = await jwksOf(serviceId);
    expect(published.keys.map((key) => key.kid)).toEqual(expect.arrayContaining([oldKid, created!.kid]));
    expect(published.keys).toHaveLength(5);

    // Not used before activation.
    const issuedBefore = await (async () => {
      const { client, secret } = await f.client({ grantTypes: ["CLIENT_CREDENTIALS"] });
      return clientToken(f, client, secret!);
    })();
    expect(decodeProtectedHeader(issuedBefore).kid).toBe(oldKid);

    // Used after activation.
    t.clock.advance(121_000);
    expect(await signedKid()).toBe(created!.kid);

    // A token signed by the old key still verifies against the published set until retirement.
    const jwks = createLocalJWKSet(await jwksOf(serviceId));
    await expect(jwtVerify(issuedBefore, jwks, { currentDate: new Date(t.clock.now - 1000) })).resolves.toBeDefined();

    // Gone once every token it signed has expired.
    t.clock.now = retiresAt - 1;
    expect((await jwksOf(serviceId)).keys.map((key) => key.kid)).toContain(oldKid);
    t.clock.now = retiresAt;
    const after = await jwksOf(serviceId);
    expect(after.keys.map((key) => key.kid)).not.toContain(oldKid);
    expect(after.keys).toHaveLength(4);
  });

  it("rotates every algorithm after one hour by default (a call without a body)", async () => {
    const service = await createService(t.app, t.adminToken);
    const res = await callApi(t.app, t.adminToken, "POST", `/api/${service.apiKey}/service/keys/rotate`);
    expect(res.status).toBe(200);
    const keys = res.body.keys as Array<{ alg: string; activatesAt: number; createdAt: number }>;
    expect(keys.map((key) => key.alg).sort()).toEqual(["ES256", "EdDSA", "PS256", "RS256"]);
    for (const key of keys) expect(key.activatesAt - key.createdAt).toBe(3600_000);
    expect(res.body.retiringKeys).toHaveLength(4);
    const jwks = await jwksOf(service.apiKey);
    expect(jwks.keys).toHaveLength(8);
    expect(new Set(jwks.keys.map((key) => key.kid)).size).toBe(8);
    const configuration = await callApi(t.app, t.adminToken, "GET", `/api/${service.apiKey}/service/configuration`);
    expect(configuration.body.id_token_signing_alg_values_supported).toEqual(["RS256", "PS256", "ES256", "EdDSA"]);
  });

  it("switches at once with activationDelay 0, keeping the old key published", async () => {
    const es = await fixtureFor(t, { accessTokenSignAlg: "ES256" });
    const { client, secret } = await es.client({ grantTypes: ["CLIENT_CREDENTIALS"] });
    const oldKid = decodeProtectedHeader(await clientToken(es, client, secret!)).kid;
    t.clock.advance(1000);
    const res = await rotate(es.service.apiKey, { alg: "ES256", activationDelay: 0 });
    const [created] = res.body.keys as Array<{ kid: string; activatesAt: number; createdAt: number }>;
    expect(created!.activatesAt).toBe(created!.createdAt);
    expect(decodeProtectedHeader(await clientToken(es, client, secret!)).kid).toBe(created!.kid);
    expect((await jwksOf(es.service.apiKey)).keys.map((key) => key.kid)).toContain(oldKid);
  });

  it("activates a key rotated in the same millisecond strictly after the key it replaces", async () => {
    const service = await createService(t.app, t.adminToken);
    const before = (await jwksOf(service.apiKey)).keys.find((key) => key.alg === "EdDSA")!;
    const res = await rotate(service.apiKey, { alg: "EdDSA", activationDelay: 0 });
    const [created] = res.body.keys as Array<{ kid: string; activatesAt: number; createdAt: number }>;
    expect(created!.activatesAt).toBe(t.clock.now + 1);
    expect(res.body.retiringKeys).toEqual([{ kid: before.kid, alg: "EdDSA", retiresAt: t.clock.now + 1 + 30 * 86400_000 }]);
  });

  it("refuses bad input and callers without MODIFY_SERVICE", async () => {
    const service = await createService(t.app, t.adminToken);
    for (const body of [{ alg: "HS256" }, { alg: "none" }, { activationDelay: -1 }, { activationDelay: 1.5 }, { extra: true }]) {
      const res = await rotate(service.apiKey, body);
      expect(res.status).toBe(400);
      expect(res.body.resultCode).toBe("A000204");
    }
    const user = await createApiToken(t.app, t.adminToken, service.apiKey, ["USE_SERVICE"]);
    const refused = await rotate(service.apiKey, { alg: "RS256" }, user);
    expect(refused.status).toBe(403);
    expect(refused.body.resultCode).toBe("A001204");
    const modifier = await createApiToken(t.app, t.adminToken, service.apiKey, ["MODIFY_SERVICE"]);
    expect((await rotate(service.apiKey, { alg: "RS256" }, modifier)).status).toBe(200);
    expect((await rotate(123456789012, {})).status).toBe(404);
  });
});
