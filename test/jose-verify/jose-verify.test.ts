import { type CryptoKey, exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getSigningKey } from "../../src/core/keys/signer.js";
import { signJwt } from "../../src/core/keys/sign-jwt.js";
import { type ApiBody, callApi, callApiWithForm, createApiToken, createClient, createService, createTestApp, type TestApp } from "../helpers/app.js";

/**
 * /jose/verify with keys the test makes: a client's inline jwks, its secret for HS256, the service's
 * own keys; bad signatures, missing and invalid claims with the clock skew, malformed and encrypted
 * input (valid=false with a code of its own), and wrong calls (400): no clientIdentifier, an unknown
 * client, another service's client.
 */
let t: TestApp;
let serviceId: number;
let token: string;
let otherServiceId: number;
let otherAlias: string;
let key: { privateKey: CryptoKey; jwk: JWK };
let stranger: CryptoKey;
let hsSecret: string;
const nowS = () => Math.floor(t.clock.now / 1000);

beforeAll(async () => {
  t = await createTestApp();
  serviceId = (await createService(t.app, t.adminToken, { allowableClockSkew: 0 })).apiKey;
  token = await createApiToken(t.app, t.adminToken, serviceId, ["USE_SERVICE"]);
  const pair = await generateKeyPair("ES256");
  key = { privateKey: pair.privateKey, jwk: { ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "ES256", use: "sig" } };
  stranger = (await generateKeyPair("ES256")).privateKey;
  await createClient(t.app, t.adminToken, serviceId, { clientIdAlias: "signer", jwks: JSON.stringify({ keys: [key.jwk] }) });
  await createClient(t.app, t.adminToken, serviceId, { clientIdAlias: "keyless" });
  hsSecret = (await createClient(t.app, t.adminToken, serviceId, { clientIdAlias: "hmac", tokenAuthMethod: "CLIENT_SECRET_JWT" })).clientSecret!;
  otherServiceId = (await createService(t.app, t.adminToken)).apiKey;
  otherAlias = "only-elsewhere";
  await createClient(t.app, t.adminToken, otherServiceId, { clientIdAlias: otherAlias, jwks: JSON.stringify({ keys: [key.jwk] }) });
});
afterAll(() => t.close());

const verify = (body: Record<string, unknown>) => callApi(t.app, token, "POST", `/api/${serviceId}/jose/verify`, body);

function signed(claims: Record<string, unknown>, by: CryptoKey = key.privateKey): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: "ES256", kid: "k1" }).sign(by);
}

function expectVerdict(res: { status: number; body: ApiBody }, resultCode: string, verdict: Record<string, unknown>) {
  expect(res.status).toBe(200);
  expect(res.body.resultCode).toBe(resultCode);
  expect(res.body.resultMessage).toMatch(new RegExp(`^\\[${resultCode}\\] `));
  expect(res.body).toMatchObject(verdict);
}

describe("a client's signature", () => {
  it("is valid with the client's inline jwks and every claim present and in time", async () => {
    const jose = await signed({ iss: "signer", exp: nowS() + 60, iat: nowS(), nbf: nowS() });
    const res = await verify({ jose, signedByClient: true, clientIdentifier: "signer", mandatoryClaims: ["iss", "exp"] });
    expectVerdict(res, "A160001", { valid: true, signatureValid: true });
    expect(res.body).not.toHaveProperty("missingClaims");
    expect(res.body).not.toHaveProperty("errorDescriptions");
  });

  it("takes a form body too, as Authlete's curl sample sends it", async () => {
    const jose = await signed({ exp: nowS() + 60 });
    const form = new URLSearchParams({ jose, signedByClient: "true", clientIdentifier: "signer", clockSkew: "5" }).toString();
    const res = await callApiWithForm(t.app, token, `/api/${serviceId}/jose/verify`, form);
    expectVerdict(res, "A160001", { valid: true, signatureValid: true });
  });

  it("is invalid when another key signed it", async () => {
    const res = await verify({ jose: await signed({ exp: nowS() + 60 }, stranger), signedByClient: true, clientIdentifier: "signer" });
    expectVerdict(res, "A160305", { valid: false, signatureValid: false, errorDescriptions: ["The signature does not verify with the client's keys."] });
  });

  it("is invalid when the signature was altered", async () => {
    const jose = await signed({ exp: nowS() + 60 });
    const res = await verify({ jose: `${jose.slice(0, -4)}AAAA`, signedByClient: true, clientIdentifier: "signer" });
    expectVerdict(res, "A160305", { valid: false, signatureValid: false });
  });

  it("verifies an HS256 JWS with the secret of a client whose secret Tessera keeps (client_secret_jwt)", async () => {
    const jose = await new SignJWT({ exp: nowS() + 60 }).setProtectedHeader({ alg: "HS256" }).sign(new TextEncoder().encode(hsSecret));
    expectVerdict(await verify({ jose, signedByClient: true, clientIdentifier: "hmac" }), "A160001", { valid: true, signatureValid: true });
    const wrong = await new SignJWT({ exp: nowS() + 60 }).setProtectedHeader({ alg: "HS256" }).sign(new TextEncoder().encode("x".repeat(64)));
    expectVerdict(await verify({ jose: wrong, signedByClient: true, clientIdentifier: "hmac" }), "A160305", { valid: false, signatureValid: false });
  });

  it("has no key when the client keeps only its secret's hash (HS256) or has no jwks (ES256)", async () => {
    const hs = await new SignJWT({ exp: nowS() + 60 }).setProtectedHeader({ alg: "HS256" }).sign(new TextEncoder().encode("y".repeat(64)));
    const noSecret = await verify({ jose: hs, signedByClient: true, clientIdentifier: "keyless" });
    expectVerdict(noSecret, "A160304", { valid: false, signatureValid: false });
    expect((noSecret.body.errorDescriptions as string[])[0]).toMatch(/keeps only as a hash/);
    const noKeys = await verify({ jose: await signed({ exp: nowS() + 60 }), signedByClient: true, clientIdentifier: "keyless" });
    expectVerdict(noKeys, "A160304", { valid: false, signatureValid: false, errorDescriptions: ["The client has registered no keys (jwks or jwksUri)."] });
  });
});

describe("claims", () => {
  it("lists missing mandatory claims, and the signature stays valid", async () => {
    const res = await verify({ jose: await signed({ iss: "signer" }), signedByClient: true, clientIdentifier: "signer", mandatoryClaims: ["iss", "sub", "aud", "sub"] });
    expectVerdict(res, "A160306", { valid: false, signatureValid: true, missingClaims: ["sub", "aud"] });
    expect(res.body.errorDescriptions).toEqual(["The mandatory claim sub is missing.", "The mandatory claim aud is missing."]);
  });

  it("checks exp, nbf and iat with clockSkew", async () => {
    const jose = await signed({ exp: nowS() - 30, nbf: nowS() + 30, iat: nowS() + 30 });
    const strict = await verify({ jose, signedByClient: true, clientIdentifier: "signer", clockSkew: 10 });
    expectVerdict(strict, "A160306", { valid: false, signatureValid: true, invalidClaims: ["exp", "nbf", "iat"] });
    expect(strict.body.errorDescriptions).toHaveLength(3);
    const tolerant = await verify({ jose, signedByClient: true, clientIdentifier: "signer", clockSkew: 31 });
    expectVerdict(tolerant, "A160001", { valid: true, signatureValid: true });
  });

  it("uses the service's allowableClockSkew without clockSkew, and refuses a time claim that is not a number", async () => {
    const jose = await signed({ exp: nowS() - 1, iat: "yesterday" });
    const res = await verify({ jose, signedByClient: true, clientIdentifier: "signer" });
    expectVerdict(res, "A160306", { valid: false, signatureValid: true, invalidClaims: ["exp", "iat"] });
  });

  it("reports claims even when the signature fails", async () => {
    const res = await verify({ jose: await signed({ exp: nowS() - 60 }, stranger), signedByClient: true, clientIdentifier: "signer", mandatoryClaims: ["sub"] });
    expectVerdict(res, "A160305", { valid: false, signatureValid: false, missingClaims: ["sub"], invalidClaims: ["exp"] });
    expect(res.body.errorDescriptions).toHaveLength(3);
  });
});

describe("the service's own keys (signedByClient absent)", () => {
  it("verify a JWT Tessera signed, and not one a client signed", async () => {
    const signingKey = await getSigningKey(t.deps, serviceId, "RS256");
    const jose = await signJwt(signingKey, "JWT", { iss: "tessera", exp: nowS() + 60 });
    expectVerdict(await verify({ jose }), "A160001", { valid: true, signatureValid: true });
    // clientIdentifier alone chooses no keys (Authlete uses it with signedByClient).
    expectVerdict(await verify({ jose, clientIdentifier: "signer", signedByClient: false }), "A160001", { valid: true });
    const clientSigned = await signed({ exp: nowS() + 60 });
    expectVerdict(await verify({ jose: clientSigned }), "A160305", { valid: false, signatureValid: false });
  });

  it("have no HMAC key", async () => {
    const hs = await new SignJWT({}).setProtectedHeader({ alg: "HS256" }).sign(new TextEncoder().encode(hsSecret));
    expectVerdict(await verify({ jose: hs }), "A160304", { valid: false, signatureValid: false });
  });

  it("are another service's keys for another service", async () => {
    const jose = await signJwt(await getSigningKey(t.deps, otherServiceId, "RS256"), "JWT", { exp: nowS() + 60 });
    expectVerdict(await verify({ jose }), "A160305", { valid: false, signatureValid: false });
  });
});

describe("what is no JWS", () => {
  it.each([
    ["one part", "not-a-jose"],
    ["four parts", "a.b.c.d"],
    ["a header that is not JSON", "bm90IGpzb24.e30.c2ln"],
    ["a header without alg", `${Buffer.from('{"typ":"JWT"}').toString("base64url")}.e30.c2ln`],
    ["an empty string", ""],
  ])("%s is malformed (A160301), valid=false", async (_label, jose) => {
    const res = await verify({ jose, signedByClient: true, clientIdentifier: "signer" });
    expectVerdict(res, "A160301", { valid: false, signatureValid: false });
    expect(res.body.errorDescriptions).toHaveLength(1);
  });

  it("a JWE is refused by name: Tessera cannot decrypt it yet (A160302)", async () => {
    const res = await verify({ jose: "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d" });
    expectVerdict(res, "A160302", { valid: false, signatureValid: false });
    expect((res.body.errorDescriptions as string[])[0]).toMatch(/JWE/);
  });

  it("alg none is unsigned (A160303)", async () => {
    const header = Buffer.from('{"alg":"none"}').toString("base64url");
    const payload = Buffer.from(JSON.stringify({ exp: nowS() + 60 })).toString("base64url");
    expectVerdict(await verify({ jose: `${header}.${payload}.` }), "A160303", { valid: false, signatureValid: false });
  });
});

describe("wrong calls (400)", () => {
  it("signedByClient without clientIdentifier", async () => {
    const res = await verify({ jose: await signed({}), signedByClient: true });
    expect(res.status).toBe(400);
    expect(res.body.resultCode).toBe("A160201");
  });

  it("an unknown client and another service's client are answered alike", async () => {
    const jose = await signed({ exp: nowS() + 60 });
    const unknown = await verify({ jose, signedByClient: true, clientIdentifier: "no-such-client" });
    const elsewhere = await verify({ jose, signedByClient: true, clientIdentifier: otherAlias });
    expect(unknown.status).toBe(400);
    expect(unknown.body.resultCode).toBe("A160202");
    expect({ status: elsewhere.status, resultCode: elsewhere.body.resultCode }).toEqual({ status: 400, resultCode: "A160202" });
  });

  it("no jose, a negative clockSkew or an unknown field is the request's own error", async () => {
    for (const body of [{}, { jose: "a.b.c", clockSkew: -1 }, { jose: "a.b.c", extra: true }]) {
      const res = await verify(body);
      expect(res.status).toBe(400);
      expect(res.body.resultCode).toBe("A000204");
    }
  });

  it("a locked client is refused as everywhere (403)", async () => {
    await createClient(t.app, t.adminToken, serviceId, { clientIdAlias: "locked", jwks: JSON.stringify({ keys: [key.jwk] }) });
    const locked = await callApi(t.app, t.adminToken, "POST", `/api/${serviceId}/client/lock_flag/update/locked`, { clientLocked: true });
    expect(locked.status).toBe(200);
    const res = await verify({ jose: await signed({}), signedByClient: true, clientIdentifier: "locked" });
    expect(res.status).toBe(403);
    expect(res.body.resultCode).toBe("A001215");
  });
});
