import { createHash } from "node:crypto";
import { createLocalJWKSet, decodeProtectedHeader, type JWK, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "../../src/domain/client.js";
import { type ApiBody, callApi } from "../helpers/app.js";
import { form, publishedJwks, userTokens } from "../introspection/support.js";
import { basic, content, fixtureFor, REDIRECT, type TokenFixture, tokenFixture } from "../token/support.js";

/**
 * Every JWS algorithm of Authlete's `jws_alg` that Tessera signs with: ID tokens, signed UserInfo,
 * JWT access tokens and RFC 9701 introspection responses, each verified as a relying party would
 * (the published JWK Set, or the client secret for HS*, OIDC Core §10.1), and the choices that are refused.
 */

const asymmetric = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"] as const;
const hmac = ["HS256", "HS384", "HS512"] as const;

/** OIDC Core §3.1.3.6: the left half of the hash the JWS alg uses (SHA-512 for EdDSA over Ed25519). */
function leftHalf(value: string, alg: string): string {
  const bits = alg === "EdDSA" ? "512" : alg.slice(2);
  const digest = createHash(`sha${bits}`).update(value).digest();
  return digest.subarray(0, digest.length / 2).toString("base64url");
}

let f: TokenFixture;
beforeAll(async () => {
  f = await tokenFixture({
    supportedScopes: [{ name: "openid" }, { name: "profile" }],
    supportedClaims: ["name"],
    supportedGrantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "CLIENT_CREDENTIALS"],
  });
});
afterAll(async () => f.t.close());

const secretKey = (secret: string) => new TextEncoder().encode(secret);
const admin = (method: string, path: string, body?: unknown) => callApi(f.t.app, f.t.adminToken, method, `/api/${f.service.apiKey}${path}`, body);

async function signedUserInfo(accessToken: string): Promise<string> {
  const res = await f.call("/auth/userinfo/issue", { token: accessToken, claims: JSON.stringify({ name: "Alice" }) });
  expect(res.body.action).toBe("JWT");
  return String(res.body.responseContent);
}

describe("ID tokens and signed UserInfo with every asymmetric algorithm", () => {
  it.each(asymmetric)("%s: both verify against the published JWK Set, whose key is there before the first token", async (alg) => {
    const { client, secret } = await f.client({ idTokenSignAlg: alg, userInfoSignAlg: alg });
    const before = (await publishedJwks(f)).keys.filter((key) => key.alg === alg);
    expect(before.length).toBeGreaterThan(0);

    const { idToken, accessToken } = await userTokens(f, client, secret, "openid profile");
    const { payload, header } = await f.verify(idToken!, { audience: client.clientIdAlias });
    expect(header).toMatchObject({ alg, typ: "JWT" });
    expect(before.map((key) => key.kid)).toContain(header.kid);
    expect(payload.at_hash).toBe(leftHalf(accessToken, alg));

    const userInfo = await f.verify(await signedUserInfo(accessToken), { audience: client.clientIdAlias });
    expect(userInfo.header.alg).toBe(alg);
    expect(userInfo.payload).toMatchObject({ sub: "alice", name: "Alice" });
  });
});

describe("ID tokens and signed UserInfo with HS256, HS384 and HS512 (keyed by the client secret)", () => {
  it.each(hmac)("%s: both verify with the client secret, carry no kid, and no published key verifies them", async (alg) => {
    const { client, secret } = await f.client({ idTokenSignAlg: alg, userInfoSignAlg: alg });
    const { idToken, accessToken } = await userTokens(f, client, secret, "openid profile");
    const options = { algorithms: [alg], issuer: f.service.issuer, audience: client.clientIdAlias, currentDate: new Date(f.t.clock.now) };
    const { payload, protectedHeader } = await jwtVerify(idToken!, secretKey(secret!), options);
    expect(protectedHeader).toEqual({ alg, typ: "JWT" });
    expect(payload.at_hash).toBe(leftHalf(accessToken, alg));
    await expect(f.verify(idToken!)).rejects.toThrow();

    const userInfo = await jwtVerify(await signedUserInfo(accessToken), secretKey(secret!), options);
    expect(userInfo.protectedHeader.kid).toBeUndefined();
    expect(userInfo.payload).toMatchObject({ sub: "alice", name: "Alice" });
  });

  it("an HS256 ID token is accepted back as id_token_hint from its client, and from no other", async () => {
    const { client, secret } = await f.client({ idTokenSignAlg: "HS256" });
    const { idToken } = await userTokens(f, client, secret, "openid");
    const authorize = (who: Client) =>
      f.call("/auth/authorization", {
        parameters: form({ client_id: who.clientIdAlias, response_type: "code", redirect_uri: REDIRECT, scope: "openid", id_token_hint: idToken! }),
      });
    const own = await authorize(client);
    expect(own.body).toMatchObject({ action: "INTERACTION", subject: "alice" });
    const other = (await f.client({ idTokenSignAlg: "HS256" })).client;
    expect((await authorize(other)).body.action).not.toBe("INTERACTION");
  });
});

describe("client secrets of HS* clients", () => {
  it("switching a client whose secret is kept only hashed to HS256 issues a new secret in the update answer; the old one stops working", async () => {
    const { client, secret: oldSecret } = await f.client();
    expect((await f.t.deps.store.getClientSecret(client.serviceId, client.clientId))?.secretSealed).toBeNull();

    const updated = await admin("POST", `/client/update/${client.clientId}`, { idTokenSignAlg: "HS256" });
    expect(updated.status).toBe(200);
    const newSecret = String(updated.body.clientSecret);
    expect(newSecret).not.toBe(oldSecret);
    expect((await f.t.deps.store.getClientSecret(client.serviceId, client.clientId))?.secretSealed).toEqual(expect.any(String));

    const refused = await f.tokenCall({ grant_type: "client_credentials" }, basic(client.clientIdAlias, oldSecret!));
    expect(refused.body.action).toBe("INVALID_CLIENT");
    const { idToken } = await userTokens(f, { ...client, idTokenSignAlg: "HS256" }, newSecret, "openid");
    expect((await jwtVerify(idToken!, secretKey(newSecret), { algorithms: ["HS256"] })).protectedHeader.alg).toBe("HS256");
  });

  it("an HS* client keeps its secret across other updates; leaving HS* keeps the secret and drops its sealed copy", async () => {
    const { client, secret } = await f.client({ userInfoSignAlg: "HS512", grantTypes: ["AUTHORIZATION_CODE", "CLIENT_CREDENTIALS"] });
    expect((await f.t.deps.store.getClientSecret(client.serviceId, client.clientId))?.secretSealed).toEqual(expect.any(String));
    const renamed = await admin("POST", `/client/update/${client.clientId}`, { clientName: "Renamed" });
    expect(renamed.body.clientSecret).toBeUndefined();

    const left = await admin("POST", `/client/update/${client.clientId}`, { userInfoSignAlg: null });
    expect(left.status).toBe(200);
    expect(left.body.clientSecret).toBeUndefined();
    expect((await f.t.deps.store.getClientSecret(client.serviceId, client.clientId))?.secretSealed).toBeNull();
    const still = await f.tokenCall({ grant_type: "client_credentials" }, basic(client.clientIdAlias, secret!));
    expect(still.body.action).toBe("OK");
  });

  it("a refreshed secret of an HS* client stays recoverable, and the old one is reported", async () => {
    const { client, secret } = await f.client({ idTokenSignAlg: "HS384" });
    const refreshed = await admin("GET", `/client/secret/refresh/${client.clientId}`);
    expect(refreshed.body.oldClientSecret).toBe(secret);
    const { idToken } = await userTokens(f, client, String(refreshed.body.newClientSecret), "openid");
    expect((await jwtVerify(idToken!, secretKey(String(refreshed.body.newClientSecret)), { algorithms: ["HS384"] })).payload.sub).toBe("alice");
  });
});

describe("JWT access tokens", () => {
  it("are signed with the service's accessTokenSignAlg, set at creation or changed by an update", async () => {
    const jwtService = await fixtureFor(f.t, { accessTokenSignAlg: "ES384", supportedGrantTypes: ["CLIENT_CREDENTIALS"] });
    const { client, secret } = await jwtService.client({ grantTypes: ["CLIENT_CREDENTIALS"], responseTypes: [], redirectUris: [] });
    for (const alg of ["ES384", "RS512", "PS384", "ES512", "EdDSA"] as const) {
      if (alg !== "ES384") {
        const updated = await callApi(f.t.app, f.t.adminToken, "POST", `/api/${jwtService.service.apiKey}/service/update`, { accessTokenSignAlg: alg });
        expect(updated.status).toBe(200);
      }
      const res = await jwtService.tokenCall({ grant_type: "client_credentials" }, basic(client.clientIdAlias, secret!));
      const { header, payload } = await jwtService.verify(String(content(res.body).access_token), { typ: "at+jwt" });
      expect(header.alg).toBe(alg);
      expect(payload.client_id).toBe(client.clientIdAlias);
    }
  });
});

describe("RFC 9701 introspection responses", () => {
  it("are signed with any asymmetric introspectionSignAlg, a key being made for one the service had none for", async () => {
    const fresh = await fixtureFor(f.t);
    expect((await publishedJwks(fresh)).keys.some((key) => key.alg === "PS512")).toBe(false);
    const res = await fresh.call("/auth/introspection/standard", {
      parameters: form({ token: "unknown" }),
      httpAcceptHeader: "application/token-introspection+jwt",
      introspectionSignAlg: "PS512",
    });
    expect(res.body.action).toBe("JWT");
    const jwks = createLocalJWKSet(await publishedJwks(fresh));
    const { protectedHeader } = await jwtVerify(String(res.body.responseContent), jwks, { currentDate: new Date(f.t.clock.now) });
    expect(protectedHeader.alg).toBe("PS512");
  });
});

describe("the JWK Set and rotation", () => {
  it("publishes one key per algorithm in use, each with its alg and a distinct kid, and rotates all of them", async () => {
    const fresh = await fixtureFor(f.t);
    await fresh.client({ idTokenSignAlg: "RS384" });
    const jwks = (await publishedJwks(fresh)).keys as JWK[];
    expect(jwks.map((key) => key.alg).sort()).toEqual(["ES256", "EdDSA", "PS256", "RS256", "RS384"]);
    expect(new Set(jwks.map((key) => key.kid)).size).toBe(jwks.length);
    expect(jwks.find((key) => key.alg === "RS384")).toMatchObject({ kty: "RSA", use: "sig" });

    const rotated = await callApi<ApiBody & { keys: { alg: string }[] }>(f.t.app, f.t.adminToken, "POST", `/api/${fresh.service.apiKey}/service/keys/rotate`, {});
    expect(rotated.body.keys.map((key) => key.alg).sort()).toEqual(["ES256", "EdDSA", "PS256", "RS256", "RS384"]);
  });

  it("a JWT's header names the key that signed it", async () => {
    const { client, secret } = await f.client({ idTokenSignAlg: "ES512" });
    const { idToken } = await userTokens(f, client, secret, "openid");
    const { kid } = decodeProtectedHeader(idToken!);
    expect((await publishedJwks(f)).keys.find((key) => key.kid === kid)).toMatchObject({ kty: "EC", crv: "P-521", alg: "ES512" });
  });
});

describe("refused algorithm choices", () => {
  it.each([
    [{ clientType: "PUBLIC", idTokenSignAlg: "HS256" }, "A003202", /idTokenSignAlg: HS256 is keyed by the client secret.*PUBLIC/],
    [{ clientType: "PUBLIC", userInfoSignAlg: "HS512" }, "A003202", /userInfoSignAlg: HS512 is keyed by the client secret.*PUBLIC/],
    [{ idTokenSignAlg: "NONE" }, "A003210", /idTokenSignAlg = "NONE" \(NONE, since Tessera issues no unsigned ID tokens/],
    [{ userInfoSignAlg: "NONE" }, "A003210", /userInfoSignAlg = "NONE" \(NONE/],
    [{ idTokenSignAlg: "ES256K" }, "A003210", /idTokenSignAlg = "ES256K" \(.*ES256K, since jose has no secp256k1/],
    [{ userInfoSignAlg: "ES256K" }, "A003210", /userInfoSignAlg = "ES256K" \(.*ES256K, since jose has no secp256k1/],
  ] as const)("client %j → %s naming the field and the value", async (settings, resultCode, message) => {
    const created = await admin("POST", "/client/create", { redirectUris: [REDIRECT], ...settings });
    expect(created.status).toBe(400);
    expect(created.body.resultCode).toBe(resultCode);
    expect(created.body.resultMessage).toMatch(message);
  });

  it("a client becoming PUBLIC while it signs with HS* is refused on update", async () => {
    const { client } = await f.client({ idTokenSignAlg: "HS256" });
    const res = await admin("POST", `/client/update/${client.clientId}`, { clientType: "PUBLIC", tokenAuthMethod: "NONE" });
    expect(res.body.resultCode).toBe("A003202");
    expect(res.body.resultMessage).toMatch(/idTokenSignAlg: HS256 is keyed by the client secret/);
  });

  it.each([
    ["HS256", /accessTokenSignAlg = "HS256" \(HS\*, which would need a key shared with every resource server/],
    ["NONE", /accessTokenSignAlg = "NONE" \(.*NONE \(leave it null for opaque access tokens\)/],
    ["ES256K", /accessTokenSignAlg = "ES256K" \(.*ES256K, since jose has no secp256k1/],
  ] as const)("service accessTokenSignAlg %s → A002203 naming the field and the value, on create and on update", async (alg, message) => {
    const created = await callApi(f.t.app, f.t.adminToken, "POST", "/api/service/create", { serviceName: "s", issuer: "https://as.example", accessTokenSignAlg: alg });
    expect(created.body.resultCode).toBe("A002203");
    expect(created.body.resultMessage).toMatch(message);
    const updated = await admin("POST", "/service/update", { accessTokenSignAlg: alg });
    expect(updated.body.resultCode).toBe("A002203");
    expect(updated.body.resultMessage).toMatch(message);
  });
});

describe("client authentication methods not supported", () => {
  it("a client with tokenAuthMethod ATTEST_JWT_CLIENT_AUTH is refused on create and update (A003210)", async () => {
    const message = /tokenAuthMethod = "ATTEST_JWT_CLIENT_AUTH" \(.*not planned in this wave/;
    const created = await admin("POST", "/client/create", { redirectUris: [REDIRECT], tokenAuthMethod: "ATTEST_JWT_CLIENT_AUTH" });
    expect(created.body.resultCode).toBe("A003210");
    expect(created.body.resultMessage).toMatch(message);
    const { client } = await f.client();
    const updated = await admin("POST", `/client/update/${client.clientId}`, { tokenAuthMethod: "ATTEST_JWT_CLIENT_AUTH" });
    expect(updated.body.resultCode).toBe("A003210");
    expect(updated.body.resultMessage).toMatch(message);
  });

  const refusals = [
    ["supportedTokenAuthMethods", "ATTEST_JWT_CLIENT_AUTH", /not planned in this wave/],
    ["supportedRevocationAuthMethods", "ATTEST_JWT_CLIENT_AUTH", /not planned in this wave/],
    ["supportedIntrospectionAuthMethods", "ATTEST_JWT_CLIENT_AUTH", /standard introspection takes no client certificate or attestation/],
    ["supportedIntrospectionAuthMethods", "TLS_CLIENT_AUTH", /standard introspection takes no client certificate or attestation/],
    ["supportedIntrospectionAuthMethods", "SELF_SIGNED_TLS_CLIENT_AUTH", /standard introspection takes no client certificate or attestation/],
  ] as const;

  it.each(refusals)("a service listing in %s the method %s is refused on create and update (A002203)", async (field, method, reason) => {
    const body = { [field]: ["CLIENT_SECRET_BASIC", method] };
    const created = await callApi(f.t.app, f.t.adminToken, "POST", "/api/service/create", { serviceName: "s", issuer: "https://as.example", ...body });
    expect(created.body.resultCode).toBe("A002203");
    expect(created.body.resultMessage).toContain(`${field} = ["CLIENT_SECRET_BASIC","${method}"]`);
    expect(created.body.resultMessage).toMatch(reason);
    const updated = await admin("POST", "/service/update", body);
    expect(updated.body.resultCode).toBe("A002203");
    expect(updated.body.resultMessage).toMatch(reason);
  });

  it("a service may list the mutual-TLS methods at the token and revocation endpoints", async () => {
    const methods = ["CLIENT_SECRET_BASIC", "TLS_CLIENT_AUTH", "SELF_SIGNED_TLS_CLIENT_AUTH"];
    const updated = await admin("POST", "/service/update", { supportedTokenAuthMethods: methods, supportedRevocationAuthMethods: methods });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ supportedTokenAuthMethods: methods, supportedRevocationAuthMethods: methods });
  });
});
