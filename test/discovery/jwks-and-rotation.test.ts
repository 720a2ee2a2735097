import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, type JSONWebKeySet, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callApi, createApiToken, createService, createTestApp, type TestApp } from "../helpers/app.js";
import { clientToken, userTokens } from "../introspection/support.js";
import { type TokenFixture, basic, content, fixtureFor } from "../token/support.js";

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

  it("publishes the new key first, signs with it from activation, and keeps the old key until the tokens it may sign expired", async () => {
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
    // It signs until the new key activates: its retirement is then the longest lifetime it signs with
    // (RS256 access tokens, 600 s), not the refresh tokens' hour, which it never signs.
    const retiresAt = rotatedAt + 120_000 + 600_000;
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

  it("plans the retirement of a key that signs until its successor activates by the JARM response lifetime when that is the longest", async () => {
    const jarm = await fixtureFor(t, { idTokenDuration: 300, authorizationResponseDuration: 900 });
    const oldKid = (await jwksOf(jarm.service.apiKey)).keys.find((key) => key.alg === "ES256")!.kid!;
    const rotatedAt = t.clock.now;
    const res = await rotate(jarm.service.apiKey, { alg: "ES256", activationDelay: 120 });
    expect(res.body.retiringKeys).toEqual([{ kid: oldKid, alg: "ES256", retiresAt: rotatedAt + 120_000 + 900_000 }]);
  });

  it("rotates every algorithm the service holds keys for after one hour by default (a call without a body)", async () => {
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
    // It never signed anything: nothing needs it once the new key signs.
    expect(res.body.retiringKeys).toEqual([{ kid: before.kid, alg: "EdDSA", retiresAt: t.clock.now + 1 }]);
  });

  /** A client-credentials access token with an optional per-request lifetime, and its expiry in epoch ms. */
  async function accessTokenOf(fixture: TokenFixture, accessTokenDuration?: number): Promise<{ token: string; expiresAt: number }> {
    const { client, secret } = await fixture.client({ grantTypes: ["CLIENT_CREDENTIALS"] });
    const res = await fixture.tokenCall({ grant_type: "client_credentials" }, { ...basic(client.clientIdAlias, secret!), ...(accessTokenDuration ? { accessTokenDuration } : {}) });
    const token = String(content(res.body).access_token);
    return { token, expiresAt: Number(decodeJwt(token).exp) * 1000 };
  }

  async function publishedKids(serviceId: number): Promise<string[]> {
    return (await jwksOf(serviceId)).keys.map((key) => key.kid!);
  }

  it("with activationDelay 0 retires the old key exactly when the last token it signed expires, a per-request lifetime included", async () => {
    const rs = await fixtureFor(t, { accessTokenSignAlg: "RS256", accessTokenDuration: 600, idTokenDuration: 300 });
    const serviceId = rs.service.apiKey;
    const longLived = await accessTokenOf(rs, 7200);
    t.clock.advance(60_000);
    const usual = await accessTokenOf(rs);
    const { client, secret } = await rs.client();
    const { idToken } = await userTokens(rs, client, secret, "openid");
    const oldKid = String(decodeProtectedHeader(idToken!).kid);
    expect(decodeProtectedHeader(longLived.token).kid).toBe(oldKid);
    expect(usual.expiresAt).toBeLessThan(longLived.expiresAt);

    t.clock.advance(1000);
    const res = await rotate(serviceId, { alg: "RS256", activationDelay: 0 });
    expect(res.body.retiringKeys).toEqual([{ kid: oldKid, alg: "RS256", retiresAt: longLived.expiresAt }]);

    t.clock.now = longLived.expiresAt - 1;
    expect(await publishedKids(serviceId)).toContain(oldKid);
    await expect(rs.verify(longLived.token)).resolves.toBeDefined();
    t.clock.now = longLived.expiresAt;
    expect(await publishedKids(serviceId)).not.toContain(oldKid);
  });

  it("retires a key that signed only ID tokens or UserInfo responses by their lifetimes, and an unused one at once", async () => {
    const plain = await fixtureFor(t, { idTokenDuration: 300 });
    const serviceId = plain.service.apiKey;
    const { client, secret } = await plain.client({ idTokenSignAlg: "ES256", userInfoSignAlg: "PS256" });
    const { accessToken, idToken } = await userTokens(plain, client, secret, "openid");
    const idTokenExpiresAt = Number(decodeJwt(idToken!).exp) * 1000;
    t.clock.advance(10_000);
    const signedUserInfo = await plain.call("/auth/userinfo/issue", { token: accessToken });
    expect(signedUserInfo.body.action).toBe("JWT");
    const userInfoSignedAt = t.clock.now;
    const before = await jwksOf(serviceId);
    const kidOf = (alg: string) => before.keys.find((key) => key.alg === alg)!.kid!;

    t.clock.advance(1000);
    const rotatedAt = t.clock.now;
    const res = await rotate(serviceId, { alg: "ALL", activationDelay: 0 });
    const retiring = Object.fromEntries((res.body.retiringKeys as Array<{ kid: string; retiresAt: number }>).map((key) => [key.kid, key.retiresAt]));
    // An ID token lives idTokenDuration; a signed UserInfo response has no exp and is verified on receipt (a minute's grace).
    expect(retiring).toEqual({
      [kidOf("ES256")]: idTokenExpiresAt,
      [kidOf("PS256")]: userInfoSignedAt + 60_000,
      [kidOf("RS256")]: rotatedAt,
      [kidOf("EdDSA")]: rotatedAt,
    });
    const published = await publishedKids(serviceId);
    expect(published).toEqual(expect.arrayContaining([kidOf("ES256"), kidOf("PS256")]));
    expect(published).not.toContain(kidOf("RS256"));
    expect(published).not.toContain(kidOf("EdDSA"));
  });

  it("keeps the old key published until a token it signs during the activation delay expires", async () => {
    const rs = await fixtureFor(t, { accessTokenSignAlg: "RS256", accessTokenDuration: 600, idTokenDuration: 300 });
    const serviceId = rs.service.apiKey;
    const oldKid = (await jwksOf(serviceId)).keys.find((key) => key.alg === "RS256")!.kid!;
    const res = await rotate(serviceId, { alg: "RS256", activationDelay: 120 });
    const [created] = res.body.keys as Array<{ activatesAt: number }>;
    expect(res.body.retiringKeys).toEqual([{ kid: oldKid, alg: "RS256", retiresAt: created!.activatesAt + 600_000 }]);

    t.clock.advance(100_000);
    const longLived = await accessTokenOf(rs, 7200);
    expect(decodeProtectedHeader(longLived.token).kid).toBe(oldKid);
    t.clock.now = longLived.expiresAt - 1;
    expect(await publishedKids(serviceId)).toContain(oldKid);
    await expect(rs.verify(longLived.token)).resolves.toBeDefined();
    t.clock.now = longLived.expiresAt;
    expect(await publishedKids(serviceId)).not.toContain(oldKid);
  });

  it("an immediate rotation supersedes one still waiting for its activation: the newest key signs at once", async () => {
    const es = await fixtureFor(t, { accessTokenSignAlg: "ES256" });
    const { client, secret } = await es.client({ grantTypes: ["CLIENT_CREDENTIALS"] });
    const planned = await rotate(es.service.apiKey, { alg: "ES256", activationDelay: 3600 });
    const [pending] = planned.body.keys as Array<{ kid: string }>;
    t.clock.advance(1000);
    const urgent = await rotate(es.service.apiKey, { alg: "ES256", activationDelay: 0 });
    const [created] = urgent.body.keys as Array<{ kid: string; activatesAt: number }>;
    expect(created!.activatesAt).toBe(t.clock.now);
    expect(urgent.body.retiringKeys).toEqual(expect.arrayContaining([{ kid: pending!.kid, alg: "ES256", retiresAt: t.clock.now }]));
    expect(decodeProtectedHeader(await clientToken(es, client, secret!)).kid).toBe(created!.kid);
    t.clock.advance(3600_000);
    expect(decodeProtectedHeader(await clientToken(es, client, secret!)).kid).toBe(created!.kid);
    expect(await publishedKids(es.service.apiKey)).not.toContain(pending!.kid);
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
